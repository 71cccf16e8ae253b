"""The module's tunable rules: settings.DUBAN_INDICATORS over these defaults (docs/indicators.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Units whose head or liaison verifies figures as the statistics bureau (统计局): by name.
    "statistics_unit_names": ["统计局"],
    # A change of more than this many percent vs the last period or last year needs an explanation.
    "jump_band_percent": Decimal(30),
    # For growth rates and ratios the band is a difference in percentage points.
    "jump_band_points": Decimal(10),
    # Lagging: "bottom_third", "target_place" or "either".
    "lagging_rule": "either",
    "lagging_share": Decimal(1) / Decimal(3),
    # Score per place (争先进位): first place gets the indicator's weight, each place lower
    # `step` of it less, never below `floor` of it. Per indicator group; "default" for the rest.
    "score_rules": {"default": {"step": Decimal("0.05"), "floor": Decimal("0.4")}},
    # The daily chase reminds the owning unit this many working days before the due date.
    "remind_working_days": 2,
}


def conf() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "DUBAN_INDICATORS", {})}


def score_rule(group: str) -> dict[str, Decimal]:
    rules = conf()["score_rules"]
    rule = rules.get(group) or rules.get("default") or DEFAULTS["score_rules"]["default"]
    return {"step": Decimal(str(rule["step"])), "floor": Decimal(str(rule["floor"]))}
