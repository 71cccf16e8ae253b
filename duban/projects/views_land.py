"""The land quota page: used, pending and remaining per kind; requests in priority order; the
forms each role may use (office: quota; project units: request; land department: order;
leaders: approve or refuse)."""

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

from . import land
from .forms import NoteForm
from .forms_register import LandQuotaForm, LandRequestForm
from .models import LandRequest, Project
from .services import land as land_services
from .services.common import is_office_for
from .views_problems import apply_errors
from .views_register import _office_county


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _county(request):
    county = _office_county(request.user)
    if county is None:
        raise PermissionDenied(_("只有督查室可以设定土地指标"))
    return county


@login_required
def land_board(request):
    user, year = request.user, _year(request)
    quotas = land.quotas_for(user, year)
    projects = Project.objects.visible_to(user, policy.CHANGE).order_by("code")
    office_county = _office_county(user)
    quota_form = LandQuotaForm(
        request.POST if request.POST.get("action") == "quota" else None, user=user, county=office_county
    )
    request_form = LandRequestForm(
        request.POST if request.POST.get("action") == "request" else None, quotas=quotas, projects=projects
    )
    if request.method == "POST":
        done = _post(request, year, quota_form, request_form, quotas)
        if done:
            return redirect(f"{request.path}?year={year}")
    items = land.figures(user, year)
    may_order = any(
        land_services.is_land_unit(user, i.quota) or is_office_for(user, i.quota.county) for i in items
    )
    context = {
        "year": year,
        "items": items,
        "quota_form": quota_form if office_county else None,
        "request_form": request_form if projects.exists() and items else None,
        "may_order": may_order,
        "may_decide": any(land_services.is_leader_for(user, i.quota.county) for i in items),
        "decision_form": NoteForm(),
        "waiting": [r for i in items for r in i.requests if r.status in land.OPEN],
    }
    bound = quota_form.is_bound or request_form.is_bound
    return render(request, "projects/land.html", context, status=422 if bound else 200)


def _post(request, year, quota_form, request_form, quotas) -> bool:
    user, action = request.user, request.POST.get("action")
    try:
        if action == "quota" and quota_form.is_valid():
            land_services.set_quota(actor=user, county=_county(request), year=year, **quota_form.cleaned_data)
        elif action == "request" and request_form.is_valid():
            data = dict(request_form.cleaned_data)
            land_services.request_land(data.pop("project"), actor=user, **data)
        elif action == "propose":
            _propose(request, quotas)
        else:
            return False
    except ValidationError as exc:
        form = quota_form if action == "quota" else request_form
        apply_errors(form, exc)
        if action == "propose":
            messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, _("已保存"))
    return True


def _propose(request, quotas) -> None:
    """Each quota's open requests ordered by the numbers typed beside them (blank: not ordered)."""
    for quota in quotas:
        numbered = []
        for row in land.requests_for(request.user).filter(quota=quota, status__in=land.OPEN):
            value = request.POST.get(f"priority-{row.pk}", "").strip()
            if value:
                if not value.isdigit():
                    raise ValidationError({"order": [_("顺序须为正整数")]})
                numbered.append((int(value), row.pk, row))
        if numbered:
            land_services.propose_allocation(
                quota, actor=request.user, order=[r for _n, _pk, r in sorted(numbered)]
            )


@login_required
@require_POST
def land_decide(request, pk: int, action: str):
    row = policy.get_object_for_user_or_404(
        request.user, LandRequest.objects.visible_to(request.user).select_related("quota"), pk
    )
    if action not in ("approve", "refuse"):
        raise Http404
    form = NoteForm({"note": request.POST.get(f"note-{pk}", request.POST.get("note", ""))})
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if action == "approve":
            land_services.approve_land_request(row, actor=request.user, note=note)
        else:
            land_services.refuse_land_request(row, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已审批"))
    return redirect(f"{reverse('projects:land_board')}?year={row.quota.year}")
