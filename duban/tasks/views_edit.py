"""The office's pages: meetings and instructions, task terms, splitting a task, bulk assign."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role

from . import editing, rules, services, sources
from .choices import TaskStatus
from .forms import InstructionForm, MeetingForm, SplitForm, TaskForm, nodes_text
from .models import Instruction, Meeting
from .queries import meetings_for, own_history, source_tasks, tasks_for


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (fields it knows, else at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _office_county(user):
    try:
        return sources._office_region(user, None)
    except PermissionDenied:
        raise Http404 from None


# --- meetings and instructions -----------------------------------------------------------------


@login_required
def meeting_list(request):
    meetings = list(meetings_for(request.user)[:200])
    instructions = list(
        Instruction.objects.visible_to(request.user).select_related("leader").order_by("-date", "-id")[:50]
    )
    context = {
        "meetings": meetings,
        "instructions": instructions,
        "is_office": bool(policy.grants_of(request.user).paths({Role.SUPERVISION_OFFICE})),
    }
    return render(request, "tasks/meeting_list.html", context)


# Meetings and instructions are the two sources of tasks: one detail view and one form view
# serve both, told apart by this table.
@dataclass(frozen=True)
class SourceKind:
    model: Any
    related: tuple[str, ...]
    fields: Any
    form: Any
    create: Callable[..., Any]
    update: Callable[..., Any]
    saved: Any


SOURCES = {
    "meeting": SourceKind(
        Meeting,
        ("chair", "region"),
        sources.MEETING_FIELDS,
        MeetingForm,
        sources.create_meeting,
        sources.update_meeting,
        gettext_lazy("会议已保存"),
    ),
    "instruction": SourceKind(
        Instruction,
        ("leader", "region"),
        sources.INSTRUCTION_FIELDS,
        InstructionForm,
        sources.create_instruction,
        sources.update_instruction,
        gettext_lazy("领导批示已保存"),
    ),
}


def _source_detail(request, kind: str, pk: int):
    """Everything a meeting or instruction produced and how far each task has got."""
    spec = SOURCES[kind]
    model = spec.model
    source = policy.get_object_for_user_or_404(
        request.user, model.objects.visible_to(request.user).select_related(*spec.related), pk
    )
    tasks, counts = source_tasks(request.user, **{kind: source})
    context = {
        kind: source,
        "tasks": tasks,
        "counts": counts,
        "statuses": TaskStatus.choices,
        "is_office": rules.is_office(request.user, source.region),
        # The source's own entries: the tasks it produced are listed above, with their history on
        # their own pages.
        "history": own_history(request.user, source),
    }
    return render(request, f"tasks/{kind}_detail.html", context)


def _source_form(request, kind: str, pk: int | None):
    spec = SOURCES[kind]
    obj = None
    if pk is not None:
        obj = policy.get_object_for_user_or_404(request.user, spec.model, pk, action=policy.CHANGE)
    region = obj.region if obj else _office_county(request.user)
    initial = {f: getattr(obj, f) for f in spec.fields} if obj else {}
    form = spec.form(request.POST or None, initial=initial, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            if obj:
                obj = spec.update(obj, actor=request.user, **form.cleaned_data)
            else:
                obj = spec.create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, spec.saved)
            return redirect(f"tasks:{kind}_detail", pk=obj.pk)
    return render(request, "tasks/source_form.html", {"form": form, "object": obj, "kind": kind})


@login_required
def meeting_detail(request, pk: int):
    return _source_detail(request, "meeting", pk)


@login_required
def meeting_form(request, pk: int | None = None):
    return _source_form(request, "meeting", pk)


@login_required
def instruction_detail(request, pk: int):
    return _source_detail(request, "instruction", pk)


@login_required
def instruction_form(request, pk: int | None = None):
    return _source_form(request, "instruction", pk)


# --- task terms ----------------------------------------------------------------------------------


def _source_from_query(request):
    """The meeting or instruction named by ?meeting= / ?instruction= (the office's own), or None."""
    for key, model in (("meeting", Meeting), ("instruction", Instruction)):
        pk = request.GET.get(key) or request.POST.get(f"_{key}")
        if pk:
            return key, policy.get_object_for_user_or_404(request.user, model, pk, action=policy.CHANGE)
    return None, None


def _suggestion(form):
    """When the deadline was refused (past or a day off), the working day to offer instead."""
    day = form.data.get("deadline")
    if "deadline" not in form.errors or not day:
        return None
    try:
        parsed = datetime.date.fromisoformat(day)
    except ValueError:
        return None
    return rules.suggest_deadline(parsed, today=timezone.localdate())


@login_required
def task_form(request, pk: int | None = None):
    """Create a task from a meeting or instruction, or change one (all terms while a draft)."""
    task = None
    if pk is not None:
        task = policy.get_object_for_user_or_404(
            request.user, tasks_for(request.user), pk, action=policy.CHANGE
        )
        if not rules.is_office(request.user, task.region):
            raise Http404
    key, source = (None, None) if task else _source_from_query(request)
    region = task.region if task else (source.region if source else _office_county(request.user))
    draft = task is None or task.status == TaskStatus.DRAFT
    initial = _initial(task)
    form = TaskForm(request.POST or None, initial=initial, user=request.user, region=region, draft=draft)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if task:
                task = editing.update_task(task, actor=request.user, **data)
            else:
                data["cooperating_units"] = list(data["cooperating_units"])
                if key:
                    data[key] = source
                task = services.create_task(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("督办事项已保存"))
            return redirect("tasks:detail", pk=task.pk)
    context = {
        "form": form,
        "task": task,
        "source": source,
        "source_key": key,
        "suggestion": _suggestion(form),
        "draft": draft,
    }
    return render(request, "tasks/task_form.html", context)


def _initial(task) -> dict:
    if task is None:
        return {"feedback_frequency": "weekly", "category": "other", "priority": "normal"}
    fields = ["title", "requirement", "lead_unit", "leader_in_charge", "deadline", "feedback_frequency"]
    fields += ["category", "priority", "requires_evidence", "is_public"]
    initial = {f: getattr(task, f) for f in fields}
    initial["cooperating_units"] = [c.unit_id for c in task.cooperations.all()]
    initial["nodes"] = nodes_text(task)
    return initial


@login_required
def task_split(request, pk: int):
    """Split a task into one sub-task per unit of a group ("each town shall ...")."""
    task = policy.get_object_for_user_or_404(request.user, tasks_for(request.user), pk, action=policy.CHANGE)
    if not rules.is_office(request.user, task.region):
        raise Http404
    form = SplitForm(request.POST or None, user=request.user, region=task.region)
    if request.method == "POST" and form.is_valid():
        units = editing.units_of_group(task.region, form.cleaned_data["group"], form.cleaned_data["units"])
        try:
            subtasks = services.split_task(task, actor=request.user, units=units)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已分解为%(n)s个子事项（待交办）") % {"n": len(subtasks)})
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "tasks/task_split.html", {"form": form, "task": task})


@login_required
@require_POST
def bulk_assign(request):
    """Assign the drafts ticked on the board, all or nothing."""
    ids = [i for i in request.POST.getlist("task") if i.isdigit()][:200]
    tasks = list(tasks_for(request.user, policy.CHANGE).filter(pk__in=ids, status=TaskStatus.DRAFT))
    try:
        if len(tasks) != len(set(ids)):
            raise ValidationError(_("所选事项中有已交办或无权交办的事项，请刷新后重试"))
        done = editing.assign_tasks(tasks, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        messages.error(request, _("没有交办任何事项"))
    else:
        messages.success(request, _("已交办%(n)s项") % {"n": len(done)})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/tasks/") else "tasks:board")
