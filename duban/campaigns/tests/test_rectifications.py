"""Rectification orders: issue from a deduction, answer with after-photos, verify, chase overdue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.attachments.factories import image_bytes
from duban.attachments.services import add_attachment
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.campaigns import services
from duban.campaigns.choices import RectificationStatus
from duban.campaigns.factories import County, make_campaign, make_round, score_and_submit
from duban.campaigns.models import Rectification
from duban.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County()


@pytest.fixture
def order(county, django_capture_on_commit_callbacks):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    site = round_.sites.filter(village__town__town=county.towns[0]).first()
    score = score_and_submit(round_, site, county.inspector, {"垃圾乱堆乱放": 3})
    with django_capture_on_commit_callbacks(execute=True):
        return services.issue_rectification(
            score.deductions.get(),
            actor=county.inspector,
            requirement="清理村口垃圾",
            working_days=5,
            today=datetime.date(2026, 9, 30),
        )


def photo(rectification, user):
    upload = SimpleUploadedFile("after.jpg", image_bytes(gps=True), content_type="image/jpeg")
    return add_attachment(rectification, upload, actor=user, kind="photo")


def test_a_deduction_becomes_an_order_due_in_working_days_and_the_town_is_told(county, order):
    """Five working days from 30 September 2026 skip the National Day holiday: due 13 October."""
    assert order.town.unit == county.town_units[0] and order.status == RectificationStatus.OPEN
    assert order.due_date == datetime.date(2026, 10, 13)
    assert AuditEntry.objects.get(event=AuditEvent.RECTIFICATION_ISSUED).target_id == str(order.pk)
    assert (
        Notification.objects.filter(
            recipient=county.town_liaison, kind="campaigns.rectification_issued"
        ).count()
        == 1
    )
    with pytest.raises(ValidationError, match="已下达"):
        services.issue_rectification(order.deduction, actor=county.inspector, requirement="again")


def test_only_a_final_score_gives_orders_and_only_its_inspector_or_the_office_issues_them(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    site = round_.sites.filter(village__town__town=county.towns[1]).first()
    item = round_.sheet.items.get(name="污水横流")
    draft = services.score_site(round_, site, actor=county.inspector, deductions=[{"item": item, "count": 1}])
    with pytest.raises(ValidationError, match="提交后"):
        services.issue_rectification(draft.deductions.get(), actor=county.inspector, requirement="x")
    final = services.submit_score(draft, actor=county.inspector)
    with pytest.raises(PermissionDenied):
        services.issue_rectification(final.deductions.get(), actor=county.town_liaison, requirement="x")
    assert not Rectification.objects.exists()


def test_the_town_answers_only_with_after_photos_and_the_inspector_closes_it_out(county, order):
    with pytest.raises(ValidationError, match="整改后照片"):
        services.answer_rectification(order, actor=county.town_liaison, answer="已清理")
    with pytest.raises(PermissionDenied):
        services.answer_rectification(order, actor=county.other_town_liaison, answer="已清理")
    with pytest.raises(PermissionDenied):
        photo(order, county.other_town_liaison)
    photo(order, county.town_liaison)
    services.answer_rectification(order, actor=county.town_liaison, answer="已清理")
    with pytest.raises(PermissionDenied):
        services.close_rectification(order, actor=county.town_liaison)
    closed = services.close_rectification(order, actor=county.inspector, verdict="现场核实已清理")
    assert closed.status == RectificationStatus.CLOSED and closed.closed_by == county.inspector
    events = list(
        AuditEntry.objects.filter(target_id=str(order.pk), target_type="campaigns.Rectification")
        .order_by("pk")
        .values_list("event", flat=True)
    )
    assert events == [
        AuditEvent.RECTIFICATION_ISSUED,
        AuditEvent.RECTIFICATION_ANSWERED,
        AuditEvent.RECTIFICATION_CLOSED,
    ]
    with pytest.raises(ValidationError, match="不能执行此操作"):
        services.return_rectification(closed, actor=county.inspector, verdict="x")


def test_a_returned_order_goes_back_to_the_town_with_a_reason(county, order):
    photo(order, county.town_liaison)
    services.answer_rectification(order, actor=county.town_liaison, answer="已清理")
    with pytest.raises(ValidationError, match="理由"):
        services.return_rectification(order, actor=county.inspector, verdict=" ")
    back = services.return_rectification(order, actor=county.inspector, verdict="仍有垃圾")
    assert back.status == RectificationStatus.RETURNED
    assert AuditEntry.objects.get(event=AuditEvent.RECTIFICATION_RETURNED).reason == "仍有垃圾"
    services.answer_rectification(back, actor=county.town_liaison, answer="再次清理")


def test_overdue_orders_are_chased_once_a_day(county, order):
    assert services.chase_overdue(datetime.date(2026, 10, 13)) == {"overdue": 0, "notifications": 0}
    first = services.chase_overdue(datetime.date(2026, 10, 15))
    again = services.chase_overdue(datetime.date(2026, 10, 15))
    assert first["overdue"] == 1 and first["notifications"] >= 1 and again["notifications"] == 0
    assert (
        Notification.objects.filter(
            kind="campaigns.rectification_overdue", recipient=county.town_liaison
        ).count()
        == 1
    )
    assert AuditEntry.objects.filter(event=AuditEvent.RECTIFICATION_CHASED).count() == 1
    services.chase_overdue(datetime.date(2026, 10, 16))
    assert (
        Notification.objects.filter(kind="campaigns.rectification_overdue").count()
        == 2 * first["notifications"]
    )


def test_the_page_lets_the_town_answer_and_hides_the_order_from_other_towns(client, county, order):
    url = reverse("campaigns:rectification", args=[order.pk])
    client.force_login(county.other_town_liaison)
    assert client.get(url).status_code == 404
    client.force_login(county.town_liaison)
    page = client.get(url)
    assert page.status_code == 200 and "提交整改情况" in page.content.decode()
    client.post(reverse("campaigns:rectification_move", args=[order.pk, "answer"]), {"text": "已清理"})
    order.refresh_from_db()
    assert order.status == RectificationStatus.OPEN  # refused: no after-photo yet
    photo(order, county.town_liaison)
    client.post(reverse("campaigns:rectification_move", args=[order.pk, "answer"]), {"text": "已清理"})
    order.refresh_from_db()
    assert order.status == RectificationStatus.ANSWERED
    client.force_login(county.inspector)
    assert "核验通过，销号" in client.get(url).content.decode()
