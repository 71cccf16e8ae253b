"""Writing the calendar: only a system administrator, every change audited, imports all-or-nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.core import calendar
from duban.core.calendar import services
from duban.core.calendar.importing import parse_lines
from duban.core.models import WorkdayAdjustment

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def admin():
    return make_user_with_role(Role.SYSTEM_ADMIN)


def calendar_entries():
    return list(AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED).order_by("id"))


def test_system_admin_adds_an_adjustment_and_it_is_audited(admin):
    adjustment = services.add_adjustment(
        actor=admin, date=D(2027, 2, 5), is_workday=False, name="春节", note="国办发明电〔2026〕X号"
    )

    assert adjustment.created_by == admin
    assert not calendar.is_workday(D(2027, 2, 5))
    [entry] = calendar_entries()
    assert entry.actor == admin
    assert entry.target_type == "core.WorkdayAdjustment" and entry.target_id == str(adjustment.pk)
    assert entry.changes["date"] == [None, "2027-02-05"]
    assert entry.changes["is_workday"] == [None, False]


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.SUPERVISION_OFFICE, Role.UNIT_LIAISON])
def test_other_roles_cannot_change_the_calendar(role):
    user = make_user_with_role(role)
    with pytest.raises(PermissionDenied):
        services.add_adjustment(actor=user, date=D(2027, 2, 5), is_workday=False, name="春节")
    assert not WorkdayAdjustment.objects.exists()
    assert calendar_entries() == []
    assert not WorkdayAdjustment.objects.visible_to(user).exists()


def test_a_second_adjustment_for_the_same_date_is_refused_in_chinese(admin):
    services.add_adjustment(actor=admin, date=D(2027, 2, 5), is_workday=False, name="春节")
    with pytest.raises(ValidationError) as caught:
        services.add_adjustment(actor=admin, date=D(2027, 2, 5), is_workday=True, name="春节调休上班")
    assert "该日期已有调整记录" in str(caught.value)
    assert len(calendar_entries()) == 1


def test_deleting_restores_the_package_and_is_audited(admin):
    adjustment = services.add_adjustment(actor=admin, date=D(2026, 6, 1), is_workday=False, name="停工")
    assert not calendar.is_workday(D(2026, 6, 1))

    services.delete_adjustment(adjustment, actor=admin, reason="录入有误")

    assert calendar.is_workday(D(2026, 6, 1))
    assert not WorkdayAdjustment.objects.exists()
    entry = calendar_entries()[-1]
    assert entry.reason == "录入有误"
    assert entry.changes["name"] == ["停工", None]


def test_import_creates_updates_and_skips_identical_lines(admin):
    text = "2027-02-05,休,春节\n2027年1月31日，班，春节调休上班\n\n# 注释行\n２０２７/2/8\t休\t春节\t正月初三"
    first = services.import_adjustments(text, actor=admin)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert len(calendar_entries()) == 3

    again = services.import_adjustments(text, actor=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert len(calendar_entries()) == 3  # re-importing changes nothing, not even the trail

    changed = services.import_adjustments("2027-02-08,休,春节假期", actor=admin)
    assert (changed.created, changed.updated) == (0, 1)
    assert WorkdayAdjustment.objects.get(date=D(2027, 2, 8)).name == "春节假期"
    assert calendar_entries()[-1].changes == {"name": ["春节", "春节假期"], "note": ["正月初三", ""]}


def test_a_bad_line_rejects_the_whole_paste_with_every_reason(admin):
    text = "2027-02-05,休,春节\n2027-02-30,休,春节\n2027-02-06,歇,春节\n2027-02-05,休,重复\n2027-02-07,休"
    with pytest.raises(ValidationError) as caught:
        services.import_adjustments(text, actor=admin)
    messages = caught.value.messages
    assert any("第2行" in m and "无效" in m for m in messages)
    assert any("第3行" in m and "“休”或“班”" in m for m in messages)
    assert any("第4行" in m and "重复" in m for m in messages)
    assert any("第5行" in m for m in messages)
    assert not WorkdayAdjustment.objects.exists()
    assert calendar_entries() == []


def test_parser_accepts_spaces_and_refuses_empty_and_oversized_pastes():
    [line] = parse_lines("2027-10-09 班 国庆节调休上班")
    assert line.is_workday and line.name == "国庆节调休上班"
    with pytest.raises(ValidationError):
        parse_lines("\n# only a comment\n")
    with pytest.raises(ValidationError):
        parse_lines("2027-01-01,休,元旦\n" * 401)


def test_a_date_taken_between_check_and_insert_is_refused_cleanly(admin, monkeypatch):
    """Two administrators entering the same date at once: the loser gets the Chinese message."""
    WorkdayAdjustment.objects.create(date=D(2027, 2, 5), is_workday=False, name="春节")
    real_filter = WorkdayAdjustment.objects.filter
    monkeypatch.setattr(WorkdayAdjustment.objects, "filter", lambda **kw: real_filter(pk__in=[]))
    with pytest.raises(ValidationError) as caught:
        services.add_adjustment(actor=admin, date=D(2027, 2, 5), is_workday=True, name="春节调休上班")
    assert "该日期已有调整记录" in str(caught.value)
    assert calendar_entries() == []
