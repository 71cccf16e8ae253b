"""The home page section 「待办督办事项」: what waits for the user's unit or the office."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.accounts.choices import Role
from duban.core.home import HomeSection, WaitingItem, register

HOME_ITEMS = 8


def waiting_items(user) -> list[WaitingItem]:
    from .queries import inbox_for

    inbox = inbox_for(user)
    rows = [
        *((t, _("待督查室处理")) for t in inbox["to_decide"]),
        *((t, _("待签收")) for t in inbox["to_accept"]),
        *((t, _("已逾期")) for t in inbox["overdue"]),
        *((t, _("办理中")) for t in inbox["working"]),
    ]
    return [
        WaitingItem(
            text=t.title,
            url=reverse("tasks:detail", args=[t.pk]),
            note=f"{note} · {t.deadline:%m-%d}",
            light=getattr(t, "light", ""),
        )
        for t, note in rows[:HOME_ITEMS]
    ]


def register_home_section() -> None:
    register(
        HomeSection(
            key="tasks",
            title=str(_("待办督办事项")),
            empty_text=str(_("暂无待办督办事项。交办给本单位的事项、逾期事项和待审批的申请会出现在这里。")),
            roles=frozenset({Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON}),
            provider=waiting_items,
            more_url_name="tasks:inbox",
        )
    )
