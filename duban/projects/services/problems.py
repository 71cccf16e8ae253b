"""The problem loop: raise → assign (units, deadline in working days) → answer → close out or return."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import BUSINESS_ROLES, UNIT_SCOPED_ROLES
from duban.accounts.models import User
from duban.audit.events import AuditEvent
from duban.core import calendar
from duban.notifications.services import notify

from ..choices import PROBLEM_TRANSITIONS, ProblemKind, ProblemStatus
from ..models import Problem, ProblemAssignment, Project
from .common import is_office_for, required_text

PROBLEM_FIELDS = ["kind", "title", "description", "status", "due_date"]
MAX_WORKING_DAYS = 250


def _move(problem: Problem, action: str) -> str:
    sources, target = PROBLEM_TRANSITIONS[action]
    if problem.status not in sources:
        raise ValidationError(
            {"__all__": [_("问题当前状态为“%(s)s”，不能执行此操作") % {"s": problem.get_status_display()}]}
        )
    return target


def _lock(problem: Problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("project__county", "raised_by")
        .get(pk=problem.pk)
    )


def unit_people(unit_ids: Iterable[int]) -> list[User]:
    """The heads and liaisons of the units: who is told about (and chased for) a problem."""
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__role__in=UNIT_SCOPED_ROLES,
            grants__unit__in=list(unit_ids),
        ).distinct()
    )


def _url(problem: Problem) -> str:
    return reverse("projects:problem_detail", args=[problem.pk])


def may_steer(actor, problem: Problem) -> bool:
    """The raiser, the office, and whoever may change the project steer the problem."""
    return (
        problem.raised_by_id == actor.pk
        or is_office_for(actor, problem.project.county)
        or policy.can(actor, policy.CHANGE, problem.project)
    )


def may_verify(actor, problem: Problem) -> bool:
    """Closing out (销号) and returning belong to the raiser or the supervision office."""
    return problem.raised_by_id == actor.pk or is_office_for(actor, problem.project.county)


def may_answer(actor, problem: Problem) -> bool:
    """A responsible unit's head or liaison, while the problem waits for its answer."""
    if problem.status not in PROBLEM_TRANSITIONS["answer"][0]:
        return False
    units = policy.grants_of(actor).units(UNIT_SCOPED_ROLES)
    return any(a.unit_id in units and a.answered_at is None for a in problem.assignments.all())


@transaction.atomic
def raise_problem(
    project: Project,
    *,
    actor,
    kind: str,
    title: str,
    description: str = "",
    units: Iterable | None = None,
    working_days: int | None = None,
    due_date: datetime.date | None = None,
) -> Problem:
    """A steward or anyone on the project lists a difficulty; with units it is assigned at once."""
    if not policy.can(actor, policy.VIEW, project) or not policy.grants_of(actor).roles & BUSINESS_ROLES:
        raise PermissionDenied(_("无权对该项目提出问题"))
    if kind not in ProblemKind.values:
        raise ValidationError({"kind": [_("请选择问题类型")]})
    problem = Problem(
        project=project,
        kind=kind,
        title=required_text(title, "title", _("请填写问题")),
        description=(description or "").strip(),
        raised_by=actor,
    )
    problem.full_clean()
    problem.save()
    audit.record(
        AuditEvent.PROBLEM_RAISED,
        actor=actor,
        target=problem,
        parent=project,
        changes=audit.diff({}, audit.snapshot(problem, PROBLEM_FIELDS)),
    )
    units = list(units or [])
    if units:
        assign_problem(problem, actor=actor, units=units, working_days=working_days, due_date=due_date)
        problem.refresh_from_db()
    return problem


