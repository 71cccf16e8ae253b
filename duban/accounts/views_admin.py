"""Administration of accounts and grants (三员分立).

The system admin creates, edits, deactivates and resets accounts; the security admin reads
the account list (to pick whom to grant) and grants and revokes roles; nobody else sees
these pages at all (404, as for anything outside one's scope).
"""

from __future__ import annotations

import secrets
import string
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import forms, policy, queries, services
from .choices import Role
from .models import Grant, User
from .views import add_form_errors

PAGE_SIZE = 50


def role_required(*roles: str):
    """The page exists only for these roles: everybody else gets 404, never 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not policy.has_role(request.user, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


ACCOUNT_READERS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@role_required(*ACCOUNT_READERS)
def user_list(request):
    form = forms.UserFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    users = queries.user_list(
        request.user,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        role=filters.get("role", ""),
        active=filters.get("active", ""),
    )
    context = {
        "filter_form": form,
        "page": _page(request, users),
        "can_create": policy.has_role(request.user, Role.SYSTEM_ADMIN),
        "can_grant": policy.has_role(request.user, Role.SECURITY_ADMIN),
    }
    return render(request, "accounts/user_list.html", context)


@role_required(*ACCOUNT_READERS)
def user_detail(request, pk: int):
    target = policy.get_object_for_user_or_404(request.user, queries.user_list(request.user), pk)
    context = {
        "target": target,
        "can_change": policy.can(request.user, policy.CHANGE, target),
        "can_grant": policy.has_role(request.user, Role.SECURITY_ADMIN),
        "otp_enabled": _has_device(target),
    }
    return render(request, "accounts/user_detail.html", context)


def _has_device(user) -> bool:
    from .security import has_otp_device

    return has_otp_device(user)


@never_cache
@role_required(Role.SYSTEM_ADMIN)
def user_create(request):
    form = forms.UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        password = temporary_password()
        try:
            user = services.create_user(actor=request.user, password=password, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("无权在该单位下新建用户"))
        else:
            # Shown once, never stored in plain text; the user must change it at first login.
            context = {"target": user, "temporary_password": password, "created": True}
            return render(request, "accounts/user_reset_password.html", context)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.SYSTEM_ADMIN)
def user_edit(request, pk: int):
    target = policy.get_object_for_user_or_404(request.user, User, pk, action=policy.CHANGE)
    initial = {f: getattr(target, f) for f in ("real_name", "unit", "title", "phone", "email")}
    form = forms.UserForm(request.POST or None, initial=initial, actor=request.user, editing=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(target, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("无权把用户调到该单位"))
        else:
            messages.success(request, _("用户信息已保存。"))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@role_required(Role.SYSTEM_ADMIN)
def user_set_active(request, pk: int):
    target = policy.get_object_for_user_or_404(request.user, User, pk, action=policy.CHANGE)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_user_active(
                target, actor=request.user, active=not target.is_active, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("已启用该账号。") if not target.is_active else _("已停用该账号。"))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_set_active.html", {"form": form, "target": target})


def temporary_password(length: int = 16) -> str:
    """A random password that passes every validator (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*-_=+"
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in value)
            and any(c.isupper() for c in value)
            and any(c.isdigit() for c in value)
            and any(not c.isalnum() for c in value)
        ):
            return value


@never_cache
@role_required(Role.SYSTEM_ADMIN)
def user_reset_password(request, pk: int):
    """Confirm, then show a one-time temporary password; the user must change it at next login."""
    target = policy.get_object_for_user_or_404(request.user, User, pk, action=policy.CHANGE)
    context: dict = {"target": target}
    if request.method == "POST":
        password = temporary_password()
        try:
            services.reset_password(target, actor=request.user, new_password=password)
        except (ValidationError, PermissionDenied) as exc:
            context["error"] = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        else:
            context["temporary_password"] = password
    return render(request, "accounts/user_reset_password.html", context)


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_reset_otp(request, pk: int):
    target = policy.get_object_for_user_or_404(request.user, User, pk, action=policy.CHANGE)
    try:
        services.disable_otp(target, actor=request.user, reason=str(_("管理员重置（手机丢失或更换）")))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("已重置该用户的双因素认证，下次登录时需重新绑定。"))
    return redirect("accounts:user_detail", pk=target.pk)


@role_required(Role.SECURITY_ADMIN)
def grant_list(request):
    form = forms.GrantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    grants = queries.grant_list(
        request.user,
        q=filters.get("q", ""),
        role=filters.get("role", ""),
        state=filters.get("state") or "active",
    )
    return render(request, "accounts/grant_list.html", {"filter_form": form, "page": _page(request, grants)})


@role_required(Role.SECURITY_ADMIN)
def grant_create(request):
    initial = {"user": request.GET.get("user")} if request.GET.get("user", "").isdigit() else {}
    form = forms.GrantForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                actor=request.user,
                user=data["user"],
                role=data["role"],
                unit=data["unit"],
                region=data["region"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已授予角色。"))
            return redirect("accounts:grant_list")
    return render(request, "accounts/grant_form.html", {"form": form})


@role_required(Role.SECURITY_ADMIN)
def grant_revoke(request, pk: int):
    grant = policy.get_object_for_user_or_404(
        request.user, Grant.objects.visible_to(request.user).active(), pk, action=policy.CHANGE
    )
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_grant(grant, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已撤销该授权。"))
            return redirect("accounts:grant_list")
    return render(request, "accounts/grant_revoke.html", {"form": form, "grant": grant})
