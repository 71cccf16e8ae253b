"""The problem loop: raise, assign, answer, close out, return; overdue problems chased once a day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duban.accounts import policy
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.core import calendar
from duban.notifications.models import Notification
from duban.projects import services
from duban.projects.choices import ProblemStatus
from duban.projects.factories import County, make_project
from duban.projects.models import Milestone, Problem, Project
from duban.projects.reminders import chase_overdue_problems

pytestmark = pytest.mark.django_db


def last(event):
    return AuditEntry.objects.filter(event=event).order_by("-id").first()


@pytest.fixture
def county():
    return County()


@pytest.fixture
def project(county):
    return make_project(county)


def raise_and_assign(county, project, **kw):
    return services.raise_problem(
        project,
        actor=county.lead_liaison,
        kind="land",
        title="征地拆迁未完成",
        units=[county.other_dept],
        working_days=kw.pop("working_days", 5),
        **kw,
    )


def test_the_whole_loop_with_audit_and_notifications(county, project):
    """Given a liaison raising a land problem assigned to 自然资源局 for 5 working days, when the
    unit answers, the raiser returns it, the unit answers again and the raiser closes it out,
    then every step is audited and the unit was told."""
    problem = raise_and_assign(county, project)
    assert problem.status == ProblemStatus.ASSIGNED
    assert problem.due_date == calendar.add_working_days(timezone.localdate(), 5)
    assert last(AuditEvent.PROBLEM_RAISED).target_id == str(problem.pk)
    assert last(AuditEvent.PROBLEM_ASSIGNED).changes["units"] == [None, [county.other_dept.name]]
    assert Notification.objects.filter(
        recipient=county.other_liaison, kind="projects.problem_assigned"
    ).exists()

    with pytest.raises(PermissionDenied):
        services.answer_problem(problem, actor=county.lead_liaison, answer="x")
    services.answer_problem(problem, actor=county.other_liaison, answer="已完成组卷上报")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ANSWERED

    with pytest.raises(PermissionDenied):
        services.close_out_problem(problem, actor=county.other_head)
    with pytest.raises(ValidationError):
        services.return_problem(problem, actor=county.lead_liaison, note="")
    services.return_problem(problem, actor=county.lead_liaison, note="尚未取得批复")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RETURNED
    assert last(AuditEvent.PROBLEM_RETURNED).reason == "尚未取得批复"

    services.answer_problem(problem, actor=county.other_head, answer="已取得用地批复")
    services.close_out_problem(problem, actor=county.office, note="核实无误")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_on == timezone.localdate()
    assert last(AuditEvent.PROBLEM_CLOSED).changes == {"status": ["answered", "closed"]}


def test_a_transition_out_of_order_is_refused(county, project):
    problem = raise_and_assign(county, project)
    with pytest.raises(ValidationError) as exc:
        services.close_out_problem(problem, actor=county.office)
    assert "不能执行此操作" in exc.value.messages[0]


def test_a_unit_outside_the_county_cannot_be_assigned_and_nothing_is_saved(county, project):
    other = County()
    before = Problem.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.raise_problem(
            project, actor=county.office, kind="funds", title="资金缺口", units=[other.dept], working_days=3
        )
    assert "不是本县(区)的在用单位" in exc.value.message_dict["units"][0]
    assert Problem.objects.count() == before


def test_a_responsible_unit_sees_the_project_and_only_its_problems(county, project):
    """Given two problems on a project, one assigned to 自然资源局, then 自然资源局's liaison sees
    the project and that problem only, and none of the milestones."""
    mine = raise_and_assign(county, project)
    services.raise_problem(project, actor=county.lead_liaison, kind="funds", title="资金缺口")
    user = county.other_liaison
    assert set(policy.scope_queryset(Project.objects.all(), user)) == {project}
    assert set(policy.scope_queryset(Problem.objects.all(), user)) == {mine}
    assert not policy.scope_queryset(Milestone.objects.all(), user).exists()
    assert not policy.scope_queryset(Project.objects.all(), user, "change").exists()


def test_overdue_problems_are_chased_once_a_day(county, project):
    """Given a problem past its deadline, when the chase runs twice on a day, then the unit's
    people get one notification each; the next day they get another."""
    problem = raise_and_assign(county, project, working_days=1)
    later = problem.due_date + datetime.timedelta(days=3)
    first = chase_overdue_problems(later)
    again = chase_overdue_problems(later)
    assert first == 2 and again == 0  # head and liaison of 自然资源局
    assert chase_overdue_problems(later + datetime.timedelta(days=1)) == 2
    note = Notification.objects.filter(recipient=county.other_head, kind="projects.problem_overdue").first()
    assert "逾期" in note.title


def test_answered_and_closed_problems_are_not_chased(county, project):
    problem = raise_and_assign(county, project, working_days=1)
    services.answer_problem(problem, actor=county.other_liaison, answer="办结")
    assert chase_overdue_problems(problem.due_date + datetime.timedelta(days=5)) == 0
