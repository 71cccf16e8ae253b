"""Account endpoints: bearer tokens (same rules as the login page) and /me."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from duban.audit.context import client_address
from duban.audit.services import mask_phone

from . import policy
from .api_auth import BearerAuth
from .choices import Role
from .login import (
    MAX_OTP,
    MAX_PASSWORD,
    MAX_USERNAME,
    LoginFailed,
    check_otp_step,
    check_password_step,
    otp_setup_pending,
)
from .login import complete_login as finish_login
from .models import User
from .security import must_change_password
from .tokens import issue_token, revoke_token

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str = Field(..., max_length=MAX_USERNAME)
    password: str = Field(..., max_length=MAX_PASSWORD)
    otp: str | None = Field(None, max_length=MAX_OTP)


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class UnitOut(Schema):
    id: int
    name: str


class RoleOut(Schema):
    role: str
    role_label: str
    scope_type: str  # "unit" or "region"
    scope_id: int
    scope_name: str


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    title: str
    phone: str  # masked
    unit: UnitOut | None
    roles: list[RoleOut]
    otp_enabled: bool


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="签发接口令牌",
)
def create_token(request: HttpRequest, payload: TokenIn):
    """Username, password and (where the account has a second factor) the current code.

    Failures count toward the same lock as the login page and get the same generic answer.
    """
    address = client_address(request)
    try:
        checked = check_password_step(payload.username, payload.password, address=address, request=request)
        if checked.needs_otp:
            if not payload.otp:
                return 401, {"detail": "需要动态验证码", "errors": {"otp": ["请填写手机上的动态验证码"]}}
            check_otp_step(checked.user, payload.otp, address=address)
    except LoginFailed as exc:
        return 401, {"detail": str(exc), "errors": {}}
    user = checked.user
    if must_change_password(user):
        return 403, {"detail": "请先在网页上修改密码", "errors": {}}
    if otp_setup_pending(user):
        return 403, {"detail": "请先在网页上设置双因素认证", "errors": {}}
    finish_login(user, address=address, via="api")
    plain, token = issue_token(user)
    return 200, {"token": plain, "expires_at": token.expires_at}


@router.delete("/auth/token", auth=BearerAuth(), response={204: None}, summary="撤销当前令牌")
def delete_token(request: HttpRequest):
    """Revoke the token this request presents; it answers 401 from then on."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise HttpError(401, "未登录或令牌无效")
    revoke_token(token, actor=request.user)
    return 204, None


def _roles(user) -> list[dict]:
    from .queries import grants_of_user

    roles = []
    for grant in grants_of_user(user):
        scope = grant.unit if grant.unit_id else grant.region
        assert scope is not None  # a grant's scope is a unit xor a region (DB constraint)
        roles.append(
            {
                "role": grant.role,
                "role_label": str(Role(grant.role).label),
                "scope_type": "unit" if grant.unit_id else "region",
                "scope_id": scope.pk,
                "scope_name": scope.name,
            }
        )
    return roles


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest):
    from .security import has_otp_device

    user = policy.get_object_for_user_or_404(request.user, User, request.user.pk)
    return {
        "id": user.pk,
        "username": user.username,
        "real_name": user.real_name,
        "title": user.title,
        "phone": mask_phone(user.phone) if user.phone else "",
        "unit": {"id": user.unit.pk, "name": user.unit.name} if user.unit_id else None,
        "roles": _roles(user),
        "otp_enabled": has_otp_device(user),
    }
