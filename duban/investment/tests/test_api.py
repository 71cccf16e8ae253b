"""The API: same filters, policy and services as the pages; contacts only in confidence."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.investment import services
from duban.investment.factories import make_investment_county, make_lead, make_pairing
from duban.investment.models import Lead

pytestmark = pytest.mark.django_db


def test_another_department_reads_public_fields_only_and_no_follow_ups(client, county):
    lead = make_lead(county, source_unit=county.departments[0], company_name="绝密投资有限公司")
    services.add_follow_up(
        lead, actor=county.office, date=lead.registered_on, kind="call", notes="报价三千万"
    )
    client.force_login(county.liaison(county.departments[1]))
    body = client.get("/api/v1/leads").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["confidential"] is False and item["stage"] == "information"
    assert (
        item["company_name"] is None and item["contact_phone"] is None and item["negotiation_notes"] is None
    )
    detail = client.get(f"/api/v1/leads/{lead.pk}").json()
    assert "绝密" not in str(detail) and "5678" not in str(detail)
    assert client.get(f"/api/v1/leads/{lead.pk}/follow-ups").status_code == 404
    assert client.get(f"/api/v1/leads/{lead.pk}?unmask=1").status_code == 403
    elsewhere = make_investment_county()
    client.force_login(elsewhere.liaison(elsewhere.departments[0]))
    assert client.get(f"/api/v1/leads/{lead.pk}").status_code == 404


def test_the_source_liaison_creates_moves_and_unmasks_with_audit(client, county):
    dept = county.departments[0]
    client.force_login(county.liaison(dept))
    payload = {
        "company_name": "接口测试机械有限公司",
        "industry": "manufacturing",
        "project_name": "接口测试项目",
        "planned_investment": "5000",
        "intended_location": county.towns[0].pk,
        "source_type": "professional",
        "contact_phone": "13700001234",
        "registered_on": "2026-10-01",
    }
    created = client.post("/api/v1/leads", payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    lead_id = created.json()["id"]
    assert created.json()["contact_phone"] == "137****1234"
    for action, body in (("contact", {"date": "2026-10-02"}), ("negotiate", {"date": "2026-10-03"})):
        assert (
            client.post(
                f"/api/v1/leads/{lead_id}/{action}", body, content_type="application/json"
            ).status_code
            == 200
        )
    refused = client.post(
        f"/api/v1/leads/{lead_id}/sign", {"date": "2026-10-04"}, content_type="application/json"
    )
    assert refused.status_code == 422 and "contract_amount" in refused.json()["errors"]
    sign = {
        "date": "2026-10-04",
        "contract_date": "2026-10-04",
        "contract_amount": "6000",
        "contract_parties": "甲乙",
    }
    over = client.post(f"/api/v1/leads/{lead_id}/sign", sign, content_type="application/json")
    assert over.status_code == 422
    signed = client.post(
        f"/api/v1/leads/{lead_id}/sign", {**sign, "confirm_over_plan": True}, content_type="application/json"
    )
    assert signed.json()["stage"] == "signed" and Decimal(signed.json()["contract_amount"]) == Decimal("6000")
    assert client.post(f"/api/v1/leads/{lead_id}/fly", {}, content_type="application/json").status_code == 404
    assert client.get(f"/api/v1/leads/{lead_id}?unmask=1").json()["contact_phone"] == "13700001234"
    assert (
        AuditEntry.objects.filter(event=AuditEvent.LEAD_CONTACT_REVEALED, target_id=str(lead_id)).count() == 1
    )
    follow = client.post(
        f"/api/v1/leads/{lead_id}/follow-ups",
        {"date": "2026-10-05", "kind": "call", "notes": "确认开工"},
        content_type="application/json",
    )
    assert follow.status_code == 201
    assert len(client.get(f"/api/v1/leads/{lead_id}/follow-ups").json()) == 1


def test_bad_input_through_the_api_saves_nothing(client, county):
    client.force_login(county.liaison(county.departments[0]))
    payload = {
        "company_name": "甲",
        "industry": "manufacturing",
        "project_name": "乙",
        "planned_investment": "10",
        "intended_location": county.departments[1].pk,
        "source_type": "campaign",
        "credit_code": "913701001234567890",
    }
    response = client.post("/api/v1/leads", payload, content_type="application/json")
    assert response.status_code == 422
    assert "credit_code" in response.json()["errors"]
    assert not Lead.objects.exists()


def test_pairings_targets_and_filters(client, county):
    make_pairing(county, county.departments[0], county.towns[0])
    services.set_target(actor=county.office, unit=county.departments[0], year=2026, leads=2)
    make_lead(county, registered_on=datetime.date(2026, 5, 1), industry="new_energy")
    make_lead(county, registered_on=datetime.date(2026, 5, 1))
    client.force_login(county.leader)
    assert client.get("/api/v1/pairings?year=2026").json()["items"][0]["lead_count"] == 2
    assert client.get("/api/v1/leads?industry=new_energy").json()["count"] == 1
    assert client.get("/api/v1/leads?stage=bogus").status_code == 422
    rows = client.get("/api/v1/investment/targets?year=2026").json()
    first = next(r for r in rows if r["unit_id"] == county.departments[0].pk)
    assert first["actual"]["leads"] == 2 and first["lights"]["leads"] == "blue"
    assert (
        client.post(
            f"/api/v1/leads/{Lead.objects.first().pk}/contact",
            {"date": "2026-05-02"},
            content_type="application/json",
        ).status_code
        == 403
    )
