"""The calendar of deadlines (督办日历): a month's deadlines and time nodes, day by day."""

from __future__ import annotations

import calendar as std_calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from duban.core import calendar

from .queries import deadlines_between


def _month(text: str, today: datetime.date) -> datetime.date:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return datetime.date(min(max(year, 2000), 2100), month, 1)
    except ValueError:
        return today.replace(day=1)


@login_required
def deadline_calendar(request):
    """Every day of the month that has a deadline or a node, with its working-day status."""
    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    last = first.replace(day=std_calendar.monthrange(first.year, first.month)[1])
    by_day = deadlines_between(request.user, first, last)
    days = [(calendar.day_info(d), by_day[d]) for d in sorted(by_day)]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "first": first,
        "days": days,
        "today": today,
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
    }
    return render(request, "tasks/calendar.html", context)