def _due(working_days: int | None, due_date: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if working_days is not None:
        if not 1 <= int(working_days) <= MAX_WORKING_DAYS:
            raise ValidationError({"working_days": [_("办结时限须为1到250个工作日")]})
        return calendar.add_working_days(today, int(working_days))
    if due_date is None:
        raise ValidationError({"due_date": [_("请设定办结时限")]})
    if due_date < today:
        raise ValidationError({"due_date": [_("办结时限不能早于今天")]})
    return due_date


@transaction.atomic
def assign_problem(
    problem: Problem,
    *,
    actor,
    units: Iterable,
    working_days: int | None = None,
    due_date: datetime.date | None = None,
) -> Problem:
    problem = _lock(problem)
    if not may_steer(actor, problem):
        raise PermissionDenied(_("无权交办该问题"))
    target = _move(problem, "assign")
    units = list(dict.fromkeys(units))
    if not units:
        raise ValidationError({"units": [_("请至少选择一个责任单位")]})
    county = problem.project.county
    for unit in units:
        if not unit.region.path.startswith(county.path) or not unit.is_active:
            raise ValidationError({"units": [_("“%(u)s”不是本县(区)的在用单位，不能交办") % {"u": unit}]})
    problem.due_date = _due(working_days, due_date)
    problem.status = target
    problem.save(update_fields=["status", "due_date", "updated_at"])
    ProblemAssignment.objects.bulk_create([ProblemAssignment(problem=problem, unit=u) for u in units])
    audit.record(
        AuditEvent.PROBLEM_ASSIGNED,
        actor=actor,
        target=problem,
        parent=problem.project,
        changes={
            "status": [ProblemStatus.RAISED, target],
            "due_date": [None, problem.due_date.isoformat()],
            "units": [None, [u.name for u in units]],
        },
    )
    notify(
        unit_people(u.pk for u in units),
        kind="projects.problem_assigned",
        title=_("项目问题交办：%(t)s") % {"t": problem.title},
        body=_("项目“%(p)s”，请于%(d)s前办结并答复。")
        % {"p": problem.project.name, "d": problem.due_date.isoformat()},
        url=_url(problem),
        target=problem,
    )
    return problem


@transaction.atomic
def answer_problem(problem: Problem, *, actor, answer: str) -> Problem:
    """A responsible unit answers; once every unit has answered the problem awaits verification."""
    problem = _lock(problem)
    _move(problem, "answer")
    answer = required_text(answer, "answer", _("请填写办理情况"))
    mine = problem.assignments.filter(unit__in=policy.grants_of(actor).units(UNIT_SCOPED_ROLES))
    if not mine.exists():
        raise PermissionDenied(_("只有责任单位可以答复该问题"))
    mine.update(answer=answer, answered_at=timezone.now(), answered_by=actor)
    old = problem.status
    if not problem.assignments.filter(answered_at__isnull=True).exists():
        problem.status = ProblemStatus.ANSWERED
    problem.last_note = answer[:500]
    problem.save(update_fields=["status", "last_note", "updated_at"])
    audit.record(
        AuditEvent.PROBLEM_ANSWERED,
        actor=actor,
        target=problem,
        parent=problem.project,
        changes={"status": [old, problem.status], "answer": [None, answer]},
    )
    if problem.status == ProblemStatus.ANSWERED and problem.raised_by:
        notify(
            [problem.raised_by],
            kind="projects.problem_answered",
            title=_("问题已答复，请核实销号：%(t)s") % {"t": problem.title},
            url=_url(problem),
            target=problem,
        )
    return problem


@transaction.atomic
def close_out_problem(problem: Problem, *, actor, note: str = "") -> Problem:
    """The raiser or the office verifies the fix and crosses the problem off (销号)."""
    problem = _lock(problem)
    if not may_verify(actor, problem):
        raise PermissionDenied(_("只有提出人或督查室可以销号"))
    problem.status = _move(problem, "close_out")
    problem.closed_on = timezone.localdate()
    problem.last_note = (note or "").strip()[:500]
    problem.save(update_fields=["status", "closed_on", "last_note", "updated_at"])
    audit.record(
        AuditEvent.PROBLEM_CLOSED,
        actor=actor,
        target=problem,
        parent=problem.project,
        changes={"status": [ProblemStatus.ANSWERED, ProblemStatus.CLOSED]},
        reason=problem.last_note,
    )
    return problem


@transaction.atomic
def return_problem(problem: Problem, *, actor, note: str) -> Problem:
    """Not solved: back to the responsible units, who must answer again."""
    problem = _lock(problem)
    if not may_verify(actor, problem):
        raise PermissionDenied(_("只有提出人或督查室可以退回"))
    problem.status = _move(problem, "return")
    problem.last_note = required_text(note, "note", _("退回时须说明理由"))[:500]
    problem.save(update_fields=["status", "last_note", "updated_at"])
    problem.assignments.update(answered_at=None)
    audit.record(
        AuditEvent.PROBLEM_RETURNED,
        actor=actor,
        target=problem,
        parent=problem.project,
        changes={"status": [ProblemStatus.ANSWERED, ProblemStatus.RETURNED]},
        reason=problem.last_note,
    )
    notify(
        unit_people(problem.assignments.values_list("unit_id", flat=True)),
        kind="projects.problem_returned",
        title=_("问题被退回：%(t)s") % {"t": problem.title},
        body=problem.last_note,
        url=_url(problem),
        target=problem,
    )
    return problem
