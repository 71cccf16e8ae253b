"""Pages of the showcase tour: the list, the board (phone-first cards), readiness, rehearsal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role

from . import services, showcase
from .choices import Readiness
from .forms import GapForm
from .models import Project, ReadinessAssessment, Showcase, ShowcaseCriterion, ShowcaseGap
from .views_problems import apply_errors


@login_required
def showcase_list(request):
    showcases = list(Showcase.objects.visible_to(request.user).order_by("-date"))
    for s in showcases:
        s.countdown = showcase.countdown(s)  # type: ignore[attr-defined]
    return render(request, "projects/showcase_list.html", {"showcases": showcases})


@login_required
def showcase_board(request, pk: int):
    """The tour's projects as cards, worst first: readiness, light, what is missing, days left."""
    tour = policy.get_object_for_user_or_404(
        request.user, Showcase.objects.visible_to(request.user).select_related("county"), pk
    )
    cards = showcase.board(request.user, tour)
    context = {
        "showcase": tour,
        "cards": cards,
        "countdown": showcase.countdown(tour),
        "missing_count": sum(1 for c in cards if c.light == "red"),
        "route": showcase.route(request.user, tour),
    }
    return render(request, "projects/showcase_board.html", context)


@login_required
def showcase_assess(request, pk: int, project_pk: int):
    """Readiness of one project against each criterion, and its gap list."""
    tour = policy.get_object_for_user_or_404(
        request.user, Showcase.objects.visible_to(request.user).select_related("county"), pk
    )
    project = policy.get_object_for_user_or_404(request.user, Project, project_pk)
    criteria = list(ShowcaseCriterion.objects.visible_to(request.user).filter(showcase=tour))
    gap_form = GapForm(request.POST or None, user=request.user, county=tour.county, prefix="gap")
    if request.method == "POST":
        try:
            if "gap-what" in request.POST:
                if gap_form.is_valid():
                    services.add_gap(tour, project, actor=request.user, **gap_form.cleaned_data)
                    messages.success(request, _("已登记差距"))
                    return redirect("projects:showcase_assess", pk=tour.pk, project_pk=project.pk)
            else:
                for c in criteria:
                    result = request.POST.get(f"result-{c.pk}")
                    if result:
                        services.assess_readiness(
                            c,
                            project,
                            actor=request.user,
                            result=result,
                            evidence=request.POST.get(f"evidence-{c.pk}", ""),
                        )
                messages.success(request, _("已保存评估"))
                return redirect("projects:showcase_assess", pk=tour.pk, project_pk=project.pk)
        except ValidationError as exc:
            apply_errors(gap_form, exc)
            messages.error(request, "；".join(exc.messages))
    assessed = ReadinessAssessment.objects.visible_to(request.user).filter(
        criterion__showcase=tour, project=project
    )
    results = {a.criterion_id: a for a in assessed}
    rows = [(c, results.get(c.pk)) for c in criteria]
    gaps = list(
        ShowcaseGap.objects.visible_to(request.user)
        .filter(showcase=tour, project=project)
        .select_related("owner_unit", "problem")
    )
    context = {
        "showcase": tour,
        "project": project,
        "rows": rows,
        "choices": Readiness.choices,
        "readiness": showcase.readiness(criteria, {c: a.result for c, a in results.items()}),
        "gaps": gaps,
        "gap_form": gap_form,
    }
    return render(request, "projects/showcase_assess.html", context)


@login_required
@require_POST
def gap_convert(request, pk: int):
    gap = policy.get_object_for_user_or_404(
        request.user, ShowcaseGap.objects.visible_to(request.user).select_related("showcase"), pk
    )
    try:
        problem = services.convert_gap(gap, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("projects:showcase_assess", pk=gap.showcase_id, project_pk=gap.project_id)
    return redirect("projects:problem_detail", pk=problem.pk)


@login_required
def showcase_rehearsal(request, pk: int):
    """Rehearsal scores ranked, converted to points by the city's rule; inspectors score here."""
    tour = policy.get_object_for_user_or_404(
        request.user, Showcase.objects.visible_to(request.user).select_related("county"), pk
    )
    is_inspector = policy.has_role(request.user, Role.INSPECTOR)
    if request.method == "POST" and is_inspector:
        project = policy.get_object_for_user_or_404(request.user, Project, request.POST.get("project"))
        try:
            services.score_rehearsal(
                tour, project, actor=request.user, score=Decimal(request.POST.get("score", ""))
            )
        except (ValidationError, InvalidOperation) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [_("得分须为数字")])))
        else:
            messages.success(request, _("已保存评分"))
            return redirect("projects:showcase_rehearsal", pk=tour.pk)
    rows, county_points = showcase.rehearsal_result(request.user, tour)
    context = {
        "showcase": tour,
        "rows": rows,
        "county_points": county_points,
        "is_inspector": is_inspector,
        "projects": list(showcase.showcase_projects(request.user, tour)) if is_inspector else [],
    }
    return render(request, "projects/showcase_rehearsal.html", context)
