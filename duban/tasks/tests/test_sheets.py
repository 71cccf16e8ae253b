"""The office's task ledger: export with the board's filter, and an all-or-nothing import."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from duban.sheets.base import get_sheet
from duban.sheets.files import read_table
from duban.sheets.importing import run_import
from duban.tasks import services, sources
from duban.tasks.choices import TaskStatus
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Task

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = [
    "事项编号",
    "来源会议",
    "责任领导",
    "牵头单位",
    "配合单位",
    "事项名称",
    "工作要求",
    "办结时限",
    "类别",
]


@pytest.fixture
def c(clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return make_task_county()


def run(actor, rows, tmp_path, *, commit=True, header=HEADER):
    workbook = openpyxl.Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    return run_import(get_sheet("tasks"), read_table(path, "ledger.xlsx"), actor=actor, commit=commit)


def test_export_follows_the_board_filter_in_the_ledger_layout(client, c):
    meeting = sources.create_meeting(
        actor=c.office, name="年终工作会", kind="county_work", date=D(2026, 8, 28)
    )
    task = make_task(c, meeting=meeting, leader_in_charge=c.leader, title="年前签约", accept=True,
                     category="investment", deadline=D(2026, 9, 30))  # fmt: skip
    services.add_feedback(task, actor=c.lead_liaison, text="已洽谈3家", progress=40)
    make_task(c, title="其他事项", category="other")
    client.force_login(c.office)
    response = client.get(reverse("sheets:export", args=["tasks", "xlsx"]) + "?category=investment")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    header, *data = rows
    assert header[:9] == (
        "事项编号",
        "来源会议",
        "来源批示",
        "责任领导",
        "牵头单位",
        "配合单位",
        "事项名称",
        "工作要求",
        "办结时限",
    )
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert (row["来源会议"], row["牵头单位"], row["事项名称"]) == ("年终工作会", c.lead.name, "年前签约")
    assert row["最新反馈"] == "2026年9月1日：已洽谈3家" and row["状态"] == "办理中"
    assert row["配合单位"] == c.coop.name


def test_a_ledger_imports_as_drafts_all_or_nothing(c, tmp_path):
    meeting = sources.create_meeting(actor=c.office, name="常务会", kind="executive", date=D(2026, 8, 28))
    rows = [
        ["", "常务会", c.leader.real_name, c.lead.name, f"{c.coop.name}、{c.other.name}", "年前签约", "5个以上",
         "2026-09-30", "招商引资"],
        ["", "", "", c.coop.name, "", "指标回头看", "", "2026-10-03", "经济指标"],
        ["", "", "", "不存在局", "", "第三项", "", "2026-09-30", "其他"],
    ]  # fmt: skip
    report = run(c.office, rows, tmp_path)
    assert not report.committed and not Task.objects.exists()
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert messages[(3, "办结时限")] == "截止日期为节假日，建议改为2026年10月8日"
    assert "找不到单位“不存在局”" in messages[(4, "牵头单位")]

    rows[1][7], rows[2][3] = "2026-10-08", c.other.name
    report = run(c.office, rows, tmp_path)
    assert report.committed and report.created == 3, report.problems
    task = Task.objects.get(title="年前签约")
    assert (task.meeting, task.leader_in_charge, task.status) == (meeting, c.leader, TaskStatus.DRAFT)
    assert {u.unit for u in task.cooperations.all()} == {c.coop, c.other}


def test_reimporting_an_export_changes_nothing_and_an_assigned_deadline_is_refused(client, c, tmp_path):
    task = make_task(c, assign=True, deadline=D(2026, 9, 30))
    client.force_login(c.office)
    response = client.get(reverse("sheets:export", args=["tasks", "xlsx"]))
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    report = run_import(get_sheet("tasks"), read_table(path, "export.xlsx"), actor=c.office, commit=True)
    assert report.committed and (report.unchanged, report.changed) == (1, 0), report.problems

    rows = [[task.pk, "", "", c.lead.name, c.coop.name, task.title, "", "2026-10-30", "其他"]]
    report = run(c.office, rows, tmp_path)
    assert not report.committed and "延期申请" in report.problems[0].message
    task.refresh_from_db()
    assert task.deadline == D(2026, 9, 30)


def test_a_liaison_cannot_import_or_export(client, c):
    client.force_login(c.lead_liaison)
    assert client.get(reverse("sheets:export", args=["tasks", "xlsx"])).status_code == 404
    assert client.get(reverse("sheets:import", args=["tasks"])).status_code == 404
