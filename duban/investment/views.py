"""Lead pages: the list and kanban, the lead page with its timeline, registration, moves, follow-ups.

Reads start from queries.leads_for (visible_to) or get_object_for_user_or_404; writes go through
services/moves. A lead another unit may not read in confidence shows its public fields only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES
from duban.core import calendar
from duban.org.models import Unit

from . import moves, queries, services
from .choices import MOVES, PIPELINE, Stage, moves_from
from .conf import conf
from .filters import LeadFilter
from .forms import FollowUpForm, LeadForm, MoveForm, SourceUnitForm
from .models import Lead

PAGE_SIZE = 50
KANBAN_LIMIT = 300


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("view", None)
    return params.urlencode()


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def public_fields() -> set[str]:
    return set(conf("PUBLIC_FIELDS") or ())


@login_required
def lead_list(request):
    """The ledger (table) or the kanban (one column per stage) of the filtered leads."""
    filters = LeadFilter(request.GET, queryset=queries.leads_for(request.user), request=request)
    kanban = request.GET.get("view") == "kanban"
    context = {
        "filters": filters,
        "query": query_without_page(request),
        "kanban": kanban,
        "public": public_fields(),
    }
    if kanban:
        rows = list(filters.qs.order_by("-last_activity_on", "-pk")[:KANBAN_LIMIT])
        columns = [
            (s, Stage(s).label, [r for r in rows if r.stage == s])
            for s in [*PIPELINE, Stage.SHELVED, Stage.LOST]
        ]
        context.update(columns=columns, truncated=len(rows) == KANBAN_LIMIT)
    else:
        context["page"] = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context["can_create"] = bool(_creatable_units(request.user))
    template = "investment/partials/lead_results.html" if is_htmx(request) else "investment/lead_list.html"
    return render(request, template, context)


@login_required
def lead_detail(request, pk: int):
    lead = policy.get_object_for_user_or_404(request.user, queries.leads_for(request.user), pk)
    today = timezone.localdate()
    can_change = policy.can(request.user, policy.CHANGE, lead)
    context = {
        "lead": lead,
        "public": public_fields(),
        "can_change": can_change,
        "may_unmask": lead.may_read and services.may_unmask(request.user, lead),
        "light": queries.follow_light(lead, today),
    }
    if lead.may_read:
        context["timeline"] = queries.timeline(lead)
    if can_change:
        today_initial = {"date": today}
        context["move_forms"] = [
            (m, MoveForm(initial=today_initial, prefix=m.action)) for m in moves_from(lead.stage)
        ]
        context["follow_form"] = FollowUpForm(initial=today_initial)
        context["stages_before"] = (
            [(s, Stage(s).label) for s in PIPELINE if s in PIPELINE[: PIPELINE.index(lead.stage)]]
            if lead.stage in PIPELINE
            else []
        )
    if lead.expected_sign_on and lead.stage in PIPELINE[:4]:
        context["days_to_sign"] = calendar.working_days_between(today, lead.expected_sign_on)
    return render(request, "investment/lead_detail.html", context)


def _creatable_units(user) -> list[Unit]:
    """Units the user may register leads for: its own unit(s), or any unit of the office's county."""
    grants = policy.grants_of(user)
    own = grants.units(UNIT_SCOPED_ROLES)
    units = Unit.objects.visible_to(user).filter(is_active=True, kind__in=["department", "town", "park"])
    if grants.paths({"supervision_office"}):
        return list(units.order_by("kind", "sort_order", "name"))
    return list(units.filter(pk__in=own))


@login_required
def lead_create(request):
    units = _creatable_units(request.user)
    if not units:
        raise PermissionDenied(_("无权登记项目线索"))
    unit_form = SourceUnitForm(request.POST or None, initial={"source_unit": units[0].pk})
    unit_form.fields["source_unit"].queryset = Unit.objects.visible_to(request.user).filter(
        pk__in=[u.pk for u in units]
    )
    form = LeadForm(
        request.POST or None, user=request.user, source_unit=units[0] if len(units) == 1 else None
    )
    if request.method == "POST" and form.is_valid() and unit_form.is_valid():
        try:
            lead = services.create_lead(
                actor=request.user, source_unit=unit_form.cleaned_data["source_unit"], **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记项目线索“%(name)s”") % {"name": lead.project_name})
            return redirect("investment:lead_detail", pk=lead.pk)
    return render(
        request,
        "investment/lead_form.html",
        {"form": form, "unit_form": unit_form, "many_units": len(units) > 1},
    )


def _for_change(request, pk: int) -> Lead:
    lead = policy.get_object_for_user_or_404(request.user, Lead, pk, action=policy.VIEW)
    if not policy.can(request.user, policy.CHANGE, lead):
        raise PermissionDenied(_("无权执行此操作"))
    return lead


@login_required
def lead_edit(request, pk: int):
    lead = _for_change(request, pk)
    form = LeadForm(request.POST or None, instance=lead, user=request.user, source_unit=lead.source_unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_lead(lead, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("investment:lead_detail", pk=lead.pk)
    return render(request, "investment/lead_form.html", {"form": form, "lead": lead})


@login_required
@require_POST
def lead_move(request, pk: int, action: str):
    if action not in moves.MOVE_SERVICES:
        raise Http404
    lead = _for_change(request, pk)
    form = MoveForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            moves.MOVE_SERVICES[action](
                lead,
                actor=request.user,
                **form.service_kwargs(action, request.FILES.getlist(f"{action}-files")),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已%(move)s") % {"move": MOVES[action].label})
            return redirect("investment:lead_detail", pk=lead.pk)
    errors = [
        f"{form.fields[f].label if f in form.fields else ''}{'：' if f in form.fields else ''}{e}"
        for f, es in form.errors.items()
        for e in es
    ]
    messages.error(
        request, _("%(move)s未完成：%(errors)s") % {"move": MOVES[action].label, "errors": "；".join(errors)}
    )
    return redirect("investment:lead_detail", pk=lead.pk)


@login_required
@require_POST
def follow_up_add(request, pk: int):
    lead = _for_change(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(lead, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记跟进记录"))
            return redirect("investment:lead_detail", pk=lead.pk)
    errors = [str(e) for es in form.errors.values() for e in es]
    messages.error(request, _("跟进记录未保存：%(errors)s") % {"errors": "；".join(errors)})
    return redirect("investment:lead_detail", pk=lead.pk)


@login_required
@require_POST
def reveal_phone(request, pk: int):
    """The full number, audited; 404 for a lead the user cannot read in confidence."""
    lead = policy.get_object_for_user_or_404(request.user, Lead, pk, action=policy.CONFIDENTIAL)
    phone = services.reveal_contact(lead, actor=request.user)
    if is_htmx(request):
        return render(request, "investment/partials/phone.html", {"phone": phone, "revealed": True})
    messages.info(request, _("联系电话：%(phone)s") % {"phone": phone})
    return redirect("investment:lead_detail", pk=lead.pk)
