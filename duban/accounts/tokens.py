"""API bearer tokens: issued after the same checks as the login page, stored as SHA-256 only."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from duban import audit
from duban.audit.events import AuditEvent

from .models import ApiToken, User
from .security import security_setting

PREFIX = "dbn_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def issue_token(user: User) -> tuple[str, ApiToken]:
    """A new token for `user`. The plain token is returned once and never stored."""
    plain = PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(hours=security_setting("API_TOKEN_HOURS"))
    token = ApiToken.objects.create(user=user, key_hash=digest(plain), expires_at=expires_at)
    audit.record(
        AuditEvent.TOKEN_ISSUED,
        actor=user,
        target=user,
        description=f"{user.display_name} · 令牌#{token.pk}",
        changes={"expires_at": [None, expires_at]},
    )
    return plain, token


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            AuditEvent.TOKEN_REVOKED,
            actor=actor,
            target=token.user,
            description=f"{token.user.display_name} · 令牌#{token.pk}",
        )
    return token


def token_for(plain: str) -> ApiToken | None:
    """The live token behind `plain`, with its active user; None if unknown, expired or revoked."""
    if not plain or len(plain) > 128:
        return None
    token = ApiToken.objects.live().select_related("user").filter(key_hash=digest(plain)).first()
    if token is None or not token.user.is_active:
        return None
    return token
