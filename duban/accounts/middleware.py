"""Session security on every request: idle and absolute timeouts, forced password change and
forced second-factor setup.

Runs after AuthenticationMiddleware and OTPMiddleware (it needs request.user and
user.is_verified()). Pages are redirected; htmx requests get HX-Redirect so the whole page
moves; API calls made with the session get a JSON answer instead of a redirect.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from . import security

# Refresh the "last seen" stamp at most once a minute: one session write per minute, not per request.
SEEN_RESOLUTION_SECONDS = 60
API_PREFIX = "/api/"


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user) -> HttpResponse | None:
        session = request.session
        now = timezone.now().timestamp()
        login_at = session.get(security.LOGIN_AT)
        seen_at = session.get(security.SEEN_AT)
        idle = security.security_setting("IDLE_TIMEOUT_MINUTES") * 60
        lifetime = security.security_setting("SESSION_MAX_HOURS") * 3600
        if login_at is None or seen_at is None or now - seen_at > idle or now - login_at > lifetime:
            logout(request)  # flushes the session: a new, empty one replaces it
            if request.path.startswith(API_PREFIX):
                return None  # the API answers 401 for the now anonymous request
            return _redirect(request, self._login_url(request, expired=True))
        if now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[security.SEEN_AT] = now
        return self._forced_step(request, user)

    def _forced_step(self, request, user) -> HttpResponse | None:
        if self._exempt(request.path):
            return None
        if security.must_change_password(user):
            target, detail = "accounts:password_change", "请先修改密码"
        elif security.otp_required(user) and not user.is_verified():
            target, detail = "accounts:otp_setup", "请先设置双因素认证"
        else:
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": detail, "errors": {}}, status=403)
        return _redirect(request, reverse(target))

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = [
            reverse("accounts:password_change"),
            reverse("accounts:otp_setup"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
            "/" + settings.STATIC_URL.lstrip("/"),
            "/i18n/",
        ]
        return any(path.startswith(prefix) for prefix in allowed)

    @staticmethod
    def _login_url(request, expired: bool = False) -> str:
        query = {"next": request.get_full_path()} if request.method == "GET" else {}
        if expired:
            query["expired"] = "1"
        return f"{reverse('accounts:login')}?{urlencode(query)}"
