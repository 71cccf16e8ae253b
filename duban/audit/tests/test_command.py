"""`duban audit verify|seal|export|purge` speaks Chinese and fails loudly."""

from __future__ import annotations

import csv
import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from duban import audit
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry

from .helpers import tamper

pytestmark = pytest.mark.django_db


def _entries(n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit.record(AuditEvent.CONFIG_CHANGED, description=f"=配置{i}", actor_name="张三")
            for i in range(n)
        ]


def _verify(django_capture_on_commit_callbacks, grace: str = "10") -> str:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit", "verify", "--grace-minutes", grace, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_verify_seals_first_and_passes(django_capture_on_commit_callbacks):
    """verify seals the entries that are a few seconds old (real commits here), then reports success."""
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=a_minute_ago):
        _entries(3)

    out = _verify(django_capture_on_commit_callbacks)

    assert "本次封存 3 条审计记录" in out
    assert "审计链校验通过:共校验 3 条封存" in out


@pytest.mark.django_db(transaction=True)
def test_verify_reports_entries_that_waited_too_long_for_their_seal(django_capture_on_commit_callbacks):
    """An entry older than the grace period without a seal is reported, though this run seals it."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=an_hour_ago):
        entries = _entries(2)

    with pytest.raises(CommandError, match=f"第 {entries[0].pk} 条审计记录超过时限仍未封存"):
        _verify(django_capture_on_commit_callbacks)
    assert "审计链校验通过" in _verify(django_capture_on_commit_callbacks)


def test_verify_names_the_edited_entry_and_exits_1(django_capture_on_commit_callbacks, seal):
    entries = _entries(3)
    seal()
    tamper("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entries[1].pk])

    with pytest.raises(CommandError, match=f"第 {entries[1].pk} 条审计记录被篡改") as exc:
        _verify(django_capture_on_commit_callbacks)
    assert exc.value.returncode == 1


def test_verify_names_a_deleted_entry(django_capture_on_commit_callbacks, seal):
    entries = _entries(3)
    seal()
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])

    with pytest.raises(CommandError, match=f"第 {entries[2].pk} 条审计记录被删除"):
        _verify(django_capture_on_commit_callbacks)


def test_export_writes_a_bom_csv_of_the_filter_and_is_audited(tmp_path):
    """Only matching rows, UTF-8 with BOM, formula cells neutralised, and an AUDIT_EXPORTED entry."""
    _entries(2)
    with transaction.atomic():
        audit.record(AuditEvent.LOGIN, description="登录", actor_name="李四")
    target = tmp_path / "out.csv"

    call_command("audit", "export", "--event", AuditEvent.CONFIG_CHANGED, "--output", str(target))

    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][0] == "编号"
    assert len(table) == 3
    assert all(row[9].startswith("'=") for row in table[1:])
    exported = AuditEntry.objects.get(event=AuditEvent.AUDIT_EXPORTED)
    assert exported.changes["rows"] == [None, 2]
    assert exported.source == "cli"


def test_export_xlsx(tmp_path):
    _entries(2)
    target = tmp_path / "out.xlsx"

    call_command("audit", "export", "--format", "xlsx", "--output", str(target), "--actor", "张三")

    sheet = load_workbook(target).active
    assert sheet.max_row == 3
    assert sheet.cell(2, 5).value == "张三"


def test_export_refuses_a_bad_filter():
    with pytest.raises(CommandError, match="导出条件有误"):
        call_command("audit", "export", "--since", "昨天")


def test_purge_refuses_the_last_180_days():
    _entries(1)
    recent = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()

    with pytest.raises(CommandError, match="只能清理 180 天以前"):
        call_command("audit", "purge", "--before", recent)
    assert AuditEntry.objects.count() == 1
