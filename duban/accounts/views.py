"""Login, logout, profile, password change and the second factor (the user's own pages)."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from duban import audit
from duban.audit.context import client_address
from duban.audit.events import AuditEvent

from . import forms, queries, security, services
from .login import (
    GENERIC_FAILURE,
    LoginFailed,
    check_otp_step,
    check_password_step,
    complete_login,
    pending_user,
    record_failure,
)

PENDING_SECONDS = 300  # the code must follow the password within five minutes


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core:home")


def add_form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (unknown fields become form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@sensitive_post_parameters("password")
@sensitive_variables("password")
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        try:
            checked = check_password_step(
                form.cleaned_data["username"], form.cleaned_data["password"], address=address, request=request
            )
        except LoginFailed:
            form.add_error(None, GENERIC_FAILURE)
        else:
            next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
            if checked.needs_otp:
                request.session.cycle_key()
                request.session[security.PENDING_USER] = checked.user.pk
                request.session[security.PENDING_AT] = timezone.now().timestamp()
                request.session[security.PENDING_NEXT] = next_url
                return redirect("accounts:login_otp")
            login(request, checked.user)  # a new session key
            complete_login(checked.user, address=address)
            return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "next": request.GET.get("next", ""),
        "expired": request.GET.get("expired") == "1",
        "max_failures": security.security_setting("MAX_FAILED_LOGINS"),
    }
    return render(request, "accounts/login.html", context)


@never_cache
def login_otp_view(request):
    """The second step: the code from the phone, after a correct password."""
    started = request.session.get(security.PENDING_AT, 0)
    user = pending_user(request.session.get(security.PENDING_USER))
    if user is None or timezone.now().timestamp() - started > PENDING_SECONDS:
        for key in (security.PENDING_USER, security.PENDING_AT, security.PENDING_NEXT):
            request.session.pop(key, None)
        messages.warning(request, _("请重新输入用户名和密码。"))
        return redirect("accounts:login")
    form = forms.OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        try:
            device = check_otp_step(user, form.cleaned_data["code"], address=address)
        except LoginFailed:
            form.add_error(None, GENERIC_FAILURE)
        else:
            next_url = request.session.get(security.PENDING_NEXT) or reverse("core:home")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            complete_login(user, address=address)
            return HttpResponseRedirect(_safe_next(request, next_url))
    return render(request, "accounts/login_otp.html", {"form": form})


@require_POST
def logout_view(request):
    """POST only; the session row is deleted, not just emptied."""
    if request.user.is_authenticated:
        with transaction.atomic():
            audit.record(AuditEvent.LOGOUT, actor=request.user, target=request.user)
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("accounts:login")


@login_required
def profile_view(request):
    user = request.user
    context = {
        "profile": user,
        "grants": queries.grants_of_user(user),
        "otp_enabled": security.has_otp_device(user),
        "otp_required": security.otp_required(user),
        "phone_masked": audit_mask_phone(user.phone),
    }
    return render(request, "accounts/profile.html", context)


def audit_mask_phone(phone: str) -> str:
    from duban.audit.services import mask_phone

    return mask_phone(phone) if phone else ""


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change_view(request):
    forced = security.must_change_password(request.user)
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.change_password(
                request.user,
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                keep_session_key=request.session.session_key,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # keeps this session, with a new key
            messages.success(request, _("密码已修改，其他设备上的登录已退出。"))
            return redirect("core:home" if forced else "accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


def _qr_data_uri(config_url: str) -> str:
    return segno.make(config_url, error="m").svg_data_uri(scale=5, border=2)


def _secret_text(device) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def otp_setup_view(request):
    """Bind an authenticator app: scan the code (or type the secret), confirm with a code."""
    user = request.user
    enabled = security.has_otp_device(user)
    if enabled and not user.is_verified():
        # A device exists but this session never presented it: start over through the login.
        logout(request)
        return redirect("accounts:login")
    device = services.pending_otp_device(user)
    if request.method == "POST" and request.POST.get("action") == "restart":
        services.start_otp_setup(user)  # a new phone: the old device works until this one is confirmed
        return redirect("accounts:otp_setup")
    if device is None and not enabled:
        device = services.start_otp_setup(user)
    form = forms.OTPForm(request.POST if request.method == "POST" else None)
    if device is not None and form.is_bound and form.is_valid():
        try:
            device = services.enable_otp(
                user,
                actor=user,
                device=device,
                code=form.cleaned_data["code"],
                keep_session_key=request.session.session_key,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            otp_login(request, device)
            messages.success(request, _("双因素认证已启用。以后登录时需要输入手机上的动态验证码。"))
            return redirect("accounts:profile")
    context = {"form": form, "enabled": enabled, "required": security.otp_required(user), "device": device}
    if device is not None:
        context.update(qr=_qr_data_uri(device.config_url), secret=_secret_text(device))
    return render(request, "accounts/otp_setup.html", context)


@sensitive_post_parameters("password")
@never_cache
@login_required
def otp_disable_view(request):
    user = request.user
    form = forms.OTPDisableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["password"]):
            # Counts toward the lock: a left-open session must not become a password oracle.
            record_failure(user.username, client_address(request), reason="bad password (otp disable)")
            form.add_error("password", _("密码不正确"))
        else:
            try:
                services.disable_otp(user, actor=user)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("双因素认证已停用。"))
                return redirect("accounts:profile")
    context = {
        "form": form,
        "required": security.otp_required(user),
        "enabled": security.has_otp_device(user),
    }
    return render(request, "accounts/otp_disable.html", context)
