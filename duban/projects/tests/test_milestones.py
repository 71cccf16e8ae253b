"""Milestones: free before confirmation, locked after; moves need a reason and the office's yes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects import queries, services
from duban.projects.choices import MoveStatus
from duban.projects.factories import County, make_project
from duban.projects.lights import milestone_light, project_light

pytestmark = pytest.mark.django_db

D = datetime.date


def last(event):
    return AuditEntry.objects.filter(event=event).order_by("-id").first()


@pytest.fixture
def county():
    return County()


def test_before_confirmation_the_lead_unit_sets_dates_freely(county):
    project = make_project(county)
    milestone = project.milestones.first()
    services.set_planned_date(milestone, actor=county.lead_liaison, planned_date=D(2026, 2, 10))
    assert last(AuditEvent.MILESTONE_CHANGED).changes["planned_date"][1] == "2026-02-10"


def test_a_date_outside_the_project_span_is_refused(county):
    project = make_project(county)
    with pytest.raises(ValidationError) as exc:
        services.add_milestone(
            project, actor=county.lead_liaison, name="环评批复", planned_date=D(2027, 1, 5)
        )
    assert "节点日期须在项目计划工期内" in exc.value.message_dict["planned_date"][0]


def test_after_confirmation_a_date_moves_only_through_an_approved_request(county):
    """Given a confirmed project, when the liaison sets a date directly, then it is refused; a move
    request with a reason approved by the office moves it and counts the move and the days."""
    project = make_project(county, confirmed=True)
    milestone = project.milestones.get(kind="groundbreaking")
    old = milestone.planned_date
    with pytest.raises(ValidationError):
        services.set_planned_date(
            milestone, actor=county.lead_liaison, planned_date=old + datetime.timedelta(days=5)
        )
    with pytest.raises(ValidationError) as exc:
        services.request_move(
            milestone, actor=county.lead_liaison, new_date=old + datetime.timedelta(days=20), reason=" "
        )
    assert "理由" in exc.value.message_dict["reason"][0]

    move = services.request_move(
        milestone,
        actor=county.lead_liaison,
        new_date=old + datetime.timedelta(days=20),
        reason="征地补偿未完成",
    )
    with pytest.raises(ValidationError):  # one pending request per milestone
        services.request_move(
            milestone, actor=county.lead_liaison, new_date=old + datetime.timedelta(days=9), reason="再推"
        )
    with pytest.raises(PermissionDenied):
        services.approve_move(move, actor=county.lead_head)
    services.approve_move(move, actor=county.office, note="同意")

    milestone.refresh_from_db()
    assert milestone.planned_date == old + datetime.timedelta(days=20)
    assert (milestone.move_count, milestone.days_slipped) == (1, 20)
    entry = last(AuditEvent.MILESTONE_MOVE_APPROVED)
    assert entry.actor == county.office and "征地补偿未完成" in entry.reason
    assert entry.changes["planned_date"] == [old.isoformat(), (old + datetime.timedelta(days=20)).isoformat()]


def test_a_refusal_needs_a_note_and_leaves_the_date(county):
    project = make_project(county, confirmed=True)
    milestone = project.milestones.first()
    move = services.request_move(
        milestone,
        actor=county.lead_liaison,
        new_date=milestone.planned_date + datetime.timedelta(days=3),
        reason="x",
    )
    with pytest.raises(ValidationError):
        services.refuse_move(move, actor=county.office, note="")
    services.refuse_move(move, actor=county.office, note="理由不充分")
    move.refresh_from_db()
    milestone.refresh_from_db()
    assert move.status == MoveStatus.REFUSED and milestone.move_count == 0
    assert last(AuditEvent.MILESTONE_MOVE_REFUSED).reason == "理由不充分"


def test_moves_and_slipped_days_are_counted_per_project_and_per_unit(county):
    project = make_project(county, confirmed=True)
    for milestone, days in zip(project.milestones.all()[:2], (10, 15), strict=True):
        move = services.request_move(
            milestone,
            actor=county.lead_liaison,
            new_date=milestone.planned_date + datetime.timedelta(days=days),
            reason="r",
        )
        services.approve_move(move, actor=county.office)
    per_project = queries.slips_by_project(county.office)
    assert per_project[project.pk] == {"moves": 2, "days": 25}
    per_unit = queries.slips_by_unit(county.office)
    assert [(r["unit"], r["moves"], r["days"]) for r in per_unit] == [(county.dept.name, 2, 25)]


def test_reaching_a_milestone_records_the_date_and_turns_it_blue(county):
    project = make_project(county)
    milestone = project.milestones.first()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.reach_milestone(
            milestone, actor=county.lead_liaison, actual_date=today + datetime.timedelta(days=1)
        )
    services.reach_milestone(
        milestone, actor=county.lead_liaison, actual_date=today, evidence_note="见批复文件"
    )
    milestone.refresh_from_db()
    assert milestone_light(milestone, today).colour == "blue"
    assert last(AuditEvent.MILESTONE_REACHED).changes == {"actual_date": [None, today.isoformat()]}


def test_project_light_is_the_worst_milestone_or_investment_light(county):
    project = make_project(county)
    milestones = list(project.milestones.all())
    late = milestones[0]
    light = project_light(project, milestones, late.planned_date + datetime.timedelta(days=10))
    assert light.colour == "red"
    assert late.name in light.reason
