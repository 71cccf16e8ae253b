"""The reporting workflow of a county's figure: enter -> submit -> approve -> verify, corrections.

States and moves are in choices.TRANSITIONS; one function per move. Approved and verified
figures are locked; a correction opens a new version (the old one stays official until the
new one is approved). Checks on entry: docs/indicators.md, "Reporting".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts.choices import Role
from duban.accounts.models import User
from duban.audit.events import AuditEvent
from duban.notifications.services import notify
from duban.org.models import Region
from duban.org.validators import validate_no_control_chars

from ..choices import EDITABLE, LOCKED, TRANSITIONS, IndicatorKind, ValueAction, ValueSource, ValueStatus
from ..conf import conf
from ..models import Indicator, IndicatorValue
from ..numbers import figure_text, parse_figure
from ..periods import Period
from ..roles import in_unit, is_statistics_over

VALUE_FIELDS = ["value", "last_year_value", "explanation", "status", "version", "reason"]
HUNDRED = Decimal(100)


def unit_people(unit_id: int, *roles: str):
    return User.objects.filter(
        is_active=True, grants__unit_id=unit_id, grants__role__in=roles, grants__revoked_at__isnull=True
    ).distinct()


def official_value(indicator: Indicator, county: Region, period: Period | None) -> Decimal | None:
    if period is None:
        return None
    return (
        IndicatorValue.objects.filter(indicator=indicator, county=county, period=period.key, is_official=True)
        .values_list("value", flat=True)
        .first()
    )


def check_open(period: Period, today: datetime.date) -> None:
    if period.end >= today:
        raise ValidationError(
            {
                "period": [
                    _("%(p)s尚未结束，%(d)s起才能填报")
                    % {"p": period.label, "d": f"{period.end + datetime.timedelta(days=1):%Y年%m月%d日}"}
                ]
            }
        )


def _jump(indicator: Indicator, new: Decimal, old: Decimal | None) -> Decimal | None:
    """The change beyond the band (in % or points), or None when within it."""
    if old is None:
        return None
    if indicator.kind == IndicatorKind.ABSOLUTE:
        band = indicator.jump_band if indicator.jump_band is not None else conf()["jump_band_percent"]
        if old == 0:
            return None
        change = abs(new - old) / abs(old) * HUNDRED
    else:
        band = indicator.jump_band if indicator.jump_band is not None else conf()["jump_band_points"]
        change = abs(new - old)
    return change if change > Decimal(band) else None


def check_figure(
    indicator: Indicator,
    county: Region,
    period: Period,
    value: Decimal,
    last_year: Decimal | None,
    explanation: str,
) -> None:
    """The entry checks, all at once: every broken rule is reported, nothing is saved."""
    errors: dict[str, list[str]] = {}
    if indicator.min_value is not None and value < indicator.min_value:
        errors.setdefault("value", []).append(
            _("低于合理下限 %(m)s") % {"m": figure_text(indicator.min_value)}
        )
    if indicator.max_value is not None and value > indicator.max_value:
        errors.setdefault("value", []).append(
            _("高于合理上限 %(m)s") % {"m": figure_text(indicator.max_value)}
        )
    previous = official_value(indicator, county, period.previous())
    if indicator.cumulative and previous is not None and value < previous:
        errors.setdefault("value", []).append(
            _("累计值不能小于上期（%(p)s为 %(v)s）")
            % {"p": period.previous().label, "v": figure_text(previous)}  # type: ignore[union-attr]
        )
    if indicator.needs_last_year and last_year is None:
        errors.setdefault("last_year_value", []).append(_("同比增速指标须同时填写上年同期值"))
    jumps = []
    if not indicator.cumulative and (j := _jump(indicator, value, previous)) is not None:
        jumps.append(_("较上期变动%(c)s") % {"c": _change_text(indicator, j)})
    base = last_year if last_year is not None else official_value(indicator, county, period.last_year())
    if (j := _jump(indicator, value, base)) is not None:
        jumps.append(_("较上年同期变动%(c)s") % {"c": _change_text(indicator, j)})
    if jumps and not explanation.strip():
        errors.setdefault("explanation", []).append(
            _("%(j)s，超过允许幅度，请填写情况说明") % {"j": "，".join(jumps)}
        )
    if errors:
        raise ValidationError(errors)


def _change_text(indicator: Indicator, change: Decimal) -> str:
    text = format(change.quantize(Decimal("0.1")), "f")
    return f"{text}%" if indicator.kind == IndicatorKind.ABSOLUTE else _("%(t)s个百分点") % {"t": text}


def _clean_explanation(text: str) -> str:
    text = (text or "").strip()
    validate_no_control_chars(text.replace("\n", "").replace("\r", ""))
    if len(text) > 2000:
        raise ValidationError({"explanation": [_("情况说明不能超过2000字")]})
    return text


@transaction.atomic
def enter_value(
    indicator: Indicator,
    *,
    actor,
    period: Period,
    value,
    last_year_value=None,
    explanation: str = "",
    today: datetime.date | None = None,
) -> IndicatorValue:
    """The owning unit enters (or changes its draft of) the county's figure for a closed period."""
    if not in_unit(actor, indicator.owner_unit_id):
        raise PermissionDenied(_("只有责任单位可以填报本指标"))
    if period.frequency != indicator.frequency:
        raise ValidationError({"period": [_("期别与指标的报送频率不一致")]})
    period.check()
    check_open(period, today or timezone.localdate())
    errors = {}
    figures = {}
    for name, raw, label in (
        ("value", value, _("本期值")),
        ("last_year_value", last_year_value, _("上年同期值")),
    ):
        try:
            figures[name] = parse_figure(raw, label=str(label))
        except ValidationError as exc:
            errors[name] = exc.messages
    if not errors and figures["value"] is None:
        errors["value"] = [_("请填写本期值")]
    if errors:
        raise ValidationError(errors)
    explanation = _clean_explanation(explanation)
    county = indicator.county
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, county=county, period=period.key, is_current=True)
        .first()
    )
    if current is not None and current.status in LOCKED:
        raise ValidationError(
            {"period": [_("%(p)s的数据已审核锁定，如需修改请申请更正") % {"p": period.label}]}
        )
    if current is not None and current.status not in EDITABLE:
        raise ValidationError({"period": [_("%(p)s的数据已提交待审核，不能修改") % {"p": period.label}]})
    amount = figures["value"]
    assert amount is not None  # refused above when blank
    check_figure(indicator, county, period, amount, figures["last_year_value"], explanation)
    before = audit.snapshot(current, VALUE_FIELDS) if current else {}
    if current is None:
        current = IndicatorValue(
            indicator=indicator, county=county, period=period.key, source=ValueSource.REPORTED
        )
    current.value, current.last_year_value, current.explanation = (
        amount,
        figures["last_year_value"],
        explanation,
    )
    current.entered_by = actor
    current.save()
    changes = audit.diff(before, audit.snapshot(current, VALUE_FIELDS))
    audit.record(
        AuditEvent.INDICATOR_VALUE_ENTERED, actor=actor, target=current, parent=indicator, changes=changes
    )
    return current


