"""The demo builder: pairings for every department, 150+ leads across stages, claims, idle units, targets; idempotent."""

from __future__ import annotations

import pytest

from duban.investment.models import DuplicateClaim, FollowUp, InvestmentTarget, Lead, Pairing
from duban.org.choices import UnitKind
from duban.org.demo.build import build_demo
from duban.org.models import Unit

# Builds the whole demo city (about 20 s on SQLite, 2 min on a loaded PostgreSQL): `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_builds_the_investment_data_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo(password="Demo-Pass-2026!", modules=["investment"])
    counts = (Lead.objects.count(), Pairing.objects.count(), DuplicateClaim.objects.count())
    assert counts[0] >= 150 and counts[2] >= 3
    departments = Unit.objects.filter(
        kind=UnitKind.DEPARTMENT, region__level="county", region__code="991101"
    ).exclude(code__endswith="-dcs")
    assert counts[1] == departments.count()
    assert len(set(Lead.objects.values_list("stage", flat=True))) == 10
    assert FollowUp.objects.count() > counts[0]
    assert departments.exclude(source_leads__isnull=False).count() >= 3
    assert InvestmentTarget.objects.count() > departments.count()
    assert (
        Lead.objects.filter(expected_sign_on__isnull=False, stage__in=["visited", "negotiating"]).count() >= 3
    )
    build_demo(password="Demo-Pass-2026!", modules=["investment"])
    assert (Lead.objects.count(), Pairing.objects.count(), DuplicateClaim.objects.count()) == counts
