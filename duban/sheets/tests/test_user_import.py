"""An administrator imports the units' liaisons as accounts (roles stay with the security admin)."""

import csv
import io

from duban.accounts.models import Grant, User
from duban.audit.events import AuditEvent
from duban.sheets.base import get_sheet
from duban.sheets.files import read_table
from duban.sheets.importing import run_import

from .helpers import county_units, events, run

USER_HEADER = ["用户名", "姓名", "职务", "手机号", "电子邮箱", "所在单位"]


def _liaisons() -> list[list]:
    return [
        [f"liaison{i:02d}", f"联络员{i}", "办公室主任", 13800000000.0 + i, "", row[0]]
        for i, row in enumerate(county_units(), 1)
    ]


def test_liaisons_are_imported_as_accounts_without_roles_or_passwords(admin, tmp_path):
    """Given 52 liaisons naming their units, when committed, then 52 accounts exist, no role, no password."""
    run(admin, county_units(), tmp_path, commit=True)
    before = len(events())
    report = run(admin, _liaisons(), tmp_path, commit=True, header=USER_HEADER, sheet="users", name="u.xlsx")
    assert report.ok and report.created == 52
    user = User.objects.get(username="liaison01")
    assert (user.real_name, user.phone, user.unit.name) == ("联络员1", "13800000001", "县委办公室")
    assert not user.has_usable_password() and user.must_change_password
    assert not Grant.objects.filter(user__username__startswith="liaison").exists()
    assert events()[before:].count(AuditEvent.USER_CREATED) == 52


def test_a_unit_outside_the_scope_and_a_bad_phone_are_reported(admin, tmp_path):
    run(admin, county_units()[:1], tmp_path, commit=True)
    rows = [["a1", "甲", "", "138-0000", "", "外县某局"], ["a2", "乙", "", "电话", "bad", "县委办公室"]]
    report = run(admin, rows, tmp_path, header=USER_HEADER, sheet="users", name="u.xlsx")
    found = [(p.row, p.column) for p in report.problems]
    assert found == [(2, "所在单位"), (3, "手机号"), (3, "电子邮箱")]


def test_users_round_trip(admin, client, tmp_path):
    run(admin, county_units(), tmp_path, commit=True)
    run(admin, _liaisons(), tmp_path, commit=True, header=USER_HEADER, sheet="users", name="u.xlsx")
    client.force_login(admin)
    body = b"".join(client.get("/sheets/users/export.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == USER_HEADER
    # The policy's EXPORT scope: the accounts of the county, not the administrators' own (三员分立).
    assert {row[0] for row in rows[1:]} == {f"liaison{i:02d}" for i in range(1, 53)}
    path = tmp_path / "users.csv"
    path.write_bytes(body)
    before = len(events())
    report = run_import(get_sheet("users"), read_table(path), actor=admin, commit=True)
    assert (report.created, report.changed, report.unchanged) == (0, 0, 52)
    assert events()[before:] == [AuditEvent.IMPORT]
