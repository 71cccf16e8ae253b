"""Import the city's statistical bulletin (市统计公报): a sheet of county x indicator for one period.

All or nothing: unknown county or indicator names, duplicate rows or columns, bad numbers and
periods an indicator does not have are all listed, and nothing is imported. The home county's
row is skipped: its figures come from its own reporting workflow (except history loaded at
go-live, `include_home=True`, for periods the system holds nothing for).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent
from duban.org.models import Region

from ..choices import ValueSource, ValueStatus
from ..models import Indicator, IndicatorValue
from ..numbers import parse_figure
from ..periods import Period
from ..queries import peers_of
from ..roles import is_office_over, is_statistics_over

MAX_ERRORS = 50


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _match_indicators(header: list, county: Region, errors: list[str]) -> dict[int, Indicator]:
    catalogue = list(Indicator.objects.filter(county=county, is_active=True))
    by_name = {i.name: i for i in catalogue} | {i.code: i for i in catalogue}
    columns: dict[int, Indicator] = {}
    seen: dict[int, str] = {}
    unknown = []
    for col, cell in enumerate(header[1:], start=1):
        name = _text(cell)
        if not name:
            continue
        indicator = by_name.get(name)
        if indicator is None:
            unknown.append(name)
        elif indicator.pk in seen:
            errors.append(
                _("指标“%(n)s”在第%(a)s列和第%(b)s列重复")
                % {"n": name, "a": seen[indicator.pk], "b": _column_letter(col)}
            )
        else:
            seen[indicator.pk] = _column_letter(col)
            columns[col] = indicator
    if unknown:
        errors.append(_("未知指标：%(n)s") % {"n": "、".join(unknown)})
    return columns


def parse_bulletin(rows: list[list], county: Region, period_text: str) -> dict[tuple[int, int], Decimal]:
    """{(indicator id, county id): value} or a ValidationError listing every problem."""
    errors: list[str] = []
    if not rows or len(rows) < 2:
        raise ValidationError(_("表格为空：第一行为指标名称，第一列为县(区)名称"))
    columns = _match_indicators(list(rows[0]), county, errors)
    periods: dict[int, Period] = {}
    for indicator in columns.values():
        try:
            periods[indicator.pk] = Period.parse(period_text, indicator.frequency)
        except ValidationError:
            errors.append(_("指标“%(n)s”没有“%(p)s”这一期") % {"n": indicator.name, "p": period_text})
    peers = {r.name: r for r in peers_of(county)}
    seen_rows: dict[int, int] = {}
    unknown = []
    values: dict[tuple[int, int], Decimal] = {}
    for number, row in enumerate(rows[1:], start=2):
        name = _text(row[0] if row else "")
        if not name and not any(_text(c) for c in row):
            continue
        peer = peers.get(name)
        if peer is None:
            unknown.append(name or _("（空白，第%(n)d行）") % {"n": number})
            continue
        if peer.pk in seen_rows:
            errors.append(
                _("县(区)“%(n)s”在第%(a)d行和第%(b)d行重复")
                % {"n": name, "a": seen_rows[peer.pk], "b": number}
            )
            continue
        seen_rows[peer.pk] = number
        for col, indicator in columns.items():
            cell = row[col] if col < len(row) else None
            try:
                value = parse_figure(cell)
            except ValidationError as exc:
                errors.append(
                    _("第%(r)d行%(c)s列（%(k)s / %(i)s）：%(m)s")
                    % {
                        "r": number,
                        "c": _column_letter(col),
                        "k": name,
                        "i": indicator.name,
                        "m": exc.messages[0],
                    }
                )
                continue
            if value is not None:
                values[(indicator.pk, peer.pk)] = value
    if unknown:
        errors.insert(0, _("未知县(区)：%(n)s") % {"n": "、".join(unknown)})
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    return values


@transaction.atomic
def import_bulletin(
    *, actor, county: Region, period_text: str, rows: list[list], include_home: bool = False
) -> dict[str, int]:
    """Write the bulletin's figures of the peer counties as official, verified versions.

    `include_home` (history at go-live): the home county's figures are imported too, but only
    for an indicator and period that has no figure in the system at all; its own reports win.
    """
    if not (is_office_over(actor, county) or is_statistics_over(actor, county)):
        raise PermissionDenied(_("只有统计局或督查室可以导入市统计公报"))
    values = parse_bulletin(rows, county, period_text)
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={k[0] for k in values})}
    keys = {ind_id: Period.parse(period_text, ind.frequency).key for ind_id, ind in indicators.items()}
    existing = {
        (v.indicator_id, v.county_id): v
        for v in IndicatorValue.objects.select_for_update().filter(
            indicator_id__in=list(indicators), period__in=set(keys.values()), is_current=True
        )
        if v.period == keys[v.indicator_id]
    }
    home_any = (
        set(
            IndicatorValue.objects.filter(
                indicator_id__in=list(indicators), county=county, period__in=set(keys.values())
            ).values_list("indicator_id", "county_id")
        )
        if include_home
        else set()
    )
    created, changed, unchanged, skipped = [], [], 0, 0
    for (ind_id, county_id), value in values.items():
        old = existing.get((ind_id, county_id))
        if county_id == county.pk and (
            not include_home or old is not None or (ind_id, county_id) in home_any
        ):
            skipped += 1
            continue
        if old is not None and old.is_official and old.value == value:
            unchanged += 1
            continue
        if old is not None:
            changed.append(old.pk)
        created.append(
            IndicatorValue(
                indicator_id=ind_id,
                county_id=county_id,
                period=keys[ind_id],
                value=value,
                version=(old.version + 1) if old else 1,
                status=ValueStatus.VERIFIED,
                source=ValueSource.BULLETIN,
                is_official=True,
                is_current=True,
                entered_by=actor,
                verified_by=actor,
                reason=_("市统计公报导入") if old else "",
            )
        )
    IndicatorValue.objects.filter(pk__in=changed).update(
        is_current=False, is_official=False, status=ValueStatus.SUPERSEDED
    )
    IndicatorValue.objects.bulk_create(created, batch_size=500)
    summary = {
        "created": len(created) - len(changed),
        "changed": len(changed),
        "unchanged": unchanged,
        "home_skipped": skipped,
    }
    audit.record(
        AuditEvent.INDICATOR_BULLETIN_IMPORTED,
        actor=actor,
        target=county,
        changes={"period": [None, period_text], **{k: [None, v] for k, v in summary.items()}},
        description=_("%(c)s 市统计公报 %(p)s") % {"c": county.name, "p": period_text},
    )
    return summary
