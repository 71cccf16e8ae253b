"""Pages of the showcase tour: the list, the board (phone-first cards), readiness, rehearsal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role

from . import services, showcase
from .choices import Readiness
from .forms import GapForm
from .forms_register import CriterionForm, ShowcaseForm
from .models import Project, ReadinessAssessment, Showcase, ShowcaseCriterion, ShowcaseGap
from .services.common import is_office_for
from .views_problems import apply_errors


@login_required
def showcase_list(request):
    showcases = list(Showcase.objects.visible_to(request.user).order_by("-date"))
    for s in showcases:
        s.countdown = showcase.countdown(s)  # type: ignore[attr-defined]
    is_office = bool(policy.grants_of(request.user).paths({Role.SUPERVISION_OFFICE}))
    return render(request, "projects/showcase_list.html", {"showcases": showcases, "is_office": is_office})


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
        "is_office": is_office_for(request.user, tour.county),
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


def _office_county_or_403(user):
    from .views_register import _office_county

    county = _office_county(user)
    if county is None:
        raise PermissionDenied(_("只有督查室可以执行此操作"))
    return county


@login_required
def showcase_create(request):
    """The office sets up a tour; the criteria are added on its edit page."""
    county = _office_county_or_403(request.user)
    form = ShowcaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tour = services.create_showcase(actor=request.user, county=county, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建观摩活动，请设置观摩标准"))
            return redirect("projects:showcase_edit", pk=tour.pk)
    context = {"form": form, "showcase": None}
    return render(request, "projects/showcase_form.html", context, status=422 if form.errors else 200)


@login_required
def showcase_edit(request, pk: int):
    """The tour's facts and its weighted standard: edit a criterion or add one."""
    tour = policy.get_object_for_user_or_404(
        request.user,
        Showcase.objects.visible_to(request.user).select_related("county"),
        pk,
        action=policy.CHANGE,
    )
    criteria = list(ShowcaseCriterion.objects.visible_to(request.user).filter(showcase=tour))
    initial = {f: getattr(tour, f) for f in ("name", "date", "organiser", "top_points", "rank_step")}
    form = ShowcaseForm(request.POST if "save-showcase" in request.POST else None, initial=initial)
    add_form = CriterionForm(request.POST if "add-criterion" in request.POST else None, prefix="new")
    edit_forms = {
        c.pk: CriterionForm(
            request.POST if request.POST.get("criterion") == str(c.pk) else None,
            prefix=f"c{c.pk}",
            initial={"name": c.name, "weight": c.weight, "requirement": c.requirement},
        )
        for c in criteria
    }
    bound = next((f for f in [form, add_form, *edit_forms.values()] if f.is_bound), None)
    if bound is not None and bound.is_valid():
        try:
            if bound is form:
                services.update_showcase(tour, actor=request.user, **form.cleaned_data)
            elif bound is add_form:
                services.add_criterion(tour, actor=request.user, **add_form.cleaned_data)
            else:
                criterion = next(c for c in criteria if edit_forms[c.pk] is bound)
                services.update_criterion(criterion, actor=request.user, **bound.cleaned_data)
        except ValidationError as exc:
            apply_errors(bound, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("projects:showcase_edit", pk=tour.pk)
    context = {
        "showcase": tour,
        "form": form,
        "add_form": add_form,
        "criteria": [(c, edit_forms[c.pk]) for c in criteria],
        "total_weight": sum((c.weight for c in criteria), Decimal(0)),
    }
    return render(request, "projects/showcase_edit.html", context, status=422 if bound is not None else 200)
