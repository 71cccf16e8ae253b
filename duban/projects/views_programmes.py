"""Programme pages: the list, and one page with the whole programme's progress."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.audit.queries import history_for

from . import programmes
from .forms_register import AddProjectForm
from .models import PlanMilestone, Project
from .services.programmes import add_project_to_programme, may_steer_programme, reach_plan_milestone


@login_required
def programme_list(request):
    rows = list(programmes.programmes_for(request.user).order_by("name"))
    return render(request, "projects/programme_list.html", {"rows": rows})


@login_required
def programme_detail(request, pk: int):
    programme = policy.get_object_for_user_or_404(request.user, programmes.programmes_for(request.user), pk)
    steer = may_steer_programme(request.user, programme)
    form = AddProjectForm(request.POST or None)
    form.fields["project"].queryset = (  # type: ignore[attr-defined]
        Project.objects.visible_to(request.user).filter(county=programme.county).exclude(programme=programme)
    )
    if request.method == "POST":
        if not steer:
            raise PermissionDenied(_("只有指挥部或督查室可以调整片区项目"))
        if form.is_valid():
            try:
                add_project_to_programme(form.cleaned_data["project"], programme, actor=request.user)
            except ValidationError as exc:
                form.add_error("project", exc.messages)
            else:
                messages.success(request, _("已纳入片区"))
                return redirect("projects:programme_detail", pk=programme.pk)
    context = {
        "programme": programme,
        "steer": steer,
        "form": form if steer else None,
        "today": timezone.localdate(),
        "history": history_for(request.user, programme),
        **programmes.progress(request.user, programme),
    }
    return render(request, "projects/programme_detail.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def plan_step_reach(request, pk: int):
    step = policy.get_object_for_user_or_404(
        request.user, PlanMilestone.objects.visible_to(request.user).select_related("programme"), pk
    )
    day = forms.DateField().clean(request.POST.get("actual_date") or timezone.localdate().isoformat())
    try:
        reach_plan_milestone(step, actor=request.user, actual_date=day)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已更新规划节点"))
    return redirect("projects:programme_detail", pk=step.programme_id)
