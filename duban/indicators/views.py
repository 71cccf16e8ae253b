"""Pages: the board, the lagging list, one indicator (trend chart, ranks, versions).

Reads start from `visible_to` (through board/queries) or `get_object_for_user_or_404`.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from duban.accounts import policy
from duban.accounts.choices import Role

from .board import board_rows, leverage_rows
from .filters import IndicatorFilter
from .models import Indicator, IndicatorValue
from .periods import Period
from .queries import peers_of, ranked_values
from .ranking import simulate
from .roles import in_unit, is_office_over, statistics_unit_ids
from .services.reporting import allowed_actions

TREND_PERIODS = 24


def _board(request, *, lagging_only: bool, template: str):
    filters = IndicatorFilter(
        request.GET, queryset=Indicator.objects.visible_to(request.user), request=request
    )
    rows = board_rows(request.user, filters.qs) if filters.is_valid() else []
    if lagging_only or (filters.is_valid() and filters.form.cleaned_data.get("lagging")):
        rows = [r for r in rows if r.lagging]
    context = {
        "filters": filters,
        "rows": rows,
        "total": sum((r.score for r in rows), Decimal(0)),
        "lagging_only": lagging_only,
        "can_import": policy.has_role(request.user, Role.SUPERVISION_OFFICE)
        or bool(statistics_unit_ids(request.user)),
        "can_maintain": policy.has_role(request.user, Role.SUPERVISION_OFFICE),
        "leverage": leverage_rows(rows),
    }
    return render(request, template, context)


@login_required
def board(request):
    return _board(request, lagging_only=False, template="indicators/board.html")


@login_required
def lagging(request):
    return _board(request, lagging_only=True, template="indicators/board.html")


def _trend(indicator: Indicator, user) -> dict:
    """Per period: own value, peers' best and average, own place; one query (ranked window)."""
    rows = list(
        ranked_values(IndicatorValue.objects.visible_to(user).filter(indicator=indicator)).values_list(
            "period", "county_id", "value", "place", "peers"
        )  # type: ignore[misc]
    )
    periods = sorted({r[0] for r in rows})[-TREND_PERIODS:]
    by_period: dict[int, list] = {p: [] for p in periods}
    for period, county_id, value, place, peers in rows:
        if period in by_period:
            by_period[period].append((county_id, value, place, peers))
    table = []
    for key in periods:
        entries = by_period[key]
        values = [e[1] for e in entries]
        own = next((e for e in entries if e[0] == indicator.county_id), None)
        best = min(values) if indicator.lower_is_better else max(values)
        table.append(
            {
                "period": Period.from_key(key, indicator.frequency).label,
                "own": own[1] if own else None,
                "best": best,
                "average": (sum(values) / len(values)).quantize(Decimal("0.01")),
                "place": own[2] if own else None,
                "peers": entries[0][3],
            }
        )
    return {"table": table, "latest": by_period[periods[-1]] if periods else []}


@login_required
def indicator_detail(request, pk: int):
    indicator = policy.get_object_for_user_or_404(
        request.user,
        Indicator.objects.visible_to(request.user).select_related("owner_unit", "leader_in_charge", "county"),
        pk,
    )
    trend = _trend(indicator, request.user)
    chart = {
        "name": indicator.name,
        "unit": indicator.unit_of_measure,
        "county": indicator.county.name,
        "periods": [r["period"] for r in trend["table"]],
        "own": [str(r["own"]) if r["own"] is not None else None for r in trend["table"]],
        "best": [str(r["best"]) for r in trend["table"]],
        "average": [str(r["average"]) for r in trend["table"]],
        "place": [r["place"] for r in trend["table"]],
        "peers": max((r["peers"] for r in trend["table"]), default=1),
    }
    latest = trend["latest"]
    names = dict(peers_of(indicator.county).values_list("pk", "name"))
    peers_now = [
        {"county": names.get(e[0], ""), "value": e[1], "place": e[2], "own": e[0] == indicator.county_id}
        for e in latest
    ]
    simulation = None
    own_now = next((e for e in latest if e[0] == indicator.county_id), None)
    target = indicator.targets.order_by("-year").first()
    if own_now:
        others = [e[1] for e in latest if e[0] != indicator.county_id]
        simulation = simulate(
            own_now[1], others, indicator.lower_is_better, target.target_place if target else None
        )
    versions = (
        IndicatorValue.objects.visible_to(request.user)
        .filter(indicator=indicator, county_id=indicator.county_id)
        .select_related("entered_by", "approved_by", "verified_by", "indicator__county")
        .order_by("-period", "-version")[:60]
    )
    history = [(v, allowed_actions(request.user, v)) for v in versions]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "chart": chart,
            "trend": trend["table"],
            "peers_now": peers_now,
            "simulation": simulation,
            "target": target,
            "history": history,
            "can_report": in_unit(request.user, indicator.owner_unit_id),
            "can_maintain": is_office_over(request.user, indicator.county),
        },
    )
