"""The bell, the notification list (mark read, mark all read) and the channel settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.accounts import policy

from . import queries, services
from .forms import ChannelSettingsForm
from .models import Notification

PAGE_SIZE = 30
CHANGED = "notifications-changed"  # htmx event: the bell refreshes itself on it


@login_required
@require_GET
def bell(request):
    return render(request, "notifications/partials/bell.html")


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    qs = queries.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "unread": queries.unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = policy.get_object_for_user_or_404(request.user, Notification, pk, action="change")
    services.mark_read(notification, actor=request.user)
    if request.headers.get("HX-Request"):
        response = render(request, "notifications/partials/row.html", {"n": notification})
        response["HX-Trigger"] = CHANGED
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读") % {"n": count})
    return redirect("notifications:list")


@login_required
@require_GET
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = policy.get_object_for_user_or_404(request.user, Notification, pk, action="change")
    services.mark_read(notification, actor=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def channel_settings(request):
    current = services.settings_for(request.user)
    if request.method == "POST":
        form = ChannelSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.update_channel_settings(request.user, actor=request.user, **form.settings_values())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("通知设置已保存"))
                return redirect("notifications:settings")
    else:
        form = ChannelSettingsForm(
            initial={
                name: getattr(current, name) for name in services.SETTINGS_FIELDS if name != "webhook_secret"
            }
        )
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_secret": bool(current.webhook_secret), "account_email": request.user.email},
    )