def _allowed(actor, action: str, row: IndicatorValue) -> bool:
    owner = row.indicator.owner_unit_id
    if action == ValueAction.SUBMIT:
        return in_unit(actor, owner)
    if action in (ValueAction.RETURN, ValueAction.APPROVE):
        return in_unit(actor, owner, (Role.UNIT_HEAD,))
    if action == ValueAction.VERIFY:
        return is_statistics_over(actor, row.indicator.county)
    return in_unit(actor, owner) or is_statistics_over(actor, row.indicator.county)


EVENTS: dict[str, str] = {
    ValueAction.SUBMIT: AuditEvent.INDICATOR_VALUE_SUBMITTED,
    ValueAction.RETURN: AuditEvent.INDICATOR_VALUE_RETURNED,
    ValueAction.APPROVE: AuditEvent.INDICATOR_VALUE_APPROVED,
    ValueAction.VERIFY: AuditEvent.INDICATOR_VALUE_VERIFIED,
    ValueAction.CORRECT: AuditEvent.INDICATOR_VALUE_CORRECTED,
}


def _load(row: IndicatorValue, actor, action: str, reason: str) -> IndicatorValue:
    row = IndicatorValue.objects.select_for_update().select_related("indicator__county").get(pk=row.pk)
    if not _allowed(actor, action, row):
        raise PermissionDenied(_("无权执行此操作"))
    starts, _target = TRANSITIONS[action]
    if row.status not in starts or not row.is_current or row.source != ValueSource.REPORTED:
        raise ValidationError(
            _("当前状态为“%(s)s”，不能%(a)s")
            % {"s": ValueStatus(row.status).label, "a": ValueAction(action).label}
        )
    if action in (ValueAction.RETURN, ValueAction.CORRECT) and not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写原因")]})
    return row


