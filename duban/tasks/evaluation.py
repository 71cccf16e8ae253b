"""Timeliness figures per unit (督办考评) and the ranking that feeds the annual assessment.

Every figure is an aggregate computed by the database over the tasks a unit leads (one query for
all units, whatever the number of tasks); the definitions are in docs/tasks.md, with a worked
example that duban/tasks/tests/test_evaluation.py checks.

- received: tasks assigned to the unit as lead unit (cancelled ones left out);
- closed, on time: closed with no working day of delay (completion requested by the deadline);
- overdue: closed late, or still open after the deadline (a completion request made by the
  deadline stops the clock), suspended tasks left out;
- returned, extensions: the returns and approved extensions of those tasks;
- average delay: working days late per closed task (on-time ones count 0);
- feedback punctuality: periodic feedbacks made in time / all feedbacks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce, Rank

from .choices import TaskStatus

S = TaskStatus
T = "led_tasks__"
RUNNING = [S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS]


def _q(**kwargs) -> Q:
    return Q(**{f"{T}{k}": v for k, v in kwargs.items()})


def _per_mille(part: str, whole: str) -> Case:
    """part * 1000 / whole in integers (floored), NULL when whole is 0: portable and exact."""
    return Case(
        When(**{f"{whole}__gt": 0}, then=F(part) * 1000 / F(whole)),
        default=Value(None),
        output_field=IntegerField(),
    )


def annotate_figures(units: QuerySet, *, today: datetime.date, year: int | None = None) -> QuerySet:
    """Units annotated with their figures and their timeliness rank (units with tasks only).

    Rank: on-time rate (‰) descending, then overdue ascending, then total delay ascending;
    equal figures share a rank (RANK(), so 1, 1, 3).
    """
    base = _q(assigned_at__isnull=False) & ~_q(status=S.CANCELLED)
    if year:
        base &= _q(assigned_at__year=year)
    closed = base & _q(status=S.CLOSED)
    late_request = _q(status=S.COMPLETION_REQUESTED, completion_requested_on__gt=F(f"{T}deadline"))
    open_late = base & (_q(status__in=RUNNING, deadline__lt=today) | late_request)
    zero = Value(0)
    return (
        units.annotate(
            received=Count("led_tasks", filter=base),
            closed=Count("led_tasks", filter=closed),
            on_time=Count("led_tasks", filter=closed & _q(delay_working_days=0)),
            overdue=Count("led_tasks", filter=(closed & _q(delay_working_days__gt=0)) | open_late),
            open_overdue=Count("led_tasks", filter=open_late),
            returned=Coalesce(Sum(f"{T}return_count", filter=base), zero),
            extensions=Coalesce(Sum(f"{T}extension_count", filter=base), zero),
            delay_total=Coalesce(Sum(f"{T}delay_working_days", filter=closed), zero),
            feedbacks=Coalesce(Sum(f"{T}feedback_count", filter=base), zero),
            late_feedbacks=Coalesce(Sum(f"{T}late_feedback_count", filter=base), zero),
        )
        .filter(received__gt=0)
        .annotate(
            on_time_per_mille=_per_mille("on_time", "closed"),
            ranked_by=Coalesce(_per_mille("on_time", "closed"), Value(-1)),
        )
        .annotate(
            rank=Window(
                expression=Rank(),
                order_by=[F("ranked_by").desc(), F("overdue").asc(), F("delay_total").asc()],
            )
        )
        .order_by("rank", "sort_order", "name")
    )


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """One unit's row, with the rates worked out from the database's counts."""

    unit: object
    rank: int
    received: int
    closed: int
    on_time: int
    overdue: int
    open_overdue: int
    returned: int
    extensions: int
    delay_total: int
    feedbacks: int
    late_feedbacks: int

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time, self.closed)

    @property
    def average_delay(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(self.delay_total) / Decimal(self.closed)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def feedback_punctuality(self) -> Decimal | None:
        return _percent(self.feedbacks - self.late_feedbacks, self.feedbacks)


FIELDS = [
    "received",
    "closed",
    "on_time",
    "overdue",
    "open_overdue",
    "returned",
    "extensions",
    "delay_total",
    "feedbacks",
    "late_feedbacks",
]


def unit_figures(units: QuerySet, *, today: datetime.date, year: int | None = None) -> list[Figures]:
    rows = annotate_figures(units, today=today, year=year)
    return [Figures(unit=u, rank=u.rank, **{f: getattr(u, f) for f in FIELDS}) for u in rows]
