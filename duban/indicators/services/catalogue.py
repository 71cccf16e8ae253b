"""The catalogue: indicators, their annual targets and entered period plans.

The supervision office of the county keeps the catalogue (it runs the annual assessment).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.audit.events import AuditEvent
from duban.org.choices import RegionLevel
from duban.org.models import Region, Unit

from ..models import AnnualTarget, Indicator, PeriodPlan
from ..numbers import figure_text, parse_figure
from ..periods import Period
from ..roles import is_office_over


def audit_text(value: Decimal | None) -> str | None:
    return None if value is None else figure_text(value)


INDICATOR_FIELDS = [
    "code",
    "name",
    "group",
    "unit_of_measure",
    "kind",
    "direction",
    "frequency",
    "cumulative",
    "county",
    "owner_unit",
    "leader_in_charge",
    "weight",
    "data_source",
    "due_working_day",
    "min_value",
    "max_value",
    "jump_band",
    "is_active",
    "sort_order",
]
EDITABLE_FIELDS = [f for f in INDICATOR_FIELDS if f not in ("code", "county")]


def _require_office(actor, county: Region, check_access: bool) -> None:
    if check_access and not is_office_over(actor, county):
        raise PermissionDenied(_("只有督查室可以维护考核指标"))


def _check_owner(county: Region, owner_unit: Unit, cooperating: list[Unit]) -> None:
    if county.level != RegionLevel.COUNTY:
        raise ValidationError({"county": [_("指标必须属于一个县(区)")]})
    for unit in [owner_unit, *cooperating]:
        if not unit.region.path.startswith(county.path):
            raise ValidationError({"owner_unit": [_("“%(u)s”不是本县(区)的单位") % {"u": unit.name}]})


def _clean_figures(fields: dict[str, Any]) -> None:
    labels = {
        "min_value": _("合理下限"),
        "max_value": _("合理上限"),
        "weight": _("考核权重"),
        "jump_band": _("波动幅度阈值"),
    }
    errors = {}
    for name, label in labels.items():
        if name in fields and not isinstance(fields[name], Decimal | type(None)):
            try:
                fields[name] = parse_figure(fields[name], label=str(label))
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_indicator(
    *, actor, county: Region, owner_unit: Unit, cooperating_units=(), check_access: bool = True, **fields
) -> Indicator:
    _require_office(actor, county, check_access)
    cooperating = list(cooperating_units)
    _check_owner(county, owner_unit, cooperating)
    _clean_figures(fields)
    indicator = Indicator(county=county, owner_unit=owner_unit, **fields)
    indicator.full_clean()
    indicator.save()
    indicator.cooperating_units.set(cooperating)
    after = audit.snapshot(indicator, INDICATOR_FIELDS)
    after["cooperating_units"] = sorted(u.pk for u in cooperating)
    audit.record(AuditEvent.INDICATOR_CREATED, actor=actor, target=indicator, changes=audit.diff({}, after))
    return indicator


@transaction.atomic
def update_indicator(
    indicator: Indicator, *, actor, cooperating_units=None, check_access: bool = True, **fields
) -> Indicator:
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _require_office(actor, indicator.county, check_access)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("不能修改此项")] for name in unknown})
    _clean_figures(fields)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    before["cooperating_units"] = sorted(indicator.cooperating_units.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(indicator, name, value)
    cooperating = (
        list(cooperating_units) if cooperating_units is not None else list(indicator.cooperating_units.all())
    )
    _check_owner(indicator.county, indicator.owner_unit, cooperating)
    indicator.full_clean()
    indicator.save(update_fields=[*fields, "updated_at"])
    indicator.cooperating_units.set(cooperating)
    after = audit.snapshot(indicator, INDICATOR_FIELDS)
    after["cooperating_units"] = sorted(u.pk for u in cooperating)
    changes = audit.diff(before, after)
    if changes:
        audit.record(AuditEvent.INDICATOR_CHANGED, actor=actor, target=indicator, changes=changes)
    return indicator


@transaction.atomic
def set_annual_target(
    indicator: Indicator,
    *,
    actor,
    year: int,
    value,
    target_place: int | None = None,
    check_access: bool = True,
) -> AnnualTarget:
    _require_office(actor, indicator.county, check_access)
    amount = parse_figure(value, label=str(_("年度目标")))
    if amount is None:
        raise ValidationError({"value": [_("请填写年度目标")]})
    if target_place is not None and not 1 <= target_place <= 99:
        raise ValidationError({"target_place": [_("目标位次必须是 1 到 99 之间的整数")]})
    target = AnnualTarget.objects.select_for_update().filter(indicator=indicator, year=year).first()
    before = audit.snapshot(target, ["value", "target_place"]) if target else {}
    if target is None:
        target = AnnualTarget.objects.create(
            indicator=indicator, year=year, value=amount, target_place=target_place
        )
    else:
        target.value, target.target_place = amount, target_place
        target.save(update_fields=["value", "target_place", "updated_at"])
    target.refresh_from_db(fields=["value"])
    changes = audit.diff(before, audit.snapshot(target, ["value", "target_place"]))
    if changes:
        audit.record(
            AuditEvent.INDICATOR_TARGET_SET,
            actor=actor,
            target=indicator,
            changes={"year": [None, year], **changes},
            description=f"{indicator.name} {year}年目标",
        )
    return target


@transaction.atomic
def set_period_plan(
    indicator: Indicator, *, actor, period: Period, value, check_access: bool = True
) -> PeriodPlan | None:
    """Enter (or, with a blank value, remove) a period's plan; without one it follows time progress."""
    _require_office(actor, indicator.county, check_access)
    period.check()
    amount = parse_figure(value, label=str(_("计划值")))
    plan = PeriodPlan.objects.select_for_update().filter(indicator=indicator, period=period.key).first()
    old = plan.value if plan else None
    if amount is None:
        if plan:
            plan.delete()
        plan = None
    elif plan is None:
        plan = PeriodPlan.objects.create(indicator=indicator, period=period.key, value=amount)
    else:
        plan.value = amount
        plan.save(update_fields=["value", "updated_at"])
    if old != amount:
        audit.record(
            AuditEvent.INDICATOR_TARGET_SET,
            actor=actor,
            target=indicator,
            changes={"period": [None, period.code], "plan": [audit_text(old), audit_text(amount)]},
            description=f"{indicator.name} {period.label}计划",
        )
    return plan
