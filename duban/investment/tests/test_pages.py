"""Pages: each renders, its query count does not grow with rows, and contacts stay with those who may read them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.attachments.models import Attachment
from duban.attachments.services import add_attachment
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.investment import moves, services
from duban.investment.factories import make_lead, make_pairing
from duban.investment.models import DuplicateClaim, Lead

pytestmark = pytest.mark.django_db
D = datetime.date


def fill(county, n: int) -> list[Lead]:
    """n leads across two departments, with follow-ups, one signed, one claim, targets and a pairing."""
    leads = []
    for i in range(n):
        dept = county.departments[i % 2]
        lead = make_lead(
            county, source_unit=dept, registered_on=D(2026, 9, 1), expected_sign_on=D(2027, 1, 20)
        )
        services.add_follow_up(lead, actor=county.office, date=D(2026, 9, 2), kind="call", notes="谈用地")
        moves.contact_lead(lead, actor=county.office, date=D(2026, 9, 3))
        leads.append(lead)
    make_lead(
        county,
        company_name="重复认领测试有限公司",
        source_unit=county.departments[0],
        registered_on=D(2026, 9, 1),
    )
    make_lead(
        county,
        company_name="重复认领测试有限责任公司",
        source_unit=county.departments[1],
        registered_on=D(2026, 9, 1),
    )
    for dept in county.departments:
        services.set_target(actor=county.office, unit=dept, year=2026, signed_amount=Decimal("1000"), leads=3)
    make_pairing(county, county.departments[0], county.towns[0])
    return leads


PAGES = [
    ("investment:pipeline", None),
    ("investment:lead_list", None),
    ("investment:lead_list", {"view": "kanban"}),
    ("investment:lead_detail", "lead"),
    ("investment:pairing_matrix", None),
    ("investment:targets", None),
    ("investment:duplicates", None),
]


def _url(name, arg, lead):
    if arg == "lead":
        return reverse(name, args=[lead.pk])
    url = reverse(name)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in arg.items()) if arg else "")


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_every_page_renders_and_its_query_count_does_not_grow(client, county, name, arg):
    client.force_login(county.office)
    leads = fill(county, 2)
    url = _url(name, arg, leads[0])
    client.get(url)  # warm caches (calendar, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(6):
        lead = make_lead(
            county,
            source_unit=county.departments[i % 2],
            registered_on=D(2026, 9, 1),
            expected_sign_on=D(2027, 1, 20),
        )
        services.add_follow_up(lead, actor=county.office, date=D(2026, 9, 2), kind="visit", notes="走访")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_another_departments_liaison_sees_a_lead_exists_but_never_its_contacts_on_pages(client, county):
    lead = make_lead(county, source_unit=county.departments[0], company_name="绝密投资有限公司")
    stranger = county.liaison(county.departments[1])
    client.force_login(stranger)
    for url in (reverse("investment:lead_list"), reverse("investment:lead_detail", args=[lead.pk])):
        body = client.get(url).content.decode()
        assert lead.project_name in body
        assert (
            "绝密投资" not in body and "王经理" not in body and "5678" not in body and "土地价格" not in body
        )
    assert client.post(reverse("investment:reveal_phone", args=[lead.pk])).status_code == 404
    assert not AuditEntry.objects.filter(event=AuditEvent.LEAD_CONTACT_REVEALED).exists()


def test_the_source_liaison_sees_a_masked_phone_and_unmasks_it_with_an_audit_entry(client, county):
    lead = make_lead(county, source_unit=county.departments[0])
    liaison = county.liaison(county.departments[0])
    client.force_login(liaison)
    body = client.get(reverse("investment:lead_detail", args=[lead.pk])).content.decode()
    assert "139****5678" in body and "13912345678" not in body and "土地价格" in body
    response = client.post(reverse("investment:reveal_phone", args=[lead.pk]), headers={"HX-Request": "true"})
    assert "13912345678" in response.content.decode()
    assert AuditEntry.objects.get(event=AuditEvent.LEAD_CONTACT_REVEALED).actor == liaison


def test_a_guessed_id_reveals_nothing_of_another_county_or_a_contract_scan(client, county):
    from duban.investment.factories import make_investment_county

    lead = make_lead(county, source_unit=county.departments[0])
    scan = SimpleUploadedFile("合同.txt", "合同正文".encode(), content_type="text/plain")
    attachment = add_attachment(lead, scan, actor=county.office, kind="contract")
    elsewhere = make_investment_county()
    for user in (county.liaison(county.departments[1]), elsewhere.liaison(elsewhere.departments[0])):
        client.force_login(user)
        assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404
    client.force_login(elsewhere.office)
    assert client.get(reverse("investment:lead_detail", args=[lead.pk])).status_code == 404
    client.force_login(county.liaison(county.departments[0]))
    assert client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 200
    assert Attachment.objects.count() == 1


def test_the_export_blanks_contacts_for_other_units_and_masks_phones_for_all(client, county):
    import io

    import openpyxl

    make_lead(county, source_unit=county.departments[0], company_name="绝密投资有限公司")
    for user, secret in (
        (county.liaison(county.departments[1]), False),
        (county.liaison(county.departments[0]), True),
    ):
        client.force_login(user)
        response = client.get(reverse("sheets:export", kwargs={"key": "investment_leads", "fmt": "xlsx"}))
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        text = " ".join(str(c) for row in rows for c in row if c is not None)
        assert ("绝密投资" in text) is secret
        assert "13912345678" not in text and ("139****5678" in text) is secret


def test_a_liaison_moves_its_lead_through_the_page(client, county):
    dept = county.departments[0]
    liaison = county.liaison(dept)
    lead = make_lead(county, source_unit=dept, registered_on=D(2026, 10, 1))
    client.force_login(liaison)
    url = reverse("investment:lead_move", args=[lead.pk, "contact"])
    response = client.post(url, {"contact-date": "2026-10-02"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == "contacted"
    response = client.post(
        reverse("investment:lead_move", args=[lead.pk, "sign"]), {"sign-date": "2026-10-05"}, follow=True
    )
    assert "“接洽”阶段的线索不能执行“签约”" in response.content.decode()
    client.post(
        reverse("investment:lead_move", args=[lead.pk, "negotiate"]), {"negotiate-date": "2026-10-03"}
    )
    response = client.post(
        reverse("investment:lead_move", args=[lead.pk, "sign"]), {"sign-date": "2026-10-05"}, follow=True
    )
    assert "签约未完成" in response.content.decode() and "签约必须填写合同金额" in response.content.decode()
    lead.refresh_from_db()
    assert lead.stage == "negotiating"
    other = county.liaison(county.departments[1])
    client.force_login(other)
    assert (
        client.post(
            reverse("investment:lead_move", args=[lead.pk, "sign"]), {"sign-date": "2026-10-03"}
        ).status_code
        == 403
    )


def test_duplicates_page_is_for_the_office_and_settles(client, county):
    make_lead(county, company_name="重复认领测试有限公司", source_unit=county.departments[0])
    second = make_lead(county, company_name="重复认领测试有限责任公司", source_unit=county.departments[1])
    claim = DuplicateClaim.objects.get()
    client.force_login(county.liaison(county.departments[0]))
    assert client.get(reverse("investment:duplicates")).status_code == 404
    client.force_login(county.office)
    client.post(
        reverse("investment:duplicate_settle", args=[claim.pk]), {"owner": second.pk, "note": "后者先签"}
    )
    claim.refresh_from_db()
    assert claim.owner == second
