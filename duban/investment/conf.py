"""Settings of investment attraction, tuned by a deployment in `settings.DUBAN_INVESTMENT`."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # A lead with no follow-up (or stage move) for more working days than these turns yellow / red.
    "FOLLOW_UP_YELLOW_DAYS": 10,
    "FOLLOW_UP_RED_DAYS": 20,
    # A unit with no lead touched for this many working days is listed as idle.
    "IDLE_UNIT_DAYS": 20,
    # What units other than the source unit, the town/park and the office see of a lead
    # (besides its existence: project name, source unit, location). None: they see no lead at all.
    "PUBLIC_FIELDS": ("industry", "stage", "amount"),
    # Roles that may unmask a phone number (on a lead they may read in confidence); audited.
    "UNMASK_ROLES": ("supervision_office", "unit_head", "unit_liaison", "county_leader"),
    # Two leads of different units whose normalised names score at least this are flagged.
    "DUPLICATE_THRESHOLD": 90,
}


def conf(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "DUBAN_INVESTMENT", {})}[name]
