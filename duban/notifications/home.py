"""The home page section "通知": the user's latest unread notifications."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.choices import ADMIN_ROLES, BUSINESS_ROLES
from duban.core.home import HomeSection, WaitingItem, register

HOME_ITEMS = 5


def unread_items(user) -> list[WaitingItem]:
    from .models import Notification

    rows = Notification.objects.visible_to(user).unread().only("title", "url", "created_at")[:HOME_ITEMS]
    return [
        WaitingItem(
            text=n.title,
            url=reverse("notifications:open", args=[n.pk]),
            note=timezone.localtime(n.created_at).strftime("%m-%d %H:%M"),
        )
        for n in rows
    ]


def register_home_section() -> None:
    register(
        HomeSection(
            key="notifications",
            title=str(_("通知")),
            empty_text=str(_("暂无未读通知。催办提醒、审核结果和后台任务完成的消息会出现在这里。")),
            roles=frozenset(BUSINESS_ROLES | ADMIN_ROLES),
            provider=unread_items,
            more_url_name="notifications:list",
        )
    )
