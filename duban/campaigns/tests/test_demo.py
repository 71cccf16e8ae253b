"""The demo builder: both campaigns for all 13 towns, four scored rounds with photos, rectifications
open and closed, one published reward/penalty list; deterministic and idempotent."""

from __future__ import annotations

import time

import pytest

from duban.attachments.models import Attachment
from duban.campaigns import queries
from duban.campaigns.models import (
    Campaign,
    CampaignTown,
    InspectionRound,
    QuantityReport,
    Rectification,
    SanctionList,
    SiteScore,
)
from duban.org.demo.build import build_demo

# Builds the whole demo city: `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_builds_the_campaigns_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    start = time.monotonic()
    build_demo(password="Demo-Pass-2026!", modules=["campaigns"])
    elapsed = time.monotonic() - start
    assert set(Campaign.objects.values_list("name", flat=True)) == {"农村人居环境综合整治", "村内通道路硬化"}
    assert CampaignTown.objects.count() == 26
    assert InspectionRound.objects.count() == 4 and SiteScore.objects.filter(status="final").count() == 4 * 26
    assert Attachment.objects.filter(content_type__model="deduction").exists()
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert {"open", "closed", "returned"} <= statuses
    assert SanctionList.objects.filter(status="published").count() == 1
    assert QuantityReport.objects.count() > 0
    environment = Campaign.objects.get(name="农村人居环境综合整治")
    assert len(queries.cumulative_ranking(environment)) == 13
    counts = (SiteScore.objects.count(), Rectification.objects.count(), QuantityReport.objects.count())
    build_demo(password="Demo-Pass-2026!", modules=["campaigns"])
    assert (
        SiteScore.objects.count(),
        Rectification.objects.count(),
        QuantityReport.objects.count(),
    ) == counts
    print(f"campaigns demo with the org tree: {elapsed:.1f} s")
