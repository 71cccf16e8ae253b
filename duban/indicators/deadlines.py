"""Late and missing reports of the county's own figures (the owning units' duty).

A period's report is due on the n-th working day of the next month (Indicator.due_working_day).
The state of a report is a deadline light (duban.core.lights) of that due date against the
first submission of the period (any version): blue on time, blue late=True when submitted
after the due date, red missing and overdue, yellow due within a few working days.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from duban.core.lights import Light, deadline_light

from .choices import ValueSource
from .models import Indicator, IndicatorValue
from .periods import Period, latest_closed
from .progress import due_date


@dataclass(frozen=True)
class ReportState:
    indicator: Indicator
    period: Period
    due: datetime.date
    submitted: datetime.date | None
    light: Light

    @property
    def missing(self) -> bool:
        return self.submitted is None and self.light.colour == "red"

    @property
    def late(self) -> bool:
        return self.light.late or self.missing


def report_states(indicators: Iterable[Indicator], today: datetime.date | None = None) -> list[ReportState]:
    """The state of the latest closed period of each indicator, in one query."""
    today = today or timezone.localdate()
    indicators = list(indicators)
    periods = {ind.pk: latest_closed(ind.frequency, today) for ind in indicators}
    firsts = {
        (row["indicator_id"], row["period"]): row["first"]
        for row in IndicatorValue.objects.filter(
            indicator__in=indicators,
            period__in={p.key for p in periods.values()},
            source=ValueSource.REPORTED,
            submitted_at__isnull=False,
        )
        .filter(county_id__in={ind.county_id for ind in indicators})
        .values("indicator_id", "period")
        .annotate(first=Min("submitted_at"))
        .order_by()
    }
    states = []
    for ind in indicators:
        period = periods[ind.pk]
        first = firsts.get((ind.pk, period.key))
        submitted = timezone.localtime(first).date() if first else None
        due = due_date(ind, period)
        states.append(ReportState(ind, period, due, submitted, deadline_light(due, submitted, today)))
    return states
