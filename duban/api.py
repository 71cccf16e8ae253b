"""The JSON API under /api/v1/. Each app adds its router here; all share auth and errors.

Errors are always `{"detail": "...", "errors": {field: [messages]}}`; lists are
`{"count": N, "items": [...]}` with `page` / `page_size`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from duban.accounts.api_auth import api_auth

api = NinjaAPI(
    title="duban 督办 API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
)


def error_body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", _("无效的值")))
    return api.create_response(request, error_body("提交的数据有误", errors), status=422)


@api.exception_handler(DjangoValidationError)
def on_domain_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(request, error_body("提交的数据有误", errors), status=422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("未找到"), status=404)


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    return api.create_response(request, error_body(str(exc) or "无权执行此操作"), status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, error_body("未登录或令牌无效"), status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


def _install_routers() -> None:
    from duban.accounts.api import router as accounts_router
    from duban.org.api import router as org_router

    api.add_router("/", accounts_router)
    api.add_router("/", org_router)


_install_routers()
