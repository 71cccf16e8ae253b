"""Pages of site visits (现场督导) and of stewards' days on site."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.audit.queries import history_for

from . import visits
from .forms import ProblemForm
from .forms_register import SiteVisitForm
from .models import Project, SiteVisitDecision, Stewardship
from .services.visits import convert_decision, may_record_visit, record_site_visit
from .views_problems import apply_errors, query_without_page

PAGE_SIZE = 50


@login_required
def visit_create(request, project_pk: int):
    project = policy.get_object_for_user_or_404(
        request.user, Project.objects.visible_to(request.user).select_related("county"), project_pk
    )
    if not may_record_visit(request.user, project):
        raise PermissionDenied(_("无权登记该项目的现场督导"))
    form = SiteVisitForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            visit = record_site_visit(project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记现场督导，请上传现场照片"))
            return redirect("projects:visit_detail", pk=visit.pk)
    context = {"form": form, "project": project}
    return render(request, "projects/visit_form.html", context, status=422 if form.errors else 200)


def _decision_form(request, decision, data=None) -> ProblemForm:
    form = ProblemForm(
        data, user=request.user, county=decision.visit.project.county, prefix=f"d{decision.pk}"
    )
    for name in ("title", "description"):
        del form.fields[name]
    return form


@login_required
def visit_detail(request, pk: int):
    visit = policy.get_object_for_user_or_404(
        request.user, visits.visits_for(request.user).select_related("project__county"), pk
    )
    decisions = list(
        SiteVisitDecision.objects.visible_to(request.user).filter(visit=visit).select_related("problem")
    )
    may_convert = may_record_visit(request.user, visit.project)
    rows = [(d, _decision_form(request, d) if may_convert and not d.problem_id else None) for d in decisions]
    context = {
        "visit": visit,
        "project": visit.project,
        "visitors": list(visit.visitors.select_related("unit").order_by("username")),
        "rows": rows,
        "history": history_for(request.user, visit),
    }
    return render(request, "projects/visit_detail.html", context)


@login_required
@require_POST
def decision_convert(request, pk: int):
    decision = policy.get_object_for_user_or_404(
        request.user,
        SiteVisitDecision.objects.visible_to(request.user).select_related("visit__project__county"),
        pk,
    )
    form = _decision_form(request, decision, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        units = list(data["units"] or [])
        try:
            problem = convert_decision(
                decision,
                actor=request.user,
                kind=data["kind"],
                units=units,
                working_days=data["working_days"] if units else None,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已转为问题"))
            return redirect("projects:problem_detail", pk=problem.pk)
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("projects:visit_detail", pk=decision.visit_id)


@login_required
def visit_list(request):
    """Visits the user may see, newest first; ?project= narrows to one project."""
    qs = visits.visits_for(request.user).order_by("-date", "-id")
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        qs = qs.filter(project_id=int(project_id))
    page = Paginator(qs.prefetch_related("visitors"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": list(page.object_list), "query": query_without_page(request)}
    return render(request, "projects/visit_list.html", context)


@login_required
def steward_list(request):
    """Every active steward the user may see, with their days on site (full-time cadres first)."""
    qs = visits.with_days_on_site(
        Stewardship.objects.visible_to(request.user)
        .filter(end_date__isnull=True)
        .select_related("project", "user__unit", "unit")
        .order_by("-full_time", "project__code", "start_date")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": list(page.object_list), "query": query_without_page(request)}
    return render(request, "projects/steward_list.html", context)
