"""Page forms of the register: create and edit a project, stewards, monthly investment,
milestones (set, reach with evidence, move requests and the office's decision)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.attachments import services as attachments
from duban.attachments.choices import AttachmentKind
from duban.audit.queries import history_for

from . import services
from .forms_register import (
    EndStewardshipForm,
    InvestmentForm,
    MoveDecisionForm,
    MoveRequestForm,
    PlannedDateForm,
    ProjectForm,
    ReachForm,
    StewardForm,
)
from .lights import milestone_light
from .models import InvestmentReport, Milestone, MilestoneMove, Project, Stewardship
from .services.common import is_office_for
from .views_problems import apply_errors
from .visits import with_days_on_site

EDIT_FIELDS = [
    "name",
    "category",
    "level",
    "status",
    "lead_unit",
    "location_unit",
    "village",
    "leader_in_charge",
    "investor",
    "total_investment",
    "plan_year",
    "year_plan_investment",
    "planned_start",
    "planned_completion",
    "description",
    "report_frequency",
]


def _office_county(user):
    """The county an office user keeps (the first of its scopes), for the create form's choices."""
    from duban.org.models import Region

    paths = sorted(policy.grants_of(user).paths({Role.SUPERVISION_OFFICE}))
    return Region.objects.visible_to(user).filter(path__in=paths).first() if paths else None


