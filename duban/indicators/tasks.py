"""Periodic work of the indicators module: the daily chase of reports due or overdue."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from duban.accounts.choices import Role
from duban.jobs.schedule import register_schedule
from duban.notifications.services import notify

from .deadlines import report_states
from .models import Indicator
from .services.reporting import unit_people


def chase_reports(today=None) -> int:
    """Remind the owning units of reports due soon or overdue; returns the notifications sent.

    Idempotent per day: the key is indicator, period and date, so a second run the same day
    (another worker, a restart) sends nothing new.
    """
    today = today or timezone.localdate()
    indicators = Indicator.objects.filter(is_active=True).select_related("county")
    sent = 0
    with transaction.atomic():
        for state in report_states(indicators, today):
            colour = state.light.colour
            if colour not in ("red", "yellow"):
                continue
            roles = (Role.UNIT_LIAISON, Role.UNIT_HEAD) if colour == "red" else (Role.UNIT_LIAISON,)
            title = (_("%(i)s %(p)s数据逾期未报") if colour == "red" else _("%(i)s %(p)s数据即将到期")) % {
                "i": state.indicator.name,
                "p": state.period.label,
            }
            sent += len(
                notify(
                    unit_people(state.indicator.owner_unit_id, *roles),
                    kind="indicators.chase",
                    title=title,
                    body=_("报送截止：%(d)s（%(r)s）")
                    % {"d": f"{state.due:%Y年%m月%d日}", "r": state.light.reason},
                    url=reverse("indicators:indicator_detail", args=[state.indicator.pk]),
                    target=state.indicator,
                    key=f"indicators.chase:{state.indicator.pk}:{state.period.key}:{today.isoformat()}",
                )
            )
    return sent


@task()
def chase_reports_task() -> int:
    return chase_reports()


register_schedule("indicators.chase_reports", chase_reports_task, daily_at="08:30", workdays_only=True)
