"""The JSON API under /api/v1/. Each app adds its router here; all share auth and errors.

Errors are always `{"detail": "...", "errors": {field: [messages]}}`; lists are
`{"count": N, "items": [...]}` with `page` / `page_size`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
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


def error_body(detail: object, errors: dict | None = None) -> dict:
    return {"detail": str(detail), "errors": errors or {}}


# Pydantic speaks English; users get these Chinese messages by error type instead.
SCHEMA_MESSAGES = {
    "missing": _("必填"),
    "int_parsing": _("请输入整数"),
    "int_type": _("请输入整数"),
    "int_from_float": _("请输入整数"),
    "decimal_parsing": _("请输入数字"),
    "decimal_type": _("请输入数字"),
    "float_parsing": _("请输入数字"),
    "float_type": _("请输入数字"),
    "bool_parsing": _("请输入 true 或 false"),
    "bool_type": _("请输入 true 或 false"),
    "string_type": _("请输入文本"),
    "date_parsing": _("日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
    "date_type": _("日期格式应为 YYYY-MM-DD"),
    "datetime_parsing": _("时间格式应为 ISO 8601"),
    "enum": _("不是可选的值"),
    "literal_error": _("不是可选的值"),
    "list_type": _("应为列表"),
    "dict_type": _("应为对象"),
    "model_type": _("应为对象"),
    "json_invalid": _("JSON 格式错误"),
    "extra_forbidden": _("不允许的字段"),
}


def schema_message(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "string_too_long":
        return str(_("长度不能超过 %(n)s 个字符") % {"n": ctx.get("max_length")})
    if kind == "string_too_short":
        return (
            str(_("不能为空"))
            if ctx.get("min_length") == 1
            else str(_("长度至少 %(n)s 个字符") % {"n": ctx.get("min_length")})
        )
    if kind in {"greater_than_equal", "greater_than"}:
        return str(_("不能小于 %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))})
    if kind in {"less_than_equal", "less_than"}:
        return str(_("不能大于 %(n)s") % {"n": ctx.get("le", ctx.get("lt"))})
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    return str(SCHEMA_MESSAGES.get(kind, _("无效的值")))


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "form")]
        errors.setdefault(".".join(loc) or "__all__", []).append(schema_message(err))
    return api.create_response(request, error_body(_("提交的数据有误"), errors), status=422)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return api.create_response(request, error_body(_("请求体过大")), status=413)


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
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = str(_("请求体不是有效的 JSON"))
    return api.create_response(request, error_body(detail), status=exc.status_code)


def _install_routers() -> None:
    from duban.accounts.api import router as accounts_router
    from duban.indicators.api import router as indicators_router
    from duban.org.api import router as org_router

    api.add_router("/", accounts_router)
    api.add_router("/", org_router)
    from duban.investment.api import router as investment_router

    api.add_router("/", investment_router)
    api.add_router("/", indicators_router)
    from duban.projects.api import router as projects_router

    api.add_router("/", projects_router)
    from duban.tasks.api import router as tasks_router

    api.add_router("/", tasks_router)
    from duban.campaigns.api import router as campaigns_router

    api.add_router("/", campaigns_router)


_install_routers()
