"""Leads, pairings, follow-ups, targets: the services check the rules and write their audit entry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.investment import moves, services
from duban.investment.choices import Stage
from duban.investment.factories import credit_code, make_lead, make_pairing
from duban.investment.models import Lead, Pairing
from duban.org.choices import UnitKind
from duban.org.factories import make_unit

pytestmark = pytest.mark.django_db
D = datetime.date


def entries(event, target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event, target_id=str(target.pk)).order_by("pk"))


def test_the_office_pairs_a_department_with_a_town_once_per_year(county):
    """Given the office, when it pairs a department with a town, the pairing is stored and audited;
    the same pair again in the same year is refused in Chinese."""
    pairing = make_pairing(county, county.departments[0], county.towns[0])
    assert entries(AuditEvent.PAIRING_CREATED, pairing)
    with pytest.raises(ValidationError, match="已联系包保"):
        make_pairing(county, county.departments[0], county.towns[0])


def test_a_pairing_needs_a_town_or_park_and_the_office(county):
    """A department paired with a department is refused; a liaison may not pair at all."""
    with pytest.raises(ValidationError) as err:
        make_pairing(county, county.departments[0], county.departments[1])
    assert "partner" in err.value.error_dict
    liaison = county.liaison(county.departments[0])
    with pytest.raises(PermissionDenied):
        services.create_pairing(
            actor=liaison, year=2026, department=county.departments[0], partner=county.towns[0]
        )
    assert Pairing.objects.count() == 0


def test_a_liaison_registers_a_lead_for_its_unit_and_the_phone_is_masked_in_the_audit(county):
    """Given a department's liaison, the lead is saved with its county and audited (phone masked)."""
    dept = county.departments[0]
    liaison = county.liaison(dept)
    lead = make_lead(county, actor=liaison, source_unit=dept, credit_code=credit_code())
    assert lead.county == county.region and lead.stage == Stage.INFORMATION
    [entry] = entries(AuditEvent.LEAD_CREATED, lead)
    assert entry.changes["contact_phone"][1] == "139****5678"


def test_a_liaison_cannot_register_a_lead_for_another_unit(county):
    liaison = county.liaison(county.departments[0])
    with pytest.raises(PermissionDenied):
        make_lead(county, actor=liaison, source_unit=county.departments[1])
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": "91370100MA3C4X5Y6Z"}, "credit_code", "无效字符"),
        ({"credit_code": "913701001234567890"}, "credit_code", "校验位错误"),
        ({"credit_code": "9137"}, "credit_code", "18位"),
        ({"external_investment": Decimal("20000")}, "external_investment", "不能大于计划投资"),
        ({"is_expansion": True}, "added_investment", "新增投资"),
        ({"planned_investment": Decimal("-1")}, "planned_investment", ""),
        ({"contact_phone": "打电话"}, "contact_phone", "电话号码"),
    ],
)
def test_bad_lead_input_is_refused_with_a_chinese_message_and_nothing_saved(
    county, overrides, field, message
):
    with pytest.raises(ValidationError) as err:
        make_lead(county, **overrides)
    assert field in err.value.error_dict
    assert message in " ".join(err.value.message_dict[field])
    assert not Lead.objects.exists() and not AuditEntry.objects.filter(event=AuditEvent.LEAD_CREATED).exists()


def test_an_unknown_town_is_refused(county):
    """A department (or another county's town) as the intended location is refused."""
    other_town = make_unit(kind=UnitKind.TOWN)
    for location in (county.departments[1], other_town):
        with pytest.raises(ValidationError) as err:
            make_lead(county, location=location)
        assert "镇街或园区" in err.value.message_dict["intended_location"][0]


def test_the_same_unit_cannot_register_the_same_investor_twice(county):
    """A near-identical name (legal form, full-width brackets) from the same unit is a duplicate lead."""
    make_lead(county, company_name="禾川（苏州）精密机械有限公司")
    with pytest.raises(ValidationError, match="请勿重复登记"):
        make_lead(county, company_name="禾川(苏州)精密机械有限责任公司")
    assert Lead.objects.count() == 1


