"""Chasing leads nobody follows up: a yellow or red lead notifies its follower (or the source unit's
liaisons) once a day; a red one also its unit head. Idempotent: notify's key is kind:lead:day."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.choices import Role
from duban.accounts.models import Grant, User
from duban.notifications.services import notify

from .models import Lead
from .queries import follow_light, follow_light_case

KIND = "investment.follow_up_chase"


def _unit_people(unit_ids: set[int]) -> dict[tuple[int, str], list[User]]:
    """(unit id, role) -> the active users holding that role on the unit. One query."""
    people: dict[tuple[int, str], list[User]] = {}
    grants = Grant.objects.active().filter(
        unit__in=unit_ids, role__in=[Role.UNIT_LIAISON, Role.UNIT_HEAD], user__is_active=True
    )
    for grant in grants.select_related("user"):
        people.setdefault((grant.unit_id, grant.role), []).append(grant.user)
    return people


def chase_idle_leads(today: datetime.date | None = None) -> dict[str, int]:
    """Notify about every active lead whose follow-up light is yellow or red. Safe to run twice a day."""
    today = today or timezone.localdate()
    leads = list(
        Lead.objects.annotate(light=follow_light_case(today))
        .filter(Q(light="yellow") | Q(light="red"))
        .select_related("follower", "source_unit")
        .order_by("pk")
    )
    people = _unit_people({lead.source_unit_id for lead in leads})
    sent = 0
    for lead in leads:
        light = follow_light(lead, today)
        recipients: list[User] = []
        if lead.follower is not None and lead.follower.is_active:
            recipients.append(lead.follower)
        else:
            recipients += people.get((lead.source_unit_id, Role.UNIT_LIAISON), [])
        if lead.light == "red":
            recipients += people.get((lead.source_unit_id, Role.UNIT_HEAD), [])
        title = _("招商线索「%(name)s」已%(reason)s") % {"name": lead.project_name, "reason": light.reason}
        body = _("最近跟进：%(date)s。请尽快联系投资方并登记跟进记录。") % {
            "date": lead.last_activity_on.isoformat()
        }
        url = reverse("investment:lead_detail", args=[lead.pk])
        sent += len(notify(recipients, kind=KIND, title=title, body=body, url=url, target=lead))
    return {"leads": len(leads), "notifications": sent}
