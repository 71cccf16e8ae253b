"""The audit viewer: the audit administrator reads, filters and exports; everyone else gets 404."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from duban import audit
from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.audit.queries import history_for
from duban.org.factories import make_county, make_unit
from duban.org.services import update_unit

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county():
    return make_county("甲县")


@pytest.fixture
def auditor(county):
    return make_user_with_role(Role.AUDIT_ADMIN, region=county)


def _entries(n: int, **kwargs) -> None:
    with transaction.atomic():
        for i in range(n):
            audit.record(AuditEvent.CONFIG_CHANGED, description=f"=SUM(A{i})", actor_name="王五", **kwargs)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.SUPERVISION_OFFICE])
def test_everyone_but_the_audit_admin_gets_404(county, role):
    user = make_user_with_role(role, region=county)
    entry_pk = AuditEntry.objects.first().pk
    client = as_user(user)

    for url in (
        reverse("audit:entry_list"),
        reverse("audit:entry_detail", args=[entry_pk]),
        reverse("audit:export_csv"),
        reverse("audit:export_xlsx"),
    ):
        assert client.get(url).status_code == 404, url
    assert not AuditEntry.objects.filter(event=AuditEvent.AUDIT_EXPORTED).exists()


def test_a_unit_liaison_gets_404_too():
    unit = make_unit()
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)

    assert as_user(liaison).get(reverse("audit:entry_list")).status_code == 404


def test_anonymous_is_sent_to_login():
    response = Client().get(reverse("audit:entry_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_list_filters_by_event_actor_and_time(auditor):
    _entries(3)
    with transaction.atomic():
        audit.record(AuditEvent.LOGIN, description="登录", actor_name="赵六")
    client = as_user(auditor)

    by_event = client.get(reverse("audit:entry_list"), {"event": AuditEvent.LOGIN})
    by_actor = client.get(reverse("audit:entry_list"), {"actor": "王五"})
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    future = client.get(reverse("audit:entry_list"), {"since": tomorrow})

    assert by_event.context["page"].paginator.count == 1
    assert "赵六" in by_event.content.decode()
    assert by_actor.context["page"].paginator.count == 3
    assert future.context["page"].paginator.count == 0
    assert "没有符合条件的审计记录" in future.content.decode()


def test_htmx_gets_only_the_results(auditor):
    response = as_user(auditor).get(reverse("audit:entry_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="audit-results">')
    assert "<html" not in body


def test_the_detail_shows_changes_as_a_table(auditor, county):
    unit = make_unit("发展和改革局", region=county)
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=county)
    update_unit(unit, actor=admin, name="发展和改革委员会")
    entry = AuditEntry.objects.filter(event=AuditEvent.UNIT_CHANGED).get()

    body = as_user(auditor).get(reverse("audit:entry_detail", args=[entry.pk])).content.decode()

    assert "<td>单位名称</td>" in body
    assert "发展和改革局" in body and "发展和改革委员会" in body


def test_csv_export_is_the_filter_with_bom_neutralised_and_audited(auditor):
    _entries(2)
    with transaction.atomic():
        audit.record(AuditEvent.LOGIN, description="登录", actor_name="赵六")

    response = as_user(auditor).get(reverse("audit:export_csv"), {"event": AuditEvent.CONFIG_CHANGED})

    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == 3
    assert {row[9] for row in table[1:]} == {"'=SUM(A0)", "'=SUM(A1)"}
    exported = AuditEntry.objects.get(event=AuditEvent.AUDIT_EXPORTED)
    assert exported.actor == auditor
    assert exported.changes == {"format": [None, "csv"], "rows": [None, 2]}
    assert AuditEvent.CONFIG_CHANGED in exported.reason


def test_xlsx_export(auditor):
    _entries(2)

    response = as_user(auditor).get(reverse("audit:export_xlsx"), {"actor": "王五"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3
    assert sheet.cell(2, 10).value.startswith("'=")
    assert AuditEntry.objects.filter(event=AuditEvent.AUDIT_EXPORTED, changes__format=[None, "xlsx"]).exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(auditor):
    client = as_user(auditor)
    _entries(3)
    small = _queries(client, reverse("audit:entry_list"))
    _entries(60)
    large = _queries(client, reverse("audit:entry_list"))
    assert small == large


def test_detail_query_count_does_not_grow_with_changes(auditor):
    client = as_user(auditor)
    with transaction.atomic():
        few = audit.record(AuditEvent.CONFIG_CHANGED, changes={"a": [1, 2]})
        many = audit.record(AuditEvent.CONFIG_CHANGED, changes={f"f{i}": [i, i + 1] for i in range(50)})
    assert _queries(client, reverse("audit:entry_detail", args=[few.pk])) == _queries(
        client, reverse("audit:entry_detail", args=[many.pk])
    )


def test_object_history_is_shown_to_those_who_may_view_the_object(county):
    unit = make_unit("商务局", region=county)
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=county)
    update_unit(unit, actor=admin, sort_order=3)
    office = make_user_with_role(Role.SUPERVISION_OFFICE, region=county)
    stranger = make_user_with_role(Role.SUPERVISION_OFFICE, region=make_county("乙县"))

    history = history_for(office, unit)
    html = render_to_string("audit/partials/object_history.html", {"history": history})

    assert [e.event for e in history][:2] == [AuditEvent.UNIT_CHANGED, AuditEvent.UNIT_CREATED]
    assert "排序:0 → 3" in html
    assert admin.display_name in html
    assert history_for(stranger, unit) == []
