"""Pages of the problem register (问题台账): lists by project, unit and leader; the loop's buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.core.lights import deadline_light

from . import queries, services
from .filters import ProblemFilter
from .forms import AnswerForm, AssignForm, NoteForm, ProblemForm
from .models import Project
from .services.problems import may_answer, may_steer, may_verify

PAGE_SIZE = 50


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (fields it knows, else at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def problem_list(request):
    """Problems the user may see, by project, responsible unit or leader; what each unit still owes."""
    filters = ProblemFilter(request.GET, queryset=queries.problems_for(request.user), request=request)
    page = Paginator(filters.qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    queries.attach_problem_facts(rows)
    return render(
        request,
        "projects/problem_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "owed": queries.owed_by_unit(request.user),
            "query": query_without_page(request),
        },
    )


def _detail_context(request, problem, **forms) -> dict:
    user = request.user
    county = problem.project.county
    context = {
        "problem": problem,
        "assignments": list(problem.assignments.all()),
        "light": deadline_light(problem.due_date, problem.closed_on),
        "assign_form": None,
        "answer_form": None,
        "verify_form": None,
    }
    if problem.status == "raised" and may_steer(user, problem):
        context["assign_form"] = forms.get("assign") or AssignForm(user=user, county=county)
    if may_answer(user, problem):
        context["answer_form"] = forms.get("answer") or AnswerForm()
    if problem.status == "answered" and may_verify(user, problem):
        context["verify_form"] = forms.get("verify") or NoteForm()
    return context


def _problem(request, pk: int):
    return policy.get_object_for_user_or_404(request.user, queries.problem_detail_qs(request.user), pk)


@login_required
def problem_detail(request, pk: int):
    problem = _problem(request, pk)
    return render(request, "projects/problem_detail.html", _detail_context(request, problem))


@login_required
@require_POST
def problem_action(request, pk: int, action: str):
    """One URL per transition: assign, answer, close_out, return."""
    problem = _problem(request, pk)
    user = request.user
    form: Form
    if action == "assign":
        form = AssignForm(request.POST, user=user, county=problem.project.county)
        key, call = "assign", lambda d: services.assign_problem(problem, actor=user, **d)
    elif action == "answer":
        form, key = AnswerForm(request.POST), "answer"
        call = lambda d: services.answer_problem(problem, actor=user, **d)  # noqa: E731
    elif action in ("close_out", "return"):
        form, key = NoteForm(request.POST), "verify"
        service = services.close_out_problem if action == "close_out" else services.return_problem
        call = lambda d: service(problem, actor=user, **d)  # noqa: E731
    else:
        raise Http404
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("projects:problem_detail", pk=problem.pk)
    return render(
        request, "projects/problem_detail.html", _detail_context(request, problem, **{key: form}), status=422
    )


@login_required
def problem_create(request, project_pk: int):
    """Raise a problem on a project; responsible units and the deadline may be given at once."""
    project = policy.get_object_for_user_or_404(request.user, Project, project_pk)
    form = ProblemForm(request.POST or None, user=request.user, county=project.county)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = list(data.pop("units") or [])
        working_days = data.pop("working_days")
        try:
            problem = services.raise_problem(
                project, actor=request.user, units=units, working_days=working_days if units else None, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("问题已登记"))
            return redirect("projects:problem_detail", pk=problem.pk)
    return render(request, "projects/problem_form.html", {"form": form, "project": project})
