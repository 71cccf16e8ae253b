"""Pages of the working-day calendar.

`calendar_page` (every signed-in user): the year's month grids with holidays and swapped
working days, 年前 with its countdown, and this month's and quarter's deadlines with their
status lights. `adjustments` and its POST actions: the system administrator's list of
adjustments, with add, delete and paste import, all through duban.core.calendar.services.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.core import calendar, lights
from duban.core.calendar import services

from .forms import AdjustmentForm, AdjustmentImportForm
from .models import WorkdayAdjustment

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]
MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


def _month_weeks(year: int, month: int) -> list[list[calendar.DayInfo | None]]:
    """Weeks Monday-Sunday; days of the neighbouring months are None (blank cells)."""
    weeks = std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[calendar.day_info(d) if d.month == month else None for d in week] for week in weeks]


def _deadline(label: str, note: str, due: datetime.date, today: datetime.date) -> dict:
    return {
        "label": label,
        "note": note,
        "due": due,
        "weekday": WEEKDAYS[due.weekday()],
        "light": lights.deadline_light(due, None, today),
        "known": calendar.year_is_known(due.year),
    }


def _upcoming_eve(today: datetime.date) -> tuple[int, datetime.date]:
    """The next 年前 still ahead (or today): this lunar year's, else next year's."""
    eve = calendar.before_spring_festival(today.year)
    if today > eve:
        return today.year + 1, calendar.before_spring_festival(today.year + 1)
    return today.year, eve


def _deadlines(today: datetime.date) -> list[dict]:
    quarter = calendar.quarter_of(today)
    eve_year, eve = _upcoming_eve(today)
    return [
        _deadline(
            _("本月月底"),
            _("本月最后一个工作日"),
            calendar.month_end_deadline(today.year, today.month),
            today,
        ),
        _deadline(
            _("本季度末"),
            _("第%(q)d季度最后一个工作日") % {"q": quarter},
            calendar.quarter_end_deadline(today.year, quarter),
            today,
        ),
        _deadline(
            _("次月月报"),
            _("次月第5个工作日前报送"),
            calendar.nth_working_day_of_next_month(today, 5),
            today,
        ),
        _deadline(_("年前"), _("%(y)d年春节假期前最后一个工作日") % {"y": eve_year}, eve, today),
    ]


@login_required
def calendar_page(request):
    today = timezone.localdate()
    year = _year(request, today.year)
    eve_year, eve = _upcoming_eve(today)
    is_admin = policy.has_role(request.user, Role.SYSTEM_ADMIN)
    context = {
        "year": year,
        "today": today,
        "known": calendar.year_is_known(year),
        "months": [(m, _month_weeks(year, m)) for m in range(1, 13)],
        "weekdays": WEEKDAYS,
        "spring_festival": calendar.spring_festival(year),
        "holiday_start": calendar.spring_festival_holiday_start(year),
        "year_eve": calendar.before_spring_festival(year),
        "eve": eve,
        "eve_year": eve_year,
        "eve_known": calendar.year_is_known(eve_year),
        "eve_days": calendar.working_days_between(today, eve),
        "deadlines": _deadlines(today),
        "is_admin": is_admin,
        "years": [y for y in (year - 1, year + 1) if MIN_YEAR <= y <= MAX_YEAR],
    }
    return render(request, "core/calendar.html", context)


def _adjustments_context(request, year: int, form=None, import_form=None) -> dict:
    rows = WorkdayAdjustment.objects.visible_to(request.user).in_year(year).for_listing()
    return {
        "year": year,
        "rows": [(row, WEEKDAYS[row.date.weekday()]) for row in rows],
        "known_by_package": calendar.package_knows(year),
        "form": form or AdjustmentForm(),
        "import_form": import_form or AdjustmentImportForm(),
        "years": [y for y in (year - 1, year + 1) if MIN_YEAR <= y <= MAX_YEAR],
    }


def _to_adjustments(year: int):
    return redirect(f"{reverse('core:calendar_adjustments')}?year={year}")


@login_required
def adjustments(request):
    policy.require_role(request.user, Role.SYSTEM_ADMIN)
    year = _year(request, timezone.localdate().year)
    return render(request, "core/calendar_adjustments.html", _adjustments_context(request, year))


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def adjustment_add(request):
    policy.require_role(request.user, Role.SYSTEM_ADMIN)
    form = AdjustmentForm(request.POST)
    year = _year(request, timezone.localdate().year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_adjustment(
                actor=request.user,
                date=data["date"],
                is_workday=form.is_workday,
                name=data["name"],
                note=data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(d)s 的调整") % {"d": data["date"].isoformat()})
            return _to_adjustments(data["date"].year)
    context = _adjustments_context(request, year, form=form)
    return render(request, "core/calendar_adjustments.html", context, status=400)


@login_required
@require_POST
def adjustment_import(request):
    policy.require_role(request.user, Role.SYSTEM_ADMIN)
    form = AdjustmentImportForm(request.POST)
    year = _year(request, timezone.localdate().year)
    if form.is_valid():
        try:
            result = services.import_adjustments(form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("导入完成：新增%(c)d条，修改%(u)d条，未变%(s)d条")
                % {"c": result.created, "u": result.updated, "s": result.unchanged},
            )
            return _to_adjustments(result.years[0])
    context = _adjustments_context(request, year, import_form=form)
    return render(request, "core/calendar_adjustments.html", context, status=400)


@login_required
@require_POST
def adjustment_delete(request, pk: int):
    adjustment = policy.get_object_for_user_or_404(request.user, WorkdayAdjustment, pk, action=policy.CHANGE)
    services.delete_adjustment(adjustment, actor=request.user)
    messages.success(request, _("已删除 %(d)s 的调整") % {"d": adjustment.date.isoformat()})
    return _to_adjustments(adjustment.date.year)
