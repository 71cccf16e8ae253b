"""Pages that write: entering a figure, the workflow buttons, the bulletin import; the unit page.

Writes go through the services; a visible object the user may not change answers 403.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.org.models import Unit

from .board import board_rows
from .bulletin_file import read_rows
from .choices import ValueAction
from .deadlines import report_states
from .exports import board_workbook, report_template
from .filters import IndicatorFilter
from .forms import BulletinForm, ReasonForm, ReportUploadForm, ValueForm
from .models import Indicator, IndicatorValue
from .roles import in_unit, is_office_over, is_statistics_over
from .services import enter_value
from .services.bulletin import import_bulletin
from .services.report_upload import import_unit_report
from .services.reporting import TRANSITION_SERVICES


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def value_enter(request, pk: int):
    indicator = policy.get_object_for_user_or_404(
        request.user, Indicator.objects.visible_to(request.user).select_related("owner_unit"), pk
    )
    if not in_unit(request.user, indicator.owner_unit_id):
        raise PermissionDenied(_("只有责任单位可以填报本指标"))
    today = timezone.localdate()
    form = ValueForm(request.POST or None, indicator=indicator, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            enter_value(
                indicator,
                actor=request.user,
                period=form.period_value(),
                value=form.cleaned_data["value"],
                last_year_value=form.cleaned_data["last_year_value"],
                explanation=form.cleaned_data["explanation"],
                today=today,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已保存草稿，请核对后提交审核"))
            return redirect("indicators:indicator_detail", indicator.pk)
    return render(request, "indicators/value_form.html", {"indicator": indicator, "form": form})


@login_required
@require_POST
def value_action(request, pk: int, action: str):
    if action not in TRANSITION_SERVICES:
        raise Http404
    row = policy.get_object_for_user_or_404(
        request.user, IndicatorValue.objects.visible_to(request.user).select_related("indicator"), pk
    )
    form = ReasonForm(request.POST)
    kwargs = {}
    if action in (ValueAction.RETURN, ValueAction.CORRECT):
        kwargs["reason"] = form.data.get("reason", "")[:500]
    try:
        TRANSITION_SERVICES[action](row, actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已%(a)s") % {"a": ValueAction(action).label})
    return redirect("indicators:indicator_detail", row.indicator_id)


@login_required
def unit_page(request, pk: int):
    """What a unit owns: its indicators on the board, the state of its reports, figures in progress."""
    unit = policy.get_object_for_user_or_404(request.user, Unit.objects.visible_to(request.user), pk)
    owned = (
        Indicator.objects.visible_to(request.user)
        .filter(owner_unit=unit, is_active=True)
        .order_by("sort_order", "code")
    )
    rows = board_rows(request.user, owned)
    states = report_states([r.indicator for r in rows])
    in_progress = (
        IndicatorValue.objects.visible_to(request.user)
        .filter(indicator__owner_unit=unit, is_current=True, is_official=False)
        .select_related("indicator", "entered_by")
        .order_by("-period")
    )
    return render(
        request,
        "indicators/unit_page.html",
        {
            "unit": unit,
            "rows": rows,
            "states": states,
            "in_progress": in_progress,
            "late": [s for s in states if s.late or s.light.colour in ("red", "yellow")],
        },
    )


@login_required
def bulletin_import(request):
    county = _home_county(request.user)
    if county is None or not (
        is_office_over(request.user, county) or is_statistics_over(request.user, county)
    ):
        raise Http404
    form = BulletinForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
            summary = import_bulletin(
                actor=request.user, county=county, period_text=form.cleaned_data["period"].strip(), rows=rows
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "indicators/bulletin_import.html", {"form": form, "summary": summary, "county": county}
    )


def _home_county(user):
    """The county whose catalogue the user works on (the first visible indicator's county)."""
    first = Indicator.objects.visible_to(user).select_related("county").first()
    return first.county if first else None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def board_export(request):
    filters = IndicatorFilter(
        request.GET, queryset=Indicator.objects.visible_to(request.user, "export"), request=request
    )
    if not filters.is_valid():
        raise Http404
    rows = board_rows(request.user, filters.qs)
    if filters.form.cleaned_data.get("lagging"):
        rows = [r for r in rows if r.lagging]
    used = {k: v for k, v in request.GET.items() if v}
    return _attachment(board_workbook(rows, actor=request.user, filters=used), "考核指标看板.xlsx")


@login_required
def unit_template(request, pk: int):
    unit = policy.get_object_for_user_or_404(request.user, Unit.objects.visible_to(request.user), pk)
    if not in_unit(request.user, unit.pk):
        raise Http404
    owned = (
        Indicator.objects.visible_to(request.user)
        .filter(owner_unit=unit, is_active=True)
        .order_by("sort_order", "code")
    )
    content = report_template(unit.name, report_states(owned), actor=request.user)
    return _attachment(content, f"{unit.name}指标填报模板.xlsx")


@login_required
def unit_report_upload(request, pk: int):
    """The unit's liaison uploads the filled-in template: all rows become drafts, or none."""
    unit = policy.get_object_for_user_or_404(request.user, Unit.objects.visible_to(request.user), pk)
    if not in_unit(request.user, unit.pk):
        raise PermissionDenied(_("只有本单位可以上传填报表"))
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = import_unit_report(unit, actor=request.user, rows=read_rows(form.cleaned_data["file"]))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已导入 %(n)d 条数据（草稿），请逐条核对后提交审核") % {"n": count})
            return redirect("indicators:unit_page", unit.pk)
    return render(request, "indicators/report_upload.html", {"unit": unit, "form": form})
