"""Stage moves: the one transition table, dates and evidence, backwards with a reason, all audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.attachments.models import Attachment
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.investment import moves
from duban.investment.choices import MOVES, PIPELINE, Stage, moves_from
from duban.investment.factories import make_lead
from duban.investment.models import StageMove

pytestmark = pytest.mark.django_db
D = datetime.date
CONTRACT = {
    "contract_date": D(2026, 10, 5),
    "contract_amount": Decimal("8000"),
    "contract_parties": "县政府、投资方",
}


def moved(lead) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(event=AuditEvent.LEAD_STAGE_MOVED, target_id=str(lead.pk)).order_by("pk")
    )


def signed_lead(county):
    lead = make_lead(county, registered_on=D(2026, 10, 1))
    moves.contact_lead(lead, actor=county.office, date=D(2026, 10, 2))
    moves.visit_lead(lead, actor=county.office, date=D(2026, 10, 3))
    moves.negotiate_lead(lead, actor=county.office, date=D(2026, 10, 4))
    moves.sign_lead(lead, actor=county.office, date=D(2026, 10, 5), contract=CONTRACT)
    lead.refresh_from_db()
    return lead


def test_every_pipeline_stage_has_a_way_forward_and_back():
    """The table is complete: each stage but the last moves forward; shelving and losing reach every active stage."""
    for stage in PIPELINE[:-1]:
        actions = {m.action for m in moves_from(stage)}
        assert {"shelve", "lose"} <= actions
        assert any(MOVES[a].target and MOVES[a].target in PIPELINE for a in actions)


def test_a_liaison_moves_its_lead_from_contact_to_signed_with_dates_and_audit(county):
    dept = county.departments[0]
    liaison = county.liaison(dept)
    lead = make_lead(county, actor=liaison, source_unit=dept, registered_on=D(2026, 10, 1))
    moves.contact_lead(lead, actor=liaison, date=D(2026, 10, 2))
    moves.negotiate_lead(lead, actor=liaison, date=D(2026, 10, 4))
    scan = SimpleUploadedFile("合同.txt", "合同文本".encode(), content_type="text/plain")
    moves.sign_lead(lead, actor=liaison, date=D(2026, 10, 5), contract=CONTRACT, evidence_files=[scan])
    lead.refresh_from_db()
    assert lead.stage == Stage.SIGNED
    assert (lead.contacted_on, lead.negotiating_on, lead.signed_on) == (
        D(2026, 10, 2),
        D(2026, 10, 4),
        D(2026, 10, 5),
    )
    assert lead.contract_amount == Decimal("8000") and lead.last_activity_on == D(2026, 10, 5)
    assert Attachment.objects.get().kind == "contract"
    entry = moved(lead)[-1]
    assert entry.changes["stage"] == ["negotiating", "signed"]
    assert entry.changes["contract_amount"] == [None, "8000"]
    assert StageMove.objects.filter(lead=lead).count() == 3


def test_a_skipped_stage_is_refused(county):
    lead = make_lead(county, registered_on=D(2026, 10, 1))
    with pytest.raises(ValidationError, match="不能执行"):
        moves.sign_lead(lead, actor=county.office, date=D(2026, 10, 5), contract=CONTRACT)
    assert not moved(lead)


def test_signing_above_the_planned_investment_needs_confirmation(county):
    lead = make_lead(county, registered_on=D(2026, 10, 1))
    moves.contact_lead(lead, actor=county.office, date=D(2026, 10, 2))
    moves.negotiate_lead(lead, actor=county.office, date=D(2026, 10, 3))
    big = {**CONTRACT, "contract_amount": Decimal("12000")}
    with pytest.raises(ValidationError) as err:
        moves.sign_lead(lead, actor=county.office, date=D(2026, 10, 5), contract=big)
    assert "确认金额无误" in err.value.message_dict["contract_amount"][0]
    moves.sign_lead(lead, actor=county.office, date=D(2026, 10, 5), contract=big, confirm_over_plan=True)
    lead.refresh_from_db()
    assert lead.contract_amount == Decimal("12000")


def test_landing_needs_evidence(county):
    lead = signed_lead(county)
    with pytest.raises(ValidationError) as err:
        moves.land_lead(lead, actor=county.office, date=D(2026, 10, 8))
    assert "evidence_note" in err.value.error_dict
    moves.land_lead(lead, actor=county.office, date=D(2026, 10, 8), evidence_note="营业执照 91370100...")
    lead.refresh_from_db()
    assert lead.landed_on == D(2026, 10, 8)


def test_stepping_back_needs_a_reason_and_clears_the_later_dates(county):
    lead = signed_lead(county)
    with pytest.raises(ValidationError) as err:
        moves.step_back_lead(
            lead, actor=county.office, date=D(2026, 10, 9), to_stage=Stage.NEGOTIATING, reason=""
        )
    assert "reason" in err.value.error_dict
    with pytest.raises(ValidationError):
        moves.step_back_lead(
            lead, actor=county.office, date=D(2026, 10, 9), to_stage=Stage.LANDED, reason="x"
        )
    moves.step_back_lead(
        lead, actor=county.office, date=D(2026, 10, 9), to_stage=Stage.NEGOTIATING, reason="合同作废"
    )
    lead.refresh_from_db()
    assert (
        lead.stage == Stage.NEGOTIATING and lead.signed_on is None and lead.negotiating_on == D(2026, 10, 4)
    )
    assert moved(lead)[-1].reason == "合同作废"


def test_shelve_and_resume_return_to_the_same_stage(county):
    lead = signed_lead(county)
    moves.shelve_lead(lead, actor=county.office, date=D(2026, 10, 9), reason="投资方资金紧张")
    lead.refresh_from_db()
    assert lead.stage == Stage.SHELVED and lead.closed_reason == "投资方资金紧张"
    moves.resume_lead(lead, actor=county.office, date=D(2026, 10, 10))
    lead.refresh_from_db()
    assert lead.stage == Stage.SIGNED and lead.closed_reason == ""


def test_a_move_dated_in_the_future_or_by_another_department_is_refused(county):
    lead = make_lead(county, registered_on=D(2026, 10, 1))
    with pytest.raises(ValidationError):
        moves.contact_lead(lead, actor=county.office, date=D(2099, 1, 1))
    with pytest.raises(PermissionDenied):
        moves.contact_lead(lead, actor=county.liaison(county.departments[1]), date=D(2026, 10, 2))
    assert not moved(lead)
