"""Test data for supervised tasks, built through the services (so checked and audited)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.core import calendar
from duban.org.factories import make_county, make_unit
from duban.org.models import Region, Unit

from . import services
from .models import Task

_seq = itertools.count(1)


@dataclass
class County:
    """A county with an office, a leader, a lead unit and a cooperating unit, each with people."""

    region: Region
    office: object
    leader: object
    lead: Unit
    lead_head: object
    lead_liaison: object
    coop: Unit
    coop_liaison: object
    other: Unit
    other_liaison: object


def make_task_county(name: str | None = None) -> County:
    n = next(_seq)
    region = make_county(name or f"督办测试县{n}")
    lead = make_unit(f"发改局{n}", region=region)
    coop = make_unit(f"商务局{n}", region=region)
    other = make_unit(f"统计局{n}", region=region)
    return County(
        region=region,
        office=make_user_with_role(
            Role.SUPERVISION_OFFICE, region=region, unit=make_unit(f"督查室{n}", region=region)
        ),
        leader=make_user_with_role(
            Role.COUNTY_LEADER, region=region, unit=make_unit(f"县领导{n}", region=region)
        ),
        lead=lead,
        lead_head=make_user_with_role(Role.UNIT_HEAD, unit=lead),
        lead_liaison=make_user_with_role(Role.UNIT_LIAISON, unit=lead),
        coop=coop,
        coop_liaison=make_user_with_role(Role.UNIT_LIAISON, unit=coop),
        other=other,
        other_liaison=make_user_with_role(Role.UNIT_LIAISON, unit=other),
    )


def working_days_ahead(n: int, today: datetime.date | None = None) -> datetime.date:
    return calendar.add_working_days(today or timezone.localdate(), n)


def make_task(c: County, *, assign: bool = False, accept: bool = False, **kwargs) -> Task:
    kwargs.setdefault("title", f"测试督办事项{next(_seq)}")
    kwargs.setdefault("deadline", working_days_ahead(10))
    kwargs.setdefault("cooperating_units", [c.coop])
    task = services.create_task(actor=c.office, lead_unit=kwargs.pop("lead_unit", c.lead), **kwargs)
    if assign or accept:
        task = services.assign_task(task, actor=c.office)
    if accept:
        task = services.accept_task(task, actor=c.lead_liaison)
    return task
