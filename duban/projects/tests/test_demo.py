"""The projects demo builder: 60 projects of every kind and state, idempotent, deterministic."""

import datetime
import random

import pytest
from django.db.models import F
from django.utils import timezone

from duban.attachments.models import Attachment
from duban.org.demo import build
from duban.projects.demo import _names, build_projects_demo, second_friday_of_december
from duban.projects.models import (
    Milestone,
    MilestoneMove,
    Problem,
    ProgressReport,
    Project,
    ReadinessAssessment,
    Showcase,
    SiteVisit,
    Stewardship,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def counts() -> dict:
    models = [Project, Milestone, MilestoneMove, Problem, SiteVisit, ProgressReport, Stewardship, Attachment]
    return {m.__name__: m.objects.count() for m in models}


def test_the_demo_county_gets_its_key_projects_once(monkeypatch):
    monkeypatch.setattr(build, "_BUILDERS", {"projects": build_projects_demo})
    build.build_demo(seed=7, password="Demo@2026pass", modules=["projects"])
    today = timezone.localdate()

    projects = Project.objects.all()
    assert projects.count() == 60
    assert projects.filter(level="city_showcase").count() == 20
    assert len(set(projects.values_list("name", flat=True))) == 60
    showcase = projects.filter(level="city_showcase")
    assert Stewardship.objects.filter(project__in=showcase, full_time=True).exists()
    assert not Stewardship.objects.exclude(project__in=showcase).exists()

    milestones = Milestone.objects.all()
    assert milestones.filter(actual_date__isnull=False).exists()  # reached
    assert milestones.filter(actual_date__gt=F("planned_date")).exists()  # reached late
    assert milestones.filter(actual_date__isnull=True, planned_date__lt=today).exists()  # overdue
    assert milestones.filter(actual_date__isnull=True, planned_date__gte=today).exists()  # ahead
    assert milestones.filter(move_count__gt=0).exists()  # moved with approval
    assert {"approved", "refused", "pending"} <= set(MilestoneMove.objects.values_list("status", flat=True))

    problems = Problem.objects.all()
    assert problems.filter(status="closed").exists() and problems.exclude(status="closed").exists()
    assert problems.filter(status="assigned", due_date__lt=today).exists()  # overdue, chased
    assert not problems.filter(assignments__isnull=True).exists()

    assert SiteVisit.objects.filter(project__in=showcase).count() >= 20
    photo = Attachment.objects.filter(kind="photo").first()
    assert photo is not None and photo.gps_latitude is not None and photo.taken_at is not None
    assert ProgressReport.objects.filter(status="approved").exists()
    assert ProgressReport.objects.filter(late=True).exists()

    tour = Showcase.objects.get()
    assert tour.date == second_friday_of_december(today.year) and tour.date.weekday() == 4
    assert tour.criteria.count() == 5
    assert ReadinessAssessment.objects.count() == 20 * 5

    from duban.projects.models import LandQuota, LandRequest

    assert LandQuota.objects.count() == 3
    assert LandQuota.objects.filter(allocated_mu__gt=0).count() == 3  # partly allocated
    assert LandRequest.objects.filter(status="requested").exists()  # waiting
    assert LandRequest.objects.filter(status="proposed").exists()  # ordered, not yet approved

    from duban.projects.models import Programme

    programme = Programme.objects.get()
    assert programme.projects.count() == 4 and programme.plan_milestones.count() == 4

    before = counts()
    build.build_demo(seed=7, password="Demo@2026pass", modules=["projects"])
    assert counts() == before


def test_the_second_friday_of_december_and_the_names_are_fixed_by_the_seed():
    assert second_friday_of_december(2026) == datetime.date(2026, 12, 11)
    assert second_friday_of_december(2027) == datetime.date(2027, 12, 10)
    assert _names(random.Random("projects-7")) == _names(random.Random("projects-7"))
    assert _names(random.Random("projects-7")) != _names(random.Random("projects-8"))