def test_updating_a_lead_audits_the_changed_fields_only(county):
    lead = make_lead(county)
    services.update_lead(lead, actor=county.office, origin="浙江省杭州市", contact_phone="13800001111")
    [entry] = entries(AuditEvent.LEAD_CHANGED, lead)
    assert set(entry.changes) == {"origin", "contact_phone"}
    assert entry.changes["contact_phone"] == ["139****5678", "138****1111"]


def test_a_follow_up_is_logged_moves_the_last_activity_and_is_audited(county):
    lead = make_lead(county, registered_on=D(2026, 11, 2))
    follow_up = services.add_follow_up(
        lead,
        actor=county.office,
        date=D(2026, 11, 20),
        kind="call",
        notes="电话沟通用地需求",
        next_step="安排考察",
        next_contact_on=D(2026, 11, 27),
    )
    lead.refresh_from_db()
    assert lead.last_activity_on == D(2026, 11, 20)
    assert entries(AuditEvent.LEAD_FOLLOWED_UP, follow_up)[0].parent_id == str(lead.pk)


def test_a_follow_up_in_the_future_or_with_an_earlier_next_date_is_refused(county):
    lead = make_lead(county, registered_on=D(2026, 11, 2))
    with pytest.raises(ValidationError) as err:
        services.add_follow_up(lead, actor=county.office, date=D(2099, 1, 1), kind="call", notes="x")
    assert "date" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        services.add_follow_up(
            lead,
            actor=county.office,
            date=D(2026, 11, 20),
            kind="call",
            notes="x",
            next_contact_on=D(2026, 11, 1),
        )
    assert "next_contact_on" in err.value.error_dict


def test_revealing_a_phone_is_audited_and_refused_to_another_department(county):
    lead = make_lead(county)
    liaison = county.liaison(county.departments[0])
    assert services.reveal_contact(lead, actor=liaison) == "13912345678"
    assert entries(AuditEvent.LEAD_CONTACT_REVEALED, lead)[0].actor == liaison
    stranger = county.liaison(county.departments[1])
    with pytest.raises(PermissionDenied):
        services.reveal_contact(lead, actor=stranger)
    assert len(entries(AuditEvent.LEAD_CONTACT_REVEALED, lead)) == 1


def test_the_office_sets_a_target_and_a_change_is_audited(county):
    target = services.set_target(
        actor=county.office, unit=county.departments[0], year=2026, signed_amount=Decimal("50000")
    )
    services.set_target(
        actor=county.office, unit=county.departments[0], year=2026, signed_amount=Decimal("60000"), leads=5
    )
    changes = [
        e.changes
        for e in AuditEntry.objects.filter(
            target_id=str(target.pk), event=AuditEvent.INVESTMENT_TARGET_SET
        ).order_by("pk")
    ]
    assert changes[1] == {"signed_amount": ["50000.00", "60000"], "leads": [0, 5]}
    with pytest.raises(PermissionDenied):
        services.set_target(
            actor=county.liaison(county.departments[0]), unit=county.departments[0], year=2026
        )


def test_a_location_target_only_for_towns_and_parks(county):
    with pytest.raises(ValidationError):
        services.set_target(actor=county.office, unit=county.departments[0], year=2026, basis="location")


def test_sign_lead_is_refused_without_amount_or_date_and_nothing_changes(county):
    lead = make_lead(county, registered_on=D(2026, 10, 1))
    moves.contact_lead(lead, actor=county.office, date=D(2026, 10, 2))
    moves.negotiate_lead(lead, actor=county.office, date=D(2026, 10, 3))
    with pytest.raises(ValidationError) as err:
        moves.sign_lead(lead, actor=county.office, date=D(2026, 10, 4), contract={"contract_parties": "甲乙"})
    assert {"contract_date", "contract_amount"} <= set(err.value.error_dict)
    lead.refresh_from_db()
    assert lead.stage == Stage.NEGOTIATING and lead.signed_on is None
