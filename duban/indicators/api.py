"""/api/v1/indicators, /indicator-values, /indicators/{id}/ranking, /look-backs.

The pages' policy, FilterSet and services: lists start from visible_to, details answer 404 for
missing and forbidden alike, writes go through the services (403 when refused by role).
Figures are strings in JSON (exact decimals, never floats).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from duban.accounts import policy

from .board import BoardRow, board_rows, leverage_rows
from .choices import ValueStatus
from .filters import IndicatorFilter
from .models import Indicator, IndicatorValue, LookBack, LookBackItem
from .periods import Period
from .queries import peers_of, rankings
from .ranking import score, simulate
from .roles import is_office_over
from .services import enter_value, set_annual_target
from .services.reporting import TRANSITION_SERVICES

router = Router(tags=["indicators"])
MAX_PAGE_SIZE = 200


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    group: str
    unit_of_measure: str
    kind: str
    direction: str
    frequency: str
    cumulative: bool
    owner_unit_id: int
    owner_unit_name: str
    leader_in_charge_id: int | None
    weight: Decimal
    period: str
    period_label: str
    target: Decimal | None
    actual: Decimal | None
    completion: Decimal | None
    light: str
    light_reason: str
    place: int | None
    peers: int
    change_prev: int | None
    change_year: int | None
    score: Decimal
    lagging: bool


class IndicatorList(Schema):
    count: int
    items: list[IndicatorOut]


class PeerOut(Schema):
    county_id: int
    county: str
    value: Decimal
    place: int
    score: Decimal


class RankingOut(Schema):
    indicator_id: int
    period: str
    peers: list[PeerOut]
    own_place: int | None
    gap_up: Decimal | None
    gap_target: Decimal | None
    cushion: Decimal | None


class ValueOut(Schema):
    id: int
    indicator_id: int
    county_id: int
    period: int
    version: int
    value: Decimal
    last_year_value: Decimal | None
    explanation: str
    status: str
    source: str
    is_current: bool
    is_official: bool
    reason: str


class ValueList(Schema):
    count: int
    items: list[ValueOut]


class ValueIn(Schema):
    indicator: int
    period: str
    # Text, so that "１２" or "12亿元" get the Chinese message of the service, not a type error.
    value: str = ""
    last_year_value: str = ""
    explanation: str = ""


class ReasonIn(Schema):
    reason: str = ""


class TargetIn(Schema):
    year: int
    # Text, for the service's Chinese message on "１００" or "一百".
    value: str
    target_place: int | None = None


class TargetOut(Schema):
    indicator_id: int
    year: int
    value: Decimal
    target_place: int | None


class LookBackItemOut(Schema):
    indicator_id: int
    start_period: int
    start_place: int | None
    plan_status: str
    causes: str
    measures: str
    responsible_person: str
    deadline: str | None
    expected_value: Decimal | None


class LookBackOut(Schema):
    id: int
    county_id: int
    title: str
    status: str
    summary: str
    items: list[LookBackItemOut] = []


class LookBackList(Schema):
    count: int
    items: list[LookBackOut]


class IndicatorQuery(Schema):
    group: str | None = None
    owner_unit: str | None = None
    leader: str | None = None
    lagging: str | None = None
    page: str | None = None
    page_size: str | None = None


class ValueQuery(Schema):
    indicator: int | None = None
    period: int | None = None
    status: str | None = None
    official: bool | None = None
    page: str | None = None
    page_size: str | None = None


def _page_numbers(request: HttpRequest) -> tuple[int, int]:
    errors, values = {}, {}
    for name, default, top in (("page", 1, 10**6), ("page_size", 50, MAX_PAGE_SIZE)):
        raw = request.GET.get(name, "") or str(default)
        value = int(raw) if raw.isdigit() and len(raw) < 8 else 0
        if not 1 <= value <= top:
            errors[name] = [_("必须是 1 到 %(top)s 之间的整数") % {"top": top}]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values["page"], values["page_size"]


def _row_out(row: BoardRow) -> dict:
    ind = row.indicator
    return {
        **{
            f: getattr(ind, f)
            for f in (
                "id",
                "code",
                "name",
                "group",
                "unit_of_measure",
                "kind",
                "direction",
                "frequency",
                "cumulative",
                "owner_unit_id",
                "leader_in_charge_id",
                "weight",
            )
        },
        "owner_unit_name": ind.owner_unit.name,
        "period": row.period.code,
        "period_label": row.period.label,
        "target": row.progress.target,
        "actual": row.progress.actual,
        "completion": row.progress.completion,
        "light": row.progress.light.colour,
        "light_reason": row.progress.light.reason,
        "place": row.place,
        "peers": row.peers,
        "change_prev": row.change_prev,
        "change_year": row.change_year,
        "score": row.score,
        "lagging": row.lagging,
    }


@router.get(
    "/indicators", response={200: IndicatorList, **ERRORS}, summary="考核指标列表（含当期数据、位次、得分）"
)
def list_indicators(request, filters: Query[IndicatorQuery]):
    fs = IndicatorFilter(request.GET, queryset=Indicator.objects.visible_to(request.user), request=request)
    if not fs.is_valid():
        raise ValidationError({k: list(v) for k, v in fs.errors.items()})
    page, size = _page_numbers(request)
    rows = board_rows(request.user, fs.qs)
    if fs.form.cleaned_data.get("lagging"):
        rows = [r for r in rows if r.lagging]
    start = (page - 1) * size
    return {"count": len(rows), "items": [_row_out(r) for r in rows[start : start + size]]}


class LeverageOut(Schema):
    indicator_id: int
    name: str
    place: int
    peers: int
    up_value: Decimal | None
    score_gain: Decimal
    effort: Decimal | None
    per_effort: Decimal | None


@router.get(
    "/indicators/leverage", response={200: list[LeverageOut], **ERRORS}, summary="争先进位：最值得发力的指标"
)
def list_leverage(request, filters: Query[IndicatorQuery]):
    fs = IndicatorFilter(request.GET, queryset=Indicator.objects.visible_to(request.user), request=request)
    if not fs.is_valid():
        raise ValidationError({k: list(v) for k, v in fs.errors.items()})
    return [
        {
            "indicator_id": row.indicator.pk,
            "name": row.indicator.name,
            "place": row.place,
            "peers": row.peers,
            "up_value": lev.up_value,
            "score_gain": lev.score_gain,
            "effort": lev.effort,
            "per_effort": lev.per_effort,
        }
        for row, lev in leverage_rows(board_rows(request.user, fs.qs), limit=50)
    ]


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **ERRORS}, summary="考核指标详情")
def get_indicator(request, indicator_id: int):
    indicator = policy.get_object_for_user_or_404(
        request.user, Indicator.objects.visible_to(request.user), indicator_id
    )
    [row] = board_rows(request.user, Indicator.objects.visible_to(request.user).filter(pk=indicator.pk))
    return _row_out(row)


@router.get(
    "/indicators/{indicator_id}/ranking", response={200: RankingOut, **ERRORS}, summary="全市排名与位次测算"
)
def get_ranking(request, indicator_id: int, period: str = ""):
    """`period` (2026-09, 2026Q3 …); without it the period the board shows."""
    indicator = policy.get_object_for_user_or_404(
        request.user, Indicator.objects.visible_to(request.user), indicator_id
    )
    if not period:
        [row] = board_rows(request.user, Indicator.objects.visible_to(request.user).filter(pk=indicator.pk))
        period = row.period.code
    try:
        key = Period.parse(period, indicator.frequency)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    ranking = rankings(request.user, [indicator.pk], [key.key]).get((indicator.pk, key.key))
    names = dict(peers_of(indicator.county).values_list("pk", "name"))
    peers = []
    if ranking:
        peers = sorted(
            (
                {
                    "county_id": c,
                    "county": names.get(c, ""),
                    "value": v,
                    "place": ranking.places[c],
                    "score": score(ranking.places[c], indicator.weight, indicator.group),
                }
                for c, v in ranking.values.items()
            ),
            key=lambda p: (p["place"], p["county"]),
        )
    own = ranking.values.get(indicator.county_id) if ranking else None
    target = indicator.targets.filter(year=key.year).first()
    sim = None
    if own is not None and ranking:
        others = [v for c, v in ranking.values.items() if c != indicator.county_id]
        sim = simulate(own, others, indicator.lower_is_better, target.target_place if target else None)
    return {
        "indicator_id": indicator.pk,
        "period": key.code,
        "peers": peers,
        "own_place": sim.rank if sim else None,
        "gap_up": sim.gap_up if sim else None,
        "gap_target": sim.gap_target if sim else None,
        "cushion": sim.cushion if sim else None,
    }


@router.get("/indicator-values", response={200: ValueList, **ERRORS}, summary="指标数值列表")
def list_values(request, filters: Query[ValueQuery]):
    qs = IndicatorValue.objects.visible_to(request.user).order_by(
        "indicator_id", "county_id", "period", "version"
    )
    if filters.indicator is not None:
        qs = qs.filter(indicator_id=filters.indicator)
    if filters.period is not None:
        qs = qs.filter(period=filters.period)
    if filters.status:
        if filters.status not in ValueStatus.values:
            raise ValidationError({"status": [_("无效的状态")]})
        qs = qs.filter(status=filters.status)
    if filters.official is not None:
        qs = qs.filter(is_official=filters.official)
    page, size = _page_numbers(request)
    start = (page - 1) * size
    return {"count": qs.count(), "items": list(qs[start : start + size])}


@router.post("/indicator-values", response={201: ValueOut, **ERRORS}, summary="填报指标数值（草稿）")
def submit_value(request, payload: ValueIn):
    indicator = policy.get_object_for_user_or_404(
        request.user, Indicator.objects.visible_to(request.user), payload.indicator
    )
    try:
        period = Period.parse(payload.period, indicator.frequency)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    row = enter_value(
        indicator,
        actor=request.user,
        period=period,
        value=payload.value,
        last_year_value=payload.last_year_value,
        explanation=payload.explanation,
    )
    return Status(201, row)


@router.post(
    "/indicators/{indicator_id}/targets",
    response={200: TargetOut, **ERRORS},
    summary="设定年度目标和目标位次（督查室）",
)
def set_target(request, indicator_id: int, payload: TargetIn):
    indicator = policy.get_object_for_user_or_404(
        request.user, Indicator.objects.visible_to(request.user).select_related("county"), indicator_id
    )
    if not is_office_over(request.user, indicator.county):
        raise PermissionDenied(_("只有督查室可以维护考核指标"))
    if not 2000 <= payload.year <= 2100:
        raise ValidationError({"year": [_("年度必须在 2000 到 2100 之间")]})
    try:
        return set_annual_target(
            indicator,
            actor=request.user,
            year=payload.year,
            value=payload.value,
            target_place=payload.target_place,
        )
    except ValidationError as exc:
        # The figure parser's message names no field: it is about the value.
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"value": exc.messages}
        ) from exc


@router.post(
    "/indicator-values/{value_id}/{action}",
    response={200: ValueOut, **ERRORS},
    summary="流转：submit / return / approve / verify / correct",
)
def transition_value(request, value_id: int, action: str, payload: ReasonIn | None = None):
    if action not in TRANSITION_SERVICES:
        raise Http404
    row = policy.get_object_for_user_or_404(
        request.user, IndicatorValue.objects.visible_to(request.user), value_id
    )
    kwargs = {"reason": payload.reason if payload else ""} if action in ("return", "correct") else {}
    return TRANSITION_SERVICES[action](row, actor=request.user, **kwargs)


def _look_back_out(look_back: LookBack, items: list[LookBackItem]) -> dict:
    return {
        "id": look_back.pk,
        "county_id": look_back.county_id,
        "title": look_back.title,
        "status": look_back.status,
        "summary": look_back.summary,
        "items": [
            {
                "indicator_id": i.indicator_id,
                "start_period": i.start_period,
                "start_place": i.start_place,
                "plan_status": i.plan_status,
                "causes": i.causes,
                "measures": i.measures,
                "responsible_person": i.responsible_person,
                "deadline": i.deadline.isoformat() if i.deadline else None,
                "expected_value": i.expected_value,
            }
            for i in items
        ],
    }


@router.get("/look-backs", response={200: LookBackList, **ERRORS}, summary="回头看列表")
def list_look_backs(request):
    page, size = _page_numbers(request)
    qs = LookBack.objects.visible_to(request.user).order_by("-created_at")
    start = (page - 1) * size
    look_backs = list(qs[start : start + size])
    items: dict[int, list[LookBackItem]] = {}
    for item in LookBackItem.objects.visible_to(request.user).filter(look_back__in=look_backs):
        items.setdefault(item.look_back_id, []).append(item)
    return {"count": qs.count(), "items": [_look_back_out(lb, items.get(lb.pk, [])) for lb in look_backs]}


@router.get("/look-backs/{look_back_id}", response={200: LookBackOut, **ERRORS}, summary="回头看详情")
def get_look_back(request, look_back_id: int):
    look_back = policy.get_object_for_user_or_404(
        request.user, LookBack.objects.visible_to(request.user), look_back_id
    )
    items = list(LookBackItem.objects.visible_to(request.user).filter(look_back=look_back))
    return _look_back_out(look_back, items)
