"""Stage moves: one service per row of choices.MOVES, each with a date, evidence and an audit entry.

Forward moves follow the table; backwards needs a reason; signing needs the contract's date,
amount and parties, and an amount above the planned investment needs `confirm_over_plan`.
Evidence files are attached to the lead in the same transaction (all or nothing).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts import policy
from duban.attachments.choices import AttachmentKind
from duban.attachments.services import add_attachments
from duban.audit.events import AuditEvent

from .choices import DATE_FIELD, MOVES, PIPELINE, RANK, Evidence, Move, Stage
from .models import Lead, StageMove
from .services import today

CONTRACT_FIELDS = ["contract_date", "contract_amount", "contract_parties"]


def _check_common(lead: Lead, move: Move, date: datetime.date | None, reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if lead.stage not in move.sources:
        raise ValidationError(
            _("“%(stage)s”阶段的线索不能执行“%(move)s”")
            % {"stage": lead.get_stage_display(), "move": move.label},
            code="bad_transition",
        )
    if date is None:
        errors["date"] = [_("请填写日期")]
    elif date > today():
        errors["date"] = [_("日期不能晚于今天")]
    elif date < lead.registered_on:
        errors["date"] = [_("日期不能早于线索登记日期")]
    if move.needs_reason and not (reason or "").strip():
        errors["reason"] = [_("请填写原因")]
    return errors


def _check_contract(lead: Lead, contract: dict[str, Any], confirm_over_plan: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    amount: Decimal | None = contract.get("contract_amount")
    if not contract.get("contract_date"):
        errors["contract_date"] = [_("签约必须填写合同签订日期")]
    elif contract["contract_date"] > today():
        errors["contract_date"] = [_("合同签订日期不能晚于今天")]
    if amount is None:
        errors["contract_amount"] = [_("签约必须填写合同金额")]
    elif amount <= 0:
        errors["contract_amount"] = [_("合同金额必须大于0")]
    elif amount > lead.planned_investment and not confirm_over_plan:
        errors["contract_amount"] = [
            _("合同金额%(amount)s万元超过计划投资%(plan)s万元，请核实后勾选“确认金额无误”")
            % {"amount": amount, "plan": lead.planned_investment}
        ]
    if not (contract.get("contract_parties") or "").strip():
        errors["contract_parties"] = [_("请填写签约各方")]
    return errors


def _target_of(lead: Lead, move: Move, to_stage: str | None) -> str:
    if move.action == "resume":
        return lead.stage_before_shelving or Stage.INFORMATION
    if move.action == "step_back":
        if to_stage not in PIPELINE or RANK[to_stage] >= RANK[lead.stage]:
            raise ValidationError({"to_stage": [_("只能退回到之前的阶段")]})
        return to_stage
    return move.target


def _apply(lead: Lead, move: Move, target: str, date: datetime.date, reason: str) -> list[str]:
    changed = ["stage"]
    if target == Stage.SHELVED:
        lead.stage_before_shelving = lead.stage
        changed.append("stage_before_shelving")
    if target in (Stage.SHELVED, Stage.LOST):
        lead.closed_reason = reason
        changed.append("closed_reason")
    elif lead.closed_reason:
        lead.closed_reason = ""
        changed.append("closed_reason")
    if move.action == "step_back":
        # Stages above the one returned to were not (or no longer) reached: they stop counting.
        for stage, field in DATE_FIELD.items():
            if RANK[stage] > RANK[target] and getattr(lead, field):
                setattr(lead, field, None)
                changed.append(field)
    elif target in DATE_FIELD:
        setattr(lead, DATE_FIELD[target], date)
        changed.append(DATE_FIELD[target])
    lead.stage = target
    return changed


@transaction.atomic
def _move(
    lead: Lead,
    action: str,
    *,
    actor,
    date: datetime.date | None,
    reason: str = "",
    evidence_note: str = "",
    evidence_files: Sequence = (),
    to_stage: str | None = None,
    contract: dict[str, Any] | None = None,
    confirm_over_plan: bool = False,
) -> StageMove:
    move = MOVES[action]
    lead = Lead.objects.select_for_update().select_related("county").get(pk=lead.pk)
    policy.require(actor, policy.CHANGE, lead)
    errors = _check_common(lead, move, date, reason)
    if move.evidence == Evidence.CONTRACT:
        errors.update(_check_contract(lead, contract or {}, confirm_over_plan))
    if move.evidence == Evidence.PROOF and not evidence_note.strip() and not evidence_files:
        errors["evidence_note"] = [_("请填写或上传证明材料（如营业执照、施工许可、投产证明）")]
    if errors:
        raise ValidationError(errors)
    assert date is not None
    target = _target_of(lead, move, to_stage)
    tracked = ["stage", *DATE_FIELD.values(), "closed_reason", *CONTRACT_FIELDS]
    before = audit.snapshot(lead, tracked)
    changed = _apply(lead, move, target, date, reason)
    if move.evidence == Evidence.CONTRACT:
        for name in CONTRACT_FIELDS:
            setattr(lead, name, (contract or {})[name])
        changed += CONTRACT_FIELDS
    if date > lead.last_activity_on:
        lead.last_activity_on = date
        changed.append("last_activity_on")
    lead.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
    record = StageMove.objects.create(
        lead=lead,
        action=action,
        from_stage=before["stage"],
        to_stage=target,
        date=date,
        reason=reason,
        evidence_note=evidence_note,
        actor=actor,
    )
    if evidence_files:
        kind = AttachmentKind.CONTRACT if move.evidence == Evidence.CONTRACT else AttachmentKind.DOCUMENT
        add_attachments(lead, list(evidence_files), actor=actor, kind=kind)
    audit.record(
        AuditEvent.LEAD_STAGE_MOVED,
        actor=actor,
        target=lead,
        changes=audit.diff(before, audit.snapshot(lead, tracked)),
        reason=reason,
        description=f"{lead}：{move.label}",
    )
    return record


def contact_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "contact", actor=actor, date=date, **kw)


def visit_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "visit", actor=actor, date=date, **kw)


def negotiate_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "negotiate", actor=actor, date=date, **kw)


def sign_lead(
    lead: Lead, *, actor, date, contract: dict[str, Any], confirm_over_plan: bool = False, **kw
) -> StageMove:
    return _move(
        lead, "sign", actor=actor, date=date, contract=contract, confirm_over_plan=confirm_over_plan, **kw
    )


def land_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "land", actor=actor, date=date, **kw)


def start_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "start", actor=actor, date=date, **kw)


def produce_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "produce", actor=actor, date=date, **kw)


def shelve_lead(lead: Lead, *, actor, date, reason: str, **kw) -> StageMove:
    return _move(lead, "shelve", actor=actor, date=date, reason=reason, **kw)


def lose_lead(lead: Lead, *, actor, date, reason: str, **kw) -> StageMove:
    return _move(lead, "lose", actor=actor, date=date, reason=reason, **kw)


def resume_lead(lead: Lead, *, actor, date, **kw) -> StageMove:
    return _move(lead, "resume", actor=actor, date=date, **kw)


def step_back_lead(lead: Lead, *, actor, date, to_stage: str, reason: str, **kw) -> StageMove:
    return _move(lead, "step_back", actor=actor, date=date, to_stage=to_stage, reason=reason, **kw)


# The page and the API dispatch an action name to its service through this table.
MOVE_SERVICES: dict[str, Callable[..., StageMove]] = {
    "contact": contact_lead,
    "visit": visit_lead,
    "negotiate": negotiate_lead,
    "sign": sign_lead,
    "land": land_lead,
    "start": start_lead,
    "produce": produce_lead,
    "shelve": shelve_lead,
    "lose": lose_lead,
    "resume": resume_lead,
    "step_back": step_back_lead,
}
assert set(MOVE_SERVICES) == set(MOVES)
