"""Page forms of the register: projects, stewards, investment, milestones, the showcase standard.

Bad input gives a Chinese message on the page (422) and saves nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from duban.attachments.models import Attachment
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects import services
from duban.projects.factories import County, make_project, make_showcase
from duban.projects.models import InvestmentReport, Milestone, MilestoneMove, Project, Showcase, Stewardship

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county():
    return County()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def jpeg(name="photo.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 140, 60)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def project_post(county, **overrides) -> dict:
    data = {
        "name": "新材料产业园一期",
        "category": "industrial",
        "level": "city_showcase",
        "lead_unit": county.dept.pk,
        "location_unit": county.town.pk,
        "village": county.village.pk,
        "leader_in_charge": county.leader.pk,
        "investor": "禾川新材料有限公司",
        "total_investment": "80000",
        "plan_year": "2026",
        "year_plan_investment": "20000",
        "planned_start": "2026-02-01",
        "planned_completion": "2027-06-30",
        "description": "年产5万吨新材料",
        "report_frequency": "monthly",
    }
    data.update(overrides)
    return data


def test_the_office_registers_a_project_through_the_page(client, county):
    client.force_login(county.office)
    assert "登记项目" in client.get(reverse("projects:project_list")).content.decode()
    response = client.post(reverse("projects:project_create"), project_post(county))
    project = Project.objects.get(name="新材料产业园一期")
    assert response.status_code == 302 and response.url == reverse(
        "projects:project_detail", args=[project.pk]
    )
    assert project.milestones.count() == 7
    assert AuditEntry.objects.filter(event=AuditEvent.PROJECT_CREATED, target_id=str(project.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_completion": "2026-01-01"}, "计划竣工日期不能早于计划开工日期"),
        ({"total_investment": "-5"}, "金额不能为负数"),
        ({"year_plan_investment": "90000"}, "年度计划投资不能超过总投资"),
        ({"name": ""}, "这个字段是必填项"),
    ],
)
def test_bad_project_input_is_refused_in_chinese_and_nothing_saved(client, county, overrides, message):
    client.force_login(county.office)
    response = client.post(reverse("projects:project_create"), project_post(county, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_a_lead_unit_liaison_registers_for_its_own_unit_only(client, county):
    client.force_login(county.lead_liaison)
    html = client.get(reverse("projects:project_create")).content.decode()
    assert county.dept.name in html or (county.dept.short_name or "") in html
    response = client.post(
        reverse("projects:project_create"), project_post(county, lead_unit=county.other_dept.pk)
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not Project.objects.exists()


def test_the_lead_unit_edits_its_project_and_an_outsider_gets_404(client, county):
    project = make_project(county)
    client.force_login(county.lead_liaison)
    data = project_post(county, name="改名后的项目", status="under_construction", reason="更名")
    data.update(planned_start="2026-01-01", planned_completion="2026-12-31", year_plan_investment="12000")
    response = client.post(reverse("projects:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.status) == ("改名后的项目", "under_construction")
    entry = AuditEntry.objects.filter(event=AuditEvent.PROJECT_CHANGED).latest("id")
    assert entry.reason == "更名" and "name" in entry.changes
    client.force_login(County().office)
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 404


def test_the_office_names_a_full_time_steward_and_ends_a_stewardship(client, county):
    project = make_project(county)
    client.force_login(county.office)
    url = reverse("projects:project_stewards", args=[project.pk])
    response = client.post(
        url, {"user": county.lead_liaison.pk, "full_time": "on", "start_date": "2026-03-01"}
    )
    assert response.status_code == 302
    stewardship = Stewardship.objects.get(project=project)
    assert stewardship.full_time and stewardship.start_date == D(2026, 3, 1)
    bad = client.post(url, {"unit": county.town.pk, "full_time": "on", "start_date": "2026-03-01"})
    assert "只有干部可以脱产包保" in bad.content.decode()
    neither = client.post(url, {"start_date": "2026-03-01"})
    assert "二选一" in neither.content.decode()
    assert Stewardship.objects.count() == 1
    response = client.post(
        reverse("projects:steward_end", args=[stewardship.pk]), {"end_date": "2026-06-30", "reason": "调岗"}
    )
    stewardship.refresh_from_db()
    assert stewardship.end_date == D(2026, 6, 30)
    assert AuditEntry.objects.filter(event=AuditEvent.STEWARD_ENDED, reason="调岗").exists()


def test_only_the_office_names_stewards(client, county):
    project = make_project(county)
    client.force_login(county.lead_liaison)
    url = reverse("projects:project_stewards", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"user": county.lead_liaison.pk, "start_date": "2026-03-01"})
    assert response.status_code == 403
    assert not Stewardship.objects.exists()


def test_monthly_investment_cannot_fall_without_a_reason(client, county):
    project = make_project(county)
    client.force_login(county.lead_liaison)
    url = reverse("projects:project_investment", args=[project.pk])
    assert client.post(url, {"year": 2026, "month": 5, "cumulative": "6000"}).status_code == 302
    response = client.post(url, {"year": 2026, "month": 6, "cumulative": "5000"})
    assert response.status_code == 422
    assert "累计完成投资不能低于此前填报的6000.00万元" in response.content.decode()
    assert InvestmentReport.objects.count() == 1
    negative = client.post(url, {"year": 2026, "month": 6, "cumulative": "-1"})
    assert "金额不能为负数" in negative.content.decode()
    ok = client.post(url, {"year": 2026, "month": 6, "cumulative": "5000", "reason": "统计口径核减"})
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.year_completed_investment == Decimal("5000.00")
    assert AuditEntry.objects.filter(event=AuditEvent.INVESTMENT_REPORTED, reason="统计口径核减").exists()


def test_a_milestone_is_reached_with_a_photo_as_evidence(client, county):
    project = make_project(county)
    milestone = project.milestones.order_by("sequence").first()
    client.force_login(county.lead_liaison)
    url = reverse("projects:milestone_action", args=[milestone.pk, "reach"])
    response = client.post(
        url, {"actual_date": "2026-02-10", "evidence_note": "批复文件", "evidence": jpeg()}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.actual_date == D(2026, 2, 10)
    photo = Attachment.objects.get(object_id=str(milestone.pk))
    assert photo.kind == "photo"


def test_a_refused_evidence_file_leaves_the_milestone_open(client, county):
    project = make_project(county)
    milestone = project.milestones.order_by("sequence").first()
    client.force_login(county.lead_liaison)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00not an image", content_type="image/jpeg")
    response = client.post(
        reverse("projects:milestone_action", args=[milestone.pk, "reach"]),
        {"actual_date": "2026-02-10", "evidence": fake},
    )
    assert response.status_code == 422
    assert "photo.jpg" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.actual_date is None
    assert not AuditEntry.objects.filter(event=AuditEvent.MILESTONE_REACHED).exists()


def test_a_locked_milestone_moves_only_by_request_and_the_office_decides(client, county):
    project = make_project(county, confirmed=True)
    milestone = project.milestones.order_by("sequence").last()
    client.force_login(county.lead_liaison)
    page = client.get(reverse("projects:milestone_detail", args=[milestone.pk])).content.decode()
    assert "申请调整节点" in page and "修改计划日期" not in page
    url = reverse("projects:milestone_action", args=[milestone.pk, "move"])
    no_reason = client.post(url, {"new_date": "2026-12-20", "reason": ""})
    assert no_reason.status_code == 422 and not MilestoneMove.objects.exists()
    client.post(url, {"new_date": "2026-12-20", "reason": "设备到货延迟"})
    move = MilestoneMove.objects.get()

    client.force_login(county.office)
    refuse = client.post(reverse("projects:move_decide", args=[move.pk, "refuse"]), {"note": ""})
    assert refuse.status_code == 302
    move.refresh_from_db()
    assert move.status == "pending"
    client.post(reverse("projects:move_decide", args=[move.pk, "approve"]), {"note": "同意"})
    milestone.refresh_from_db()
    assert milestone.planned_date == D(2026, 12, 20) and milestone.move_count == 1
    assert AuditEntry.objects.filter(event=AuditEvent.MILESTONE_MOVE_APPROVED).exists()


def test_the_office_confirms_the_plan_from_the_project_page(client, county):
    project = make_project(county)
    client.force_login(county.office)
    assert (
        "确认并锁定节点" in client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    )
    client.post(reverse("projects:project_confirm", args=[project.pk]))
    project.refresh_from_db()
    assert project.confirmed_at is not None


def test_the_office_creates_a_tour_and_its_weighted_standard(client, county):
    client.force_login(county.office)
    response = client.post(
        reverse("projects:showcase_create"),
        {
            "name": "2026年全市观摩",
            "date": "2026-12-11",
            "organiser": "city",
            "top_points": "100",
            "rank_step": "3",
        },
    )
    tour = Showcase.objects.get()
    assert response.url == reverse("projects:showcase_edit", args=[tour.pk])
    url = reverse("projects:showcase_edit", args=[tour.pk])
    client.post(
        url, {"add-criterion": "1", "new-name": "形象进度", "new-weight": "30", "new-requirement": "主体封顶"}
    )
    zero = client.post(url, {"add-criterion": "1", "new-name": "税收", "new-weight": "0"})
    assert zero.status_code == 422 and "权重须大于0" in zero.content.decode()
    criterion = tour.criteria.get()
    client.post(
        url,
        {"criterion": criterion.pk, f"c{criterion.pk}-name": "形象进度", f"c{criterion.pk}-weight": "40"},
    )
    criterion.refresh_from_db()
    assert criterion.weight == Decimal(40) and tour.criteria.count() == 1
    client.post(
        url,
        {
            "save-showcase": "1",
            "name": "2026年全市观摩",
            "date": "2026-12-18",
            "organiser": "city",
            "top_points": "100",
            "rank_step": "2",
        },
    )
    tour.refresh_from_db()
    assert (tour.date, tour.rank_step) == (D(2026, 12, 18), Decimal(2))
    assert AuditEntry.objects.filter(event=AuditEvent.SHOWCASE_CHANGED).count() == 3


def test_a_leader_cannot_edit_the_tour(client, county):
    tour = make_showcase(county)
    client.force_login(county.leader)
    assert client.get(reverse("projects:showcase_edit", args=[tour.pk])).status_code == 404
    assert client.get(reverse("projects:showcase_create")).status_code == 403


def test_stewards_investment_and_milestone_pages_do_not_grow_in_queries(client, county):
    project = make_project(county, confirmed=True)
    client.force_login(county.office)
    milestone = project.milestones.last()
    urls = [
        reverse("projects:project_stewards", args=[project.pk]),
        reverse("projects:project_investment", args=[project.pk]),
        reverse("projects:milestone_detail", args=[milestone.pk]),
    ]
    services.assign_steward(project, actor=county.office, user=county.lead_liaison, start_date=D(2026, 1, 1))
    services.report_investment(project, actor=county.office, year=2026, month=1, cumulative=100)
    services.request_move(milestone, actor=county.office, new_date=D(2026, 12, 1), reason="r0")
    small = [count_queries(client, u) for u in urls]
    for i, person in enumerate([county.lead_head, county.other_liaison, county.other_head]):
        services.assign_steward(
            project, actor=county.office, user=person, start_date=D(2026, 1, 1), full_time=True
        )
        services.report_investment(project, actor=county.office, year=2026, month=i + 2, cumulative=200 + i)
    services.refuse_move(MilestoneMove.objects.get(), actor=county.office, note="n")
    services.request_move(
        Milestone.objects.get(pk=milestone.pk), actor=county.office, new_date=D(2026, 12, 2), reason="r1"
    )
    assert [count_queries(client, u) for u in urls] == small
