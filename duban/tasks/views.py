"""Pages of supervised tasks. Reads start from queries (visible_to); writes call the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.audit.queries import history_for

from . import extensions, forms, rules, services
from .choices import ACTION_LABELS, TaskStatus, allowed_from
from .filters import TaskFilter
from .queries import attach_feedback_files, board_order, inbox_for, light_counts, task_for_page, tasks_for

PAGE_SIZE = 50
OPEN_EXTENSION = ("pending", "pending_leader")


def _allowed_actions(user, task) -> list[str]:
    """The moves this user may make on this task now (one button/form each)."""
    office, leader = rules.is_office(user, task.region), rules.is_leader(user, task.region)
    units = rules.actor_units(user)
    lead = task.lead_unit_id in units
    coop = any(c.unit_id in units for c in task.cooperations.all())
    who = {
        "assign": office, "accept": lead, "feedback": lead or coop, "close": office, "return": office,
        "request_completion": lead,
        "request_extension": lead and not any(e.status in OPEN_EXTENSION for e in task.extensions.all()),
        "chase": office, "comment": leader or office, "suspend": office, "resume": office,
        "cancel": office,
    }  # fmt: skip
    return [a for a, ok in who.items() if ok and task.status in allowed_from(a)]


ACTION_FORMS = {
    "assign": forms.EmptyForm, "accept": forms.EmptyForm, "feedback": forms.FeedbackForm,
    "request_completion": forms.CompletionForm, "close": forms.CloseForm, "return": forms.ReasonForm,
    "suspend": forms.ReasonForm, "resume": forms.ReasonForm, "cancel": forms.ReasonForm,
    "chase": forms.NoteForm, "request_extension": forms.ExtensionForm, "comment": forms.CommentForm,
}  # fmt: skip


def _run(action: str, task, user, data: dict, files):
    s = services
    calls = {
        "assign": lambda: s.assign_task(task, actor=user),
        "accept": lambda: s.accept_task(task, actor=user),
        "feedback": lambda: s.add_feedback(task, actor=user, files=files, **data),
        "request_completion": lambda: s.request_completion(task, actor=user, files=files, **data),
        "close": lambda: s.close_task(task, actor=user, **data),
        "return": lambda: s.return_task(task, actor=user, **data),
        "suspend": lambda: s.suspend_task(task, actor=user, **data),
        "resume": lambda: s.resume_task(task, actor=user, **data),
        "cancel": lambda: s.cancel_task(task, actor=user, **data),
        "chase": lambda: s.chase_task(task, actor=user, note=data.get("note") or _("请抓紧办理")),
        "request_extension": lambda: extensions.request_extension(task, actor=user, **data),
        "comment": lambda: s.comment_task(task, actor=user, **data),
    }
    return calls[action]()


@login_required
def inbox(request):
    """「我的督办」: to accept, overdue, in progress; for the office what awaits its decision."""
    return render(request, "tasks/inbox.html", {"inbox": inbox_for(request.user)})


@login_required
def board(request):
    filters = TaskFilter(request.GET, queryset=tasks_for(request.user), request=request)
    qs = filters.qs if filters.is_valid() else filters.queryset.none()
    page = Paginator(board_order(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "counts": light_counts(qs),
        "query": params.urlencode(),
        "can_assign": bool(policy.grants_of(request.user).paths({Role.SUPERVISION_OFFICE})),
    }
    return render(request, "tasks/board.html", context)


@login_required
def task_detail(request, pk: int):
    task = task_for_page(request.user, pk)
    attach_feedback_files(task)
    actions = _allowed_actions(request.user, task)
    forms_by_action = [(a, ACTION_LABELS[a], ACTION_FORMS[a](prefix=a)) for a in actions]
    context = {
        "task": task,
        "actions": forms_by_action,
        # the requests this user rules on at their current step (office, then leader in charge)
        "leader_step": extensions.leader_step(task),
        "decidable": [e.pk for e in task.extensions.all() if extensions.decider_of(e, task, request.user)],
        "history": history_for(request.user, task),
        "closed": task.status == TaskStatus.CLOSED,
        "is_office": rules.is_office(request.user, task.region),
    }
    return render(request, "tasks/task_detail.html", context)


@login_required
@require_POST
def task_action(request, pk: int, action: str):
    if action not in ACTION_FORMS:
        raise Http404
    task = task_for_page(request.user, pk)
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
        return redirect("tasks:detail", pk=task.pk)
    try:
        _run(action, task, request.user, form.cleaned_data, request.FILES.getlist(f"{action}-files"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行此操作"))
    else:
        messages.success(request, _("已%(action)s") % {"action": ACTION_LABELS[action]})
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def extension_decide(request, pk: int, ext_pk: int):
    task = task_for_page(request.user, pk)
    ext = next((e for e in task.extensions.all() if e.pk == ext_pk), None)
    if ext is None:
        raise Http404
    note = request.POST.get("note", "")[:500]
    try:
        if request.POST.get("decision") == "approve":
            extensions.approve_extension(ext, actor=request.user, note=note)
        else:
            extensions.refuse_extension(ext, actor=request.user, note=note)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已审批延期申请"))
    return redirect("tasks:detail", pk=task.pk)
