"""Catching the same investor claimed by two units: credit code, then fuzzy normalised name.

A new or changed lead is compared with the leads of other units in its county. A match opens a
DuplicateClaim for the office (audited); the same unit registering the same investor twice is
refused outright by the service (a duplicate lead, nothing saved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

from duban import audit
from duban.audit.events import AuditEvent

from .choices import ClaimStatus
from .conf import conf
from .models import DuplicateClaim, Lead


@dataclass(frozen=True)
class Match:
    lead_id: int
    score: Decimal
    basis: str


def _numbers(name: str) -> list[str]:
    return re.findall(r"\d+", name)


def find_matches(lead: Lead, *, same_unit: bool) -> list[Match]:
    """Leads of the county that look like the same investor: of the same unit, or of the others."""
    others = Lead.objects.filter(county_id=lead.county_id).exclude(pk=lead.pk)
    if same_unit:
        others = others.filter(source_unit_id=lead.source_unit_id)
    else:
        others = others.exclude(source_unit_id=lead.source_unit_id)
    rows = list(others.values_list("pk", "normalised_name", "credit_code"))
    matches: dict[int, Match] = {}
    if lead.credit_code:
        for pk, _name, code in rows:
            if code == lead.credit_code:
                matches[pk] = Match(pk, Decimal("100.0"), "统一社会信用代码相同")
    threshold = conf("DUPLICATE_THRESHOLD")
    names = {pk: name for pk, name, code in rows if pk not in matches and name}
    # Two valid, different credit codes are two different legal persons, whatever the names.
    codes = {pk: code for pk, _name, code in rows}
    found = process.extract(
        lead.normalised_name, names, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
    )
    numbers = _numbers(lead.normalised_name)
    for name, score, pk in found:
        if lead.credit_code and codes[pk] and codes[pk] != lead.credit_code:
            continue
        if _numbers(name) != numbers:
            continue  # 一厂 / 二厂, No.3 / No.13: numbers tell investors apart whatever the rest
        matches[pk] = Match(pk, Decimal(str(round(score, 1))), f"名称相似度{round(score, 1)}%")
    return sorted(matches.values(), key=lambda m: (-m.score, m.lead_id))


def flag_duplicates(lead: Lead, *, actor) -> list[DuplicateClaim]:
    """Open a claim for each lead of another unit that matches `lead` (once per pair). In a transaction."""
    claims = []
    for match in find_matches(lead, same_unit=False):
        first, second = sorted((lead.pk, match.lead_id))
        claim, created = DuplicateClaim.objects.get_or_create(
            first_id=first,
            second_id=second,
            defaults={
                "county_id": lead.county_id,
                "score": match.score,
                "basis": match.basis,
                "status": ClaimStatus.OPEN,
            },
        )
        if created:
            audit.record(
                AuditEvent.DUPLICATE_FLAGGED,
                actor=actor,
                target=claim,
                parent=lead,
                changes={"score": [None, str(match.score)], "basis": [None, match.basis]},
            )
            claims.append(claim)
    return claims
