"""Chasing: yellow and red leads notify their follower (or the liaisons) once a day; a red one the head too."""

from __future__ import annotations

import datetime

import pytest

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.core import calendar
from duban.investment.chasing import KIND, chase_idle_leads
from duban.investment.factories import make_lead
from duban.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_idle_leads_are_chased_once_a_day(county, settings):
    settings.DUBAN_INVESTMENT = {"FOLLOW_UP_YELLOW_DAYS": 2, "FOLLOW_UP_RED_DAYS": 5}
    today = datetime.date(2026, 11, 27)
    dept = county.departments[0]
    liaison = county.liaison(dept)
    head = make_user_with_role(Role.UNIT_HEAD, unit=dept)
    latest = calendar.previous_workday(today)
    fresh = make_lead(county, source_unit=dept, registered_on=latest)
    yellow = make_lead(county, source_unit=dept, registered_on=calendar.add_working_days(latest, -3))
    red = make_lead(county, source_unit=dept, registered_on=calendar.add_working_days(latest, -6))
    first = chase_idle_leads(today)
    again = chase_idle_leads(today)
    assert first == {"leads": 2, "notifications": 3} and again == {"leads": 2, "notifications": 0}
    targets = set(Notification.objects.filter(kind=KIND).values_list("target_id", flat=True))
    assert targets == {str(yellow.pk), str(red.pk)} and str(fresh.pk) not in targets
    titles = list(Notification.objects.filter(kind=KIND, recipient=liaison).values_list("title", flat=True))
    assert len(titles) == 2 and any("3个工作日未跟进" in t for t in titles)
    assert Notification.objects.filter(kind=KIND, recipient=head).count() == 1