@login_required
def project_create(request):
    grants = policy.grants_of(request.user)
    if not grants.paths({Role.SUPERVISION_OFFICE}) and not grants.units(UNIT_SCOPED_ROLES):
        raise PermissionDenied(_("无权登记重点项目"))
    form = ProjectForm(request.POST or None, user=request.user, county=_office_county(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.create_project(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("项目已登记，节点已按类别模板生成"))
            return redirect("projects:project_detail", pk=project.pk)
    context = {"form": form, "project": None}
    return render(request, "projects/project_form.html", context, status=422 if form.errors else 200)


@login_required
def project_edit(request, pk: int):
    project = policy.get_object_for_user_or_404(
        request.user,
        Project.objects.visible_to(request.user).select_related("county"),
        pk,
        action=policy.CHANGE,
    )
    initial = {f: getattr(project, f) for f in EDIT_FIELDS}
    form = ProjectForm(
        request.POST or None, initial=initial, user=request.user, county=project.county, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.update_project(project, actor=request.user, reason=reason, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("projects:project_detail", pk=project.pk)
    context = {"form": form, "project": project}
    return render(request, "projects/project_form.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def project_confirm(request, pk: int):
    project = policy.get_object_for_user_or_404(
        request.user, Project.objects.visible_to(request.user).select_related("county"), pk
    )
    try:
        services.confirm_project(project, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("项目节点已锁定：此后调整计划日期须经督查室同意"))
    return redirect("projects:project_detail", pk=project.pk)


@login_required
def project_stewards(request, pk: int):
    """Stewards past and present; the office adds one or ends a stewardship here."""
    project = policy.get_object_for_user_or_404(
        request.user, Project.objects.visible_to(request.user).select_related("county"), pk
    )
    office = is_office_for(request.user, project.county)
    form = StewardForm(request.POST or None, user=request.user, county=project.county)
    if request.method == "POST":
        if not office:
            raise PermissionDenied(_("只有督查室可以执行此操作"))
        if form.is_valid():
            try:
                services.assign_steward(project, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已指定包保"))
                return redirect("projects:project_stewards", pk=project.pk)
    rows = list(
        with_days_on_site(
            Stewardship.objects.visible_to(request.user)
            .filter(project=project)
            .select_related("user__unit", "unit")
            .order_by("end_date", "-full_time", "start_date")
        )
    )
    context = {
        "project": project,
        "rows": rows,
        "form": form if office else None,
        "end_form": EndStewardshipForm() if office else None,
    }
    return render(request, "projects/stewards.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def steward_end(request, pk: int):
    stewardship = policy.get_object_for_user_or_404(
        request.user, Stewardship.objects.visible_to(request.user).select_related("project__county"), pk
    )
    form = EndStewardshipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的结束日期"))
    else:
        try:
            services.end_stewardship(stewardship, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已结束包保"))
    return redirect("projects:project_stewards", pk=stewardship.project_id)


@login_required
def project_investment(request, pk: int):
    """Monthly cumulative completed investment: the form and the year's reports."""
    project = policy.get_object_for_user_or_404(request.user, Project, pk)
    can_change = policy.can(request.user, policy.CHANGE, project)
    today = timezone.localdate()
    form = InvestmentForm(request.POST or None, initial={"year": project.plan_year, "month": today.month})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("无权填报该项目"))
        if form.is_valid():
            try:
                services.report_investment(project, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已填报"))
                return redirect("projects:project_investment", pk=project.pk)
    reports = list(
        InvestmentReport.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("reported_by")
        .order_by("-year", "-month")
    )
    context = {"project": project, "reports": reports, "form": form if can_change else None}
    return render(request, "projects/investment.html", context, status=422 if form.errors else 200)


def _milestone(request, pk: int) -> Milestone:
    return policy.get_object_for_user_or_404(
        request.user, Milestone.objects.visible_to(request.user).select_related("project__county"), pk
    )


def _milestone_context(request, milestone: Milestone, **forms) -> dict:
    project = milestone.project
    can_change = policy.can(request.user, policy.CHANGE, project)
    locked = project.confirmed_at is not None
    moves = list(
        MilestoneMove.objects.visible_to(request.user)
        .filter(milestone=milestone)
        .select_related("requested_by", "decided_by")
    )
    pending = any(m.status == "pending" for m in moves)
    open_ = milestone.actual_date is None
    return {
        "milestone": milestone,
        "project": project,
        "light": milestone_light(milestone),
        "moves": moves,
        "office": is_office_for(request.user, project.county),
        "can_change": can_change,
        "reach_form": forms.get("reach") or ReachForm() if can_change and open_ else None,
        "plan_form": (forms.get("plan") or PlannedDateForm(initial={"planned_date": milestone.planned_date}))
        if can_change and open_ and not locked
        else None,
        "move_form": forms.get("move") or MoveRequestForm()
        if can_change and open_ and locked and not pending
        else None,
        "decision_form": MoveDecisionForm(),
        "history": history_for(request.user, milestone),
    }


@login_required
def milestone_detail(request, pk: int):
    milestone = _milestone(request, pk)
    return render(request, "projects/milestone_detail.html", _milestone_context(request, milestone))


def _reach(request, milestone: Milestone, form) -> None:
    """Reached with its evidence, all or nothing: a refused file leaves the milestone open."""
    data = form.cleaned_data
    with transaction.atomic():
        services.reach_milestone(
            milestone,
            actor=request.user,
            actual_date=data["actual_date"],
            evidence_note=data["evidence_note"],
        )
        if data.get("evidence"):
            kind = AttachmentKind.DOCUMENT
            if (data["evidence"].content_type or "").startswith("image/"):
                kind = AttachmentKind.PHOTO
            try:
                attachments.add_attachments(milestone, [data["evidence"]], actor=request.user, kind=kind)
            except ValidationError as exc:
                raise ValidationError({"evidence": exc.messages}) from exc


@login_required
@require_POST
def milestone_action(request, pk: int, action: str):
    """One URL per move of a milestone: reach, plan (before lock), move (request after lock)."""
    milestone = _milestone(request, pk)
    forms_by_action = {"reach": ReachForm, "plan": PlannedDateForm, "move": MoveRequestForm}
    if action not in forms_by_action:
        raise Http404
    form = forms_by_action[action](request.POST, request.FILES)
    if form.is_valid():
        try:
            if action == "reach":
                _reach(request, milestone, form)
            elif action == "plan":
                services.set_planned_date(milestone, actor=request.user, **form.cleaned_data)
            else:
                services.request_move(milestone, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("projects:milestone_detail", pk=milestone.pk)
    context = _milestone_context(request, milestone, **{action: form})
    return render(request, "projects/milestone_detail.html", context, status=422)


@login_required
@require_POST
def move_decide(request, pk: int, action: str):
    """The office approves or refuses a move request (a refusal needs a note)."""
    move = policy.get_object_for_user_or_404(
        request.user, MilestoneMove.objects.visible_to(request.user).select_related("milestone__project"), pk
    )
    if action not in ("approve", "refuse"):
        raise Http404
    form = MoveDecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if action == "approve":
            services.approve_move(move, actor=request.user, note=note)
        else:
            services.refuse_move(move, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已审批"))
    return redirect("projects:milestone_detail", pk=move.milestone_id)