def _move(row: IndicatorValue, actor, action: str, fields: dict, reason: str = "") -> IndicatorValue:
    before = audit.snapshot(row, VALUE_FIELDS)
    row.status = TRANSITIONS[action][1]
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=["status", *fields, "updated_at"])
    audit.record(
        EVENTS[action],
        actor=actor,
        target=row,
        parent=row.indicator,
        changes=audit.diff(before, audit.snapshot(row, VALUE_FIELDS)),
        reason=reason,
    )
    return row


@transaction.atomic
def submit_value(row: IndicatorValue, *, actor) -> IndicatorValue:
    row = _load(row, actor, ValueAction.SUBMIT, "")
    row = _move(row, actor, ValueAction.SUBMIT, {"submitted_at": timezone.now(), "reason": ""})
    notify(
        unit_people(row.indicator.owner_unit_id, Role.UNIT_HEAD),
        kind="indicators.submitted",
        title=_("%(i)s %(p)s数据待审核") % {"i": row.indicator.name, "p": row.period_obj.label},
        url=reverse("indicators:indicator_detail", args=[row.indicator_id]),
        target=row,
    )
    return row


@transaction.atomic
def return_value(row: IndicatorValue, *, actor, reason: str) -> IndicatorValue:
    row = _load(row, actor, ValueAction.RETURN, reason)
    row = _move(row, actor, ValueAction.RETURN, {"reason": reason.strip()[:500]}, reason)
    if row.entered_by_id:
        notify(
            [row.entered_by],
            kind="indicators.returned",
            title=_("%(i)s %(p)s数据被退回") % {"i": row.indicator.name, "p": row.period_obj.label},
            body=reason,
            url=reverse("indicators:indicator_detail", args=[row.indicator_id]),
            target=row,
        )
    return row


@transaction.atomic
def approve_value(row: IndicatorValue, *, actor) -> IndicatorValue:
    """The unit head approves: the figure becomes official and locked; a corrected one replaces its predecessor."""
    row = _load(row, actor, ValueAction.APPROVE, "")
    previous = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=row.indicator, county=row.county, period=row.period, is_official=True)
        .first()
    )
    if previous is not None:
        previous.is_official = False
        previous.status = ValueStatus.SUPERSEDED
        previous.save(update_fields=["is_official", "status", "updated_at"])
    return _move(
        row,
        actor,
        ValueAction.APPROVE,
        {"approved_by": actor, "approved_at": timezone.now(), "is_official": True},
    )


@transaction.atomic
def verify_value(row: IndicatorValue, *, actor) -> IndicatorValue:
    row = _load(row, actor, ValueAction.VERIFY, "")
    return _move(row, actor, ValueAction.VERIFY, {"verified_by": actor, "verified_at": timezone.now()})


@transaction.atomic
def correct_value(row: IndicatorValue, *, actor, reason: str) -> IndicatorValue:
    """Reopen a locked figure: a new draft version; the locked one stays official until it is replaced."""
    row = _load(row, actor, ValueAction.CORRECT, reason)
    row.is_current = False
    row.save(update_fields=["is_current", "updated_at"])
    draft = IndicatorValue.objects.create(
        indicator=row.indicator,
        county=row.county,
        period=row.period,
        version=row.version + 1,
        value=row.value,
        last_year_value=row.last_year_value,
        explanation=row.explanation,
        source=row.source,
        status=ValueStatus.DRAFT,
        entered_by=actor,
        reason=reason.strip()[:500],
    )
    audit.record(
        AuditEvent.INDICATOR_VALUE_CORRECTED,
        actor=actor,
        target=draft,
        parent=row.indicator,
        changes={"version": [row.version, draft.version], "status": [row.status, draft.status]},
        reason=reason,
    )
    return draft


TRANSITION_SERVICES: dict[str, Callable[..., IndicatorValue]] = {
    ValueAction.SUBMIT: submit_value,
    ValueAction.RETURN: return_value,
    ValueAction.APPROVE: approve_value,
    ValueAction.VERIFY: verify_value,
    ValueAction.CORRECT: correct_value,
}


def allowed_actions(user, row: IndicatorValue) -> list[str]:
    """The moves `user` may make on `row` now (for buttons; the services check again)."""
    if not row.is_current or row.source != ValueSource.REPORTED:
        return []
    return [
        action
        for action, (starts, _to) in TRANSITIONS.items()
        if row.status in starts and _allowed(user, action, row)
    ]
