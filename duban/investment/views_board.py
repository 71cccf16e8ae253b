"""County-wide pages: the pipeline (funnel), the pairing matrix, target progress, the duplicate-claim queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.org.choices import UnitKind
from duban.org.models import Unit

from . import queries, services
from .choices import ClaimStatus, TargetBasis
from .filters import LeadFilter, year_choices
from .forms import SettleForm, TargetForm
from .models import DuplicateClaim, InvestmentTarget, Lead, Pairing
from .views import query_without_page

PUSH_LIMIT = 20


def _county(request):
    counties = list(queries.counties_for(request.user))
    if not counties:
        raise Http404
    wanted = request.GET.get("county")
    return next((c for c in counties if str(c.pk) == wanted), counties[0]), counties


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    years = [y for y, _label in year_choices()]
    return year if year in years else timezone.localdate().year


@login_required
def pipeline(request):
    """The funnel by stage for the filters, the county's figures, the 年前 push and idle units."""
    county, counties = _county(request)
    filters = LeadFilter(
        request.GET, queryset=queries.leads_for(request.user).filter(county=county), request=request
    )
    leads = filters.qs
    year = _year(request)
    *stages, amounts = queries.funnel(leads)
    deadline, days_left, push = queries.spring_push(request.user, timezone.localdate())
    none, idle = queries.idle_units(county, year)
    context = {
        "county": county,
        "counties": counties,
        "filters": filters,
        "year": year,
        "stages": stages,
        "amounts": amounts,
        "chart": {"stages": [s["label"] for s in stages], "counts": [s["count"] for s in stages]},
        "totals": queries.totals(leads, year),
        "current": queries.stage_counts(leads),
        "deadline": deadline,
        "days_left": days_left,
        "push": [p for p in push if p.lead.county_id == county.pk][:PUSH_LIMIT],
        "no_lead": none,
        "idle": idle,
        "query": query_without_page(request),
    }
    return render(request, "investment/pipeline.html", context)


@login_required
def pairing_matrix(request):
    county, counties = _county(request)
    year = _year(request)
    pairings = queries.pairing_matrix(request.user, year).filter(county=county)
    by_department: dict[int, list[Pairing]] = {}
    for pairing in pairings:
        by_department.setdefault(pairing.department_id, []).append(pairing)
    context = {
        "county": county,
        "counties": counties,
        "year": year,
        "years": year_choices(),
        "groups": list(by_department.values()),
        "is_office": services.is_office_of(request.user, county),
    }
    if context["is_office"]:
        units = Unit.objects.visible_to(request.user).filter(
            region__path__startswith=county.path, is_active=True
        )
        context["departments"] = units.filter(kind=UnitKind.DEPARTMENT).order_by("sort_order", "name")
        context["partners"] = units.filter(kind__in=[UnitKind.TOWN, UnitKind.PARK]).order_by(
            "sort_order", "name"
        )
    return render(request, "investment/pairing_matrix.html", context)


@login_required
@require_POST
def pairing_create(request):
    units = Unit.objects.visible_to(request.user)
    try:
        department = units.get(pk=int(request.POST.get("department", "0")))
        partner = units.get(pk=int(request.POST.get("partner", "0")))
        year = int(request.POST.get("year", "0"))
    except (Unit.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    try:
        services.create_pairing(actor=request.user, year=year, department=department, partner=partner)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("已新建联系包保：%(d)s → %(p)s") % {"d": department.name, "p": partner.name}
        )
    return redirect(f"{reverse('investment:pairing_matrix')}?year={year}")


@login_required
def targets(request):
    """Progress against targets by unit (the leads it brings) and by town/park (the leads landing there)."""
    county, counties = _county(request)
    year = _year(request)
    context = {
        "county": county,
        "counties": counties,
        "year": year,
        "years": year_choices(),
        "by_unit": queries.progress_by_unit(county, year, TargetBasis.SOURCE),
        "by_town": queries.progress_by_unit(county, year, TargetBasis.LOCATION),
        "figures": FIGURE_LABELS,
        "is_office": services.is_office_of(request.user, county),
    }
    return render(request, "investment/targets.html", context)


FIGURE_LABELS = [
    ("leads", _("线索数")),
    ("signed_projects", _("签约项目")),
    ("signed_amount", _("签约金额（万元）")),
    ("landed_projects", _("落地项目")),
    ("funds_in_place", _("到位资金（万元）")),
]


@login_required
def target_edit(request, unit_pk: int, basis: str):
    if basis not in TargetBasis.values:
        raise Http404
    unit = policy.get_object_for_user_or_404(request.user, Unit, unit_pk)
    year = _year(request)
    county = services.county_of(unit)
    if not services.is_office_of(request.user, county):
        raise PermissionDenied(_("只有督查室可以设定招商目标"))
    current = (
        InvestmentTarget.objects.visible_to(request.user).filter(unit=unit, year=year, basis=basis).first()
    )
    form = TargetForm(request.POST or None, instance=current or InvestmentTarget())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(actor=request.user, unit=unit, year=year, basis=basis, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("已设定%(unit)s %(year)s年招商目标") % {"unit": unit.name, "year": year}
            )
            return redirect(f"{reverse('investment:targets')}?year={year}")
    return render(
        request,
        "investment/target_form.html",
        {"form": form, "unit": unit, "year": year, "basis": TargetBasis(basis).label},
    )


@login_required
def duplicates(request):
    """The office's queue of duplicate claims: both leads side by side, settle or dismiss."""
    if not policy.has_role(request.user, Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER):
        raise Http404
    status = request.GET.get("status") or ClaimStatus.OPEN
    claims = (
        DuplicateClaim.objects.visible_to(request.user)
        .filter(status=status)
        .select_related(
            "first__source_unit",
            "second__source_unit",
            "first__intended_location",
            "second__intended_location",
            "settled_by",
        )
    )[:200]
    context = {
        "claims": claims,
        "status": status,
        "statuses": ClaimStatus.choices,
        "can_settle": policy.has_role(request.user, Role.SUPERVISION_OFFICE),
    }
    return render(request, "investment/duplicates.html", context)


@login_required
@require_POST
def duplicate_settle(request, pk: int):
    claim = policy.get_object_for_user_or_404(request.user, DuplicateClaim, pk, action=policy.CHANGE)
    form = SettleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择归属线索"))
        if request.POST.get("dismiss"):
            services.dismiss_duplicate(claim, actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("已认定为非重复"))
        else:
            owner = policy.get_object_for_user_or_404(
                request.user, Lead, form.cleaned_data["owner"], action=policy.CHANGE
            )
            services.settle_duplicate(
                claim,
                actor=request.user,
                owner=owner,
                shared_credit=form.cleaned_data["shared_credit"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("已裁定归属“%(unit)s”") % {"unit": owner.source_unit.name})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("investment:duplicates")
