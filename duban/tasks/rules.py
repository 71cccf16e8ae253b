"""Domain checks shared by the task services: who acts for which unit, deadlines, scope."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.accounts.models import User
from duban.core import calendar
from duban.core.templatetags.duban_format import zh_date
from duban.org.choices import RegionLevel
from duban.org.models import Region, Unit

from .choices import ACTION_LABELS, allowed_from


def check_deadline(day: datetime.date | None, *, today: datetime.date, field: str = "deadline") -> None:
    """A deadline must be a working day from today on; the message offers the next working day."""
    if day is None:
        raise ValidationError({field: [_("请填写截止日期")]})
    suggestion = suggest_deadline(day, today=today)
    if day < today:
        raise ValidationError(
            {field: [_("截止日期不能早于今天，建议改为%(day)s") % {"day": zh_date(suggestion)}]}
        )
    if suggestion != day:
        raise ValidationError(
            {field: [_("截止日期为节假日，建议改为%(day)s") % {"day": zh_date(suggestion)}]}
        )


def suggest_deadline(day: datetime.date, *, today: datetime.date) -> datetime.date:
    """The date a refused deadline should become: the first working day from max(day, today)."""
    return calendar.next_workday(max(day, today))


def require_state(task, action: str) -> None:
    if task.status not in allowed_from(action):
        raise ValidationError(
            _("事项当前为“%(status)s”，不能%(action)s")
            % {"status": task.get_status_display(), "action": ACTION_LABELS[action]}
        )


def county_of(unit: Unit) -> Region:
    """The county (or the top region) a unit sits in: a task belongs to one county."""
    paths = [unit.region.path[: i + 1] for i, ch in enumerate(unit.region.path) if ch == "/" and i > 0]
    regions = {r.path: r for r in Region.objects.filter(path__in=paths)}
    counties = [regions[p] for p in paths if p in regions and regions[p].level == RegionLevel.COUNTY]
    return counties[-1] if counties else regions[paths[0]]


def require_office(actor, region: Region) -> None:
    """The supervision office whose scope covers the task's county."""
    paths = policy.grants_of(actor).paths({Role.SUPERVISION_OFFICE})
    if not any(region.path.startswith(p) for p in paths):
        raise PermissionDenied(_("只有督查室可以执行此操作"))


def is_office(actor, region: Region) -> bool:
    paths = policy.grants_of(actor).paths({Role.SUPERVISION_OFFICE})
    return any(region.path.startswith(p) for p in paths)


def is_leader(actor, region: Region) -> bool:
    paths = policy.grants_of(actor).paths({Role.COUNTY_LEADER})
    return any(region.path.startswith(p) for p in paths)


def actor_units(actor) -> set[int]:
    return policy.grants_of(actor).units(UNIT_SCOPED_ROLES)


def require_lead(actor, task) -> Unit:
    if task.lead_unit_id not in actor_units(actor):
        raise PermissionDenied(_("只有牵头单位可以执行此操作"))
    return task.lead_unit


def unit_on_task(actor, task) -> Unit | None:
    """The unit the actor acts for on this task: the lead unit first, else a cooperating one."""
    units = actor_units(actor)
    if task.lead_unit_id in units:
        return task.lead_unit
    return task.cooperating_units.filter(pk__in=units).first()


def check_units_in(region: Region, units, field: str) -> None:
    for unit in units:
        if not unit.region.path.startswith(region.path):
            raise ValidationError({field: [_("单位“%(name)s”不在本县范围内") % {"name": unit.name}]})
        if not unit.is_active:
            raise ValidationError({field: [_("单位“%(name)s”已停用") % {"name": unit.name}]})


def check_leader(leader, region: Region, field: str = "leader_in_charge") -> None:
    if leader is not None and not (leader.is_active and is_leader(leader, region)):
        raise ValidationError({field: [_("责任领导必须是本县的县领导")]})


def unit_people(unit_ids, roles=(Role.UNIT_HEAD, Role.UNIT_LIAISON)) -> list[User]:
    """Active holders of unit roles in these units (the people a unit's notifications go to)."""
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__role__in=list(roles),
            grants__unit__in=list(unit_ids),
        ).distinct()
    )


def office_people(region: Region) -> list[User]:
    """The supervision office staff whose scope covers the region."""
    prefixes = [region.path[: i + 1] for i, ch in enumerate(region.path) if ch == "/" and i > 0]
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__role=Role.SUPERVISION_OFFICE,
            grants__region__path__in=prefixes,
        ).distinct()
    )


def county_leaders(region: Region):
    """Active county leaders whose scope covers the region (chairs, leaders in charge)."""
    prefixes = [region.path[: i + 1] for i, ch in enumerate(region.path) if ch == "/" and i > 0]
    leaders = User.objects.filter(
        is_active=True,
        grants__revoked_at__isnull=True,
        grants__role=Role.COUNTY_LEADER,
        grants__region__path__in=prefixes,
    )
    return User.objects.filter(pk__in=leaders.values("pk")).order_by("real_name", "pk")
