"""Pages of the catalogue, kept by the supervision office: create and edit an indicator, set the
annual target and the period plan. Writes go through services/catalogue.py (checks, audit);
a visible indicator the user may not change answers 403, an invisible one 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.org.choices import RegionLevel
from duban.org.models import Region, Unit

from .forms import IndicatorForm, PlanEntryForm, TargetForm
from .models import AnnualTarget, Indicator, PeriodPlan
from .numbers import figure_text
from .periods import periods_of_year
from .progress import derived_plan
from .roles import is_office_over
from .services.catalogue import create_indicator, set_annual_target, set_period_plan, update_indicator
from .views_reporting import _errors_to_form

LEADER_ROLES = (Role.COUNTY_LEADER,)


def office_county(user) -> Region | None:
    """The county whose supervision office the user is (the first one, by path)."""
    paths = policy.grants_of(user).paths({Role.SUPERVISION_OFFICE})
    if not paths:
        return None
    return (
        Region.objects.visible_to(user)
        .filter(path__in=paths, level=RegionLevel.COUNTY)
        .order_by("path")
        .first()
    )


def _choices(user, county: Region):
    units = Unit.objects.visible_to(user).in_region(county).order_by("name")
    leaders = (
        get_user_model()
        .objects.visible_to(user)
        .filter(
            is_active=True,
            grants__role__in=LEADER_ROLES,
            grants__region__path__startswith=county.path,
        )
        .distinct()
        .order_by("username")
    )
    return {"units": units, "leaders": leaders}


def _changeable(request, pk: int) -> Indicator:
    indicator = policy.get_object_for_user_or_404(
        request.user, Indicator.objects.visible_to(request.user).select_related("county"), pk
    )
    if not is_office_over(request.user, indicator.county):
        raise PermissionDenied(_("只有督查室可以维护考核指标"))
    return indicator


def _save_indicator(request, form: IndicatorForm, county: Region, indicator: Indicator | None):
    data = form.cleaned_data
    try:
        if indicator is None:
            return create_indicator(
                actor=request.user,
                county=county,
                owner_unit=data["owner_unit"],
                cooperating_units=list(data["cooperating_units"]),
                **form.service_fields(),
            )
        return update_indicator(
            indicator,
            actor=request.user,
            cooperating_units=list(data["cooperating_units"]),
            owner_unit=data["owner_unit"],
            **form.service_fields(),
        )
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return None


@login_required
def indicator_create(request):
    county = office_county(request.user)
    if county is None:
        raise PermissionDenied(_("只有督查室可以维护考核指标"))
    form = IndicatorForm(
        request.POST or None, instance=Indicator(county=county), **_choices(request.user, county)
    )
    if request.method == "POST" and form.is_valid():
        indicator = _save_indicator(request, form, county, None)
        if indicator is not None:
            messages.success(request, _("考核指标已新增，请设置年度目标"))
            return redirect("indicators:indicator_targets", indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": None})


@login_required
def indicator_edit(request, pk: int):
    indicator = _changeable(request, pk)
    form = IndicatorForm(request.POST or None, instance=indicator, **_choices(request.user, indicator.county))
    if request.method == "POST" and form.is_valid():
        # The form works on its own copy: a failed save must leave nothing half-applied.
        if _save_indicator(request, form, indicator.county, Indicator(pk=indicator.pk)) is not None:
            messages.success(request, _("考核指标已保存"))
            return redirect("indicators:indicator_detail", indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator})


def _plan_rows(user, indicator: Indicator, year: int):
    """Every period of the year: the entered plan, else the plan derived from time progress."""
    target = AnnualTarget.objects.visible_to(user).filter(indicator=indicator, year=year).first()
    entered = dict(
        PeriodPlan.objects.visible_to(user)
        .filter(indicator=indicator, period__gte=year * 100, period__lt=(year + 1) * 100)
        .values_list("period", "value")
    )
    annual = target.value if target else None
    rows = []
    for period in periods_of_year(year, indicator.frequency):
        value = entered.get(period.key)
        rows.append(
            {
                "period": period,
                "value": value if value is not None else derived_plan(indicator, period, annual),
                "entered": value is not None,
            }
        )
    return target, rows


@login_required
def indicator_targets(request, pk: int):
    indicator = _changeable(request, pk)
    year = timezone.localdate().year
    if request.GET.get("year", "").isdigit():
        year = min(max(int(request.GET["year"]), 2000), 2100)
    which = request.POST.get("form") if request.method == "POST" else None
    target_form = TargetForm(request.POST if which == "target" else None, initial={"year": year})
    plan_form = PlanEntryForm(request.POST if which == "plan" else None, indicator=indicator)
    if which == "target" and target_form.is_valid():
        data = target_form.cleaned_data
        try:
            set_annual_target(
                indicator,
                actor=request.user,
                year=data["year"],
                value=data["value"],
                target_place=data["target_place"],
            )
        except ValidationError as exc:
            _errors_to_form(target_form, exc)
        else:
            messages.success(request, _("年度目标已保存"))
            return redirect(f"{request.path}?year={data['year']}")
    if which == "plan" and plan_form.is_valid():
        period = plan_form.cleaned_data["period"]
        try:
            set_period_plan(
                indicator, actor=request.user, period=period, value=plan_form.cleaned_data["value"]
            )
        except ValidationError as exc:
            _errors_to_form(plan_form, exc)
        else:
            messages.success(request, _("分期计划已保存"))
            return redirect(f"{request.path}?year={period.year}")
    target, rows = _plan_rows(request.user, indicator, year)
    if target is not None and not target_form.is_bound:
        target_form.initial.update({"value": figure_text(target.value), "target_place": target.target_place})
    context = {
        "indicator": indicator,
        "year": year,
        "target": target,
        "rows": rows,
        "target_form": target_form,
        "plan_form": plan_form,
    }
    return render(request, "indicators/indicator_targets.html", context)
