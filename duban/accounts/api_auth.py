"""API authentication: a bearer token from /api/v1/auth/token, or the page session (with CSRF).

Bearer comes first: it needs no CSRF token (a browser never sends it by itself), and ninja's
session check refuses an unsafe request without CSRF before any later method is tried.
"""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str):
        from .security import must_change_password
        from .tokens import token_for

        found = token_for(token.strip())
        if found is None or must_change_password(found.user):
            return None
        request.user = found.user
        request.api_token = found
        return found.user


api_auth = [BearerAuth(), SessionAuth()]
