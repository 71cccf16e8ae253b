"""The look-back drive (回头看): launch over lagging indicators, units' plans, the closing summary.

Seam for supervised tasks: when a plan is submitted, `plan_submitted` is sent after commit
with the item; the tasks module can connect to it to open a supervised follow-up (督办) with
reminders. Nothing here depends on duban.tasks.
"""

from __future__ import annotations

import datetime

import django.dispatch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent
from duban.notifications.services import notify
from duban.org.models import Region
from duban.org.validators import validate_no_control_chars

from ..board import board_rows
from ..choices import LookBackStatus, PlanStatus
from ..models import Indicator, LookBack, LookBackItem
from ..numbers import figure_text, parse_figure
from ..roles import in_unit, is_office_over
from .reporting import unit_people

plan_submitted = django.dispatch.Signal()  # sender=LookBackItem, item=<LookBackItem>
PLAN_FIELDS = ["plan_status", "causes", "measures", "responsible_person", "deadline", "expected_value"]


def _text(value: str, label: str, limit: int, errors: dict, name: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(name, []).append(_("请填写%(l)s") % {"l": label})
    elif len(text) > limit:
        errors.setdefault(name, []).append(_("%(l)s不能超过%(n)d字") % {"l": label, "n": limit})
    else:
        try:
            validate_no_control_chars(text.replace("\n", "").replace("\r", ""))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    return text


@transaction.atomic
def launch_look_back(
    *, actor, county: Region, title: str, indicators: list[Indicator], note: str = ""
) -> LookBack:
    """The office launches a look-back over indicators that are lagging now (as the board shows)."""
    if not is_office_over(actor, county):
        raise PermissionDenied(_("只有督查室可以发起回头看"))
    errors: dict[str, list[str]] = {}
    title = _text(title, _("名称"), 100, errors, "title")
    note = _text(note, _("工作要求"), 2000, errors, "note", required=False)
    if not indicators:
        errors.setdefault("indicators", []).append(_("请选择至少一项位次靠后的指标"))
    rows = {
        r.indicator.pk: r
        for r in board_rows(actor, Indicator.objects.filter(pk__in=[i.pk for i in indicators], county=county))
    }
    not_lagging = [i.name for i in indicators if i.pk not in rows or not rows[i.pk].lagging]
    if not_lagging:
        errors.setdefault("indicators", []).append(
            _("以下指标当前不属于位次靠后：%(n)s") % {"n": "、".join(not_lagging)}
        )
    if errors:
        raise ValidationError(errors)
    look_back = LookBack.objects.create(county=county, title=title, note=note, launched_by=actor)
    items = LookBackItem.objects.bulk_create(
        [
            LookBackItem(
                look_back=look_back,
                indicator_id=pk,
                start_period=row.period.key,
                start_place=row.place,
                start_value=row.progress.actual,
            )
            for pk, row in rows.items()
        ]
    )
    audit.record(
        AuditEvent.LOOKBACK_LAUNCHED,
        actor=actor,
        target=look_back,
        changes={"title": [None, title], "indicators": [None, sorted(rows)]},
    )
    url = reverse("indicators:look_back_detail", args=[look_back.pk])
    for item in items:
        indicator = rows[item.indicator_id].indicator
        notify(
            unit_people(indicator.owner_unit_id, Role.UNIT_HEAD, Role.UNIT_LIAISON),
            kind="indicators.look_back",
            title=_("回头看：请提交“%(i)s”整改计划") % {"i": indicator.name},
            body=title,
            url=url,
            target=item,
            key=f"indicators.look_back:{item.pk}",
        )
    return look_back


@transaction.atomic
def submit_look_back_plan(
    item: LookBackItem,
    *,
    actor,
    causes: str,
    measures: str,
    responsible_person: str,
    deadline: datetime.date | None,
    expected_value,
    today: datetime.date | None = None,
) -> LookBackItem:
    item = LookBackItem.objects.select_for_update().select_related("look_back", "indicator").get(pk=item.pk)
    if not in_unit(actor, item.indicator.owner_unit_id):
        raise PermissionDenied(_("只有责任单位可以提交整改计划"))
    if item.look_back.status != LookBackStatus.OPEN:
        raise ValidationError(_("回头看已总结，不能再修改计划"))
    errors: dict[str, list[str]] = {}
    values = {
        "causes": _text(causes, _("原因分析"), 2000, errors, "causes"),
        "measures": _text(measures, _("整改措施"), 2000, errors, "measures"),
        "responsible_person": _text(responsible_person, _("责任人"), 32, errors, "responsible_person"),
    }
    today = today or timezone.localdate()
    if deadline is None:
        errors.setdefault("deadline", []).append(_("请填写完成时限"))
    elif deadline < today:
        errors.setdefault("deadline", []).append(_("完成时限不能早于今天"))
    try:
        expected = parse_figure(expected_value, label=str(_("预期达到数值")))
        if expected is None:
            errors.setdefault("expected_value", []).append(_("请填写预期达到数值"))
    except ValidationError as exc:
        errors["expected_value"] = exc.messages
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(item, PLAN_FIELDS)
    for name, value in {
        **values,
        "deadline": deadline,
        "expected_value": expected,
        "plan_status": PlanStatus.SUBMITTED,
    }.items():
        setattr(item, name, value)
    item.submitted_by, item.submitted_at = actor, timezone.now()
    item.save(update_fields=[*PLAN_FIELDS, "submitted_by", "submitted_at", "updated_at"])
    changes = audit.diff(before, audit.snapshot(item, PLAN_FIELDS))
    if "expected_value" in changes:
        changes["expected_value"][1] = figure_text(expected)
    audit.record(
        AuditEvent.LOOKBACK_PLAN_SUBMITTED, actor=actor, target=item, parent=item.look_back, changes=changes
    )
    transaction.on_commit(lambda: plan_submitted.send(sender=LookBackItem, item=item))
    return item


@transaction.atomic
def close_look_back(look_back: LookBack, *, actor, summary: str) -> LookBack:
    look_back = LookBack.objects.select_for_update().get(pk=look_back.pk)
    if not is_office_over(actor, look_back.county):
        raise PermissionDenied(_("只有督查室可以总结回头看"))
    if look_back.status != LookBackStatus.OPEN:
        raise ValidationError(_("回头看已总结"))
    errors: dict[str, list[str]] = {}
    summary = _text(summary, _("总结"), 5000, errors, "summary")
    if errors:
        raise ValidationError(errors)
    look_back.status, look_back.summary = LookBackStatus.CLOSED, summary
    look_back.closed_at, look_back.closed_by = timezone.now(), actor
    look_back.save(update_fields=["status", "summary", "closed_at", "closed_by", "updated_at"])
    audit.record(
        AuditEvent.LOOKBACK_CLOSED,
        actor=actor,
        target=look_back,
        changes={"status": [LookBackStatus.OPEN, LookBackStatus.CLOSED], "summary": [None, summary]},
    )
    return look_back
