"""API authentication: the page session (with CSRF) or a bearer token from /api/v1/auth/token."""

from ninja.security import SessionAuth

# The bearer-token authenticator is added beside the session one (see accounts.tokens).
api_auth = [SessionAuth()]
