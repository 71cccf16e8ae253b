"""Attachment pages: only through the policy, with the right headers, audited where it matters."""

import io

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.attachments import factories as f
from duban.attachments import services
from duban.attachments.models import Attachment
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.factories import make_county, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit("发展和改革局", region=make_county("甲县"))


@pytest.fixture
def admin(unit):
    return make_user_with_role(Role.SYSTEM_ADMIN, region=unit.region)


@pytest.fixture
def neighbour(unit):
    """A liaison of another unit in the same county: may view the unit, not change it."""
    return make_user_with_role(Role.UNIT_LIAISON, unit=make_unit("商务局", region=unit.region))


@pytest.fixture
def outsider():
    return make_user_with_role(Role.UNIT_LIAISON, unit=make_unit("乙县商务局", region=make_county("乙县")))


def client_for(client, user):
    client.force_login(user)
    return client


def panel_url(unit):
    return reverse("attachments:panel", args=["org.unit", unit.pk])


def upload_url(unit):
    return reverse("attachments:upload", args=["org.unit", unit.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_is_an_attachment_with_the_chinese_name_encoded(client, unit, admin, neighbour):
    attachment = f.make_attachment(unit, actor=admin, name="会议纪要 第3期.pdf", data=f.pdf_bytes())

    response = client_for(client, neighbour).get(reverse("attachments:download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81%20%E7%AC%AC3%E6%9C%9F.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == f.pdf_bytes()


def test_every_download_is_audited(client, unit, admin, neighbour):
    attachment = f.make_attachment(unit, actor=admin, name="合同.docx", data=f.office_bytes("docx"))

    client_for(client, neighbour).get(reverse("attachments:download", args=[attachment.pk]))

    entry = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_DOWNLOADED)
    assert entry.actor == neighbour
    assert (entry.target_id, entry.parent_type, entry.parent_id) == (
        str(attachment.pk),
        "org.Unit",
        str(unit.pk),
    )


def test_images_are_served_inline_without_exif_and_not_audited(client, unit, admin, neighbour):
    attachment = f.make_attachment(unit, actor=admin, name="现场.jpg", data=f.image_bytes(gps=True))
    client = client_for(client, neighbour)

    image = client.get(reverse("attachments:image", args=[attachment.pk]))
    thumb = client.get(reverse("attachments:thumbnail", args=[attachment.pk]))

    assert image["Content-Type"] == "image/jpeg"
    assert image["Content-Disposition"].startswith("inline; filename*=utf-8''")
    served = body(image)
    assert b"Exif" not in served and b"HUAWEI" not in served
    assert dict(Image.open(io.BytesIO(served)).getexif()) == {}
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Content-Disposition"].startswith("inline;")
    assert Image.open(io.BytesIO(body(thumb))).format == "JPEG"
    assert not AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED).exists()


def test_non_images_have_no_inline_view(client, unit, admin):
    attachment = f.make_attachment(unit, actor=admin, name="合同.pdf", data=f.pdf_bytes())
    client = client_for(client, admin)

    assert client.get(reverse("attachments:image", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("attachments:thumbnail", args=[attachment.pk])).status_code == 404


def test_another_countys_user_gets_404_everywhere(client, unit, admin, outsider):
    attachment = f.make_attachment(unit, actor=admin)
    client = client_for(client, outsider)

    for name in ("download", "image", "thumbnail"):
        assert client.get(reverse(f"attachments:{name}", args=[attachment.pk])).status_code == 404
    assert client.get(panel_url(unit)).status_code == 404
    assert client.post(upload_url(unit), {"uploads": f.upload("a.pdf", f.pdf_bytes())}).status_code == 404
    assert (
        client.post(reverse("attachments:remove", args=[attachment.pk]), {"reason": "x"}).status_code == 404
    )
    assert Attachment.objects.active().count() == 1
    assert not AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED).exists()


def test_a_removed_attachment_is_gone_for_everyone(client, unit, admin):
    attachment = f.make_attachment(unit, actor=admin)
    services.remove_attachment(attachment, actor=admin, reason="拍错了")

    response = client_for(client, admin).get(reverse("attachments:download", args=[attachment.pk]))

    assert response.status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, unit, admin):
    attachment = f.make_attachment(unit, actor=admin)

    response = client.get(reverse("attachments:download", args=[attachment.pk]))

    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_panel_lists_attachments_with_thumbnails(client, unit, admin, neighbour):
    photo = f.make_attachment(unit, actor=admin, name="现场.jpg", data=f.image_bytes(gps=True))
    contract = f.make_attachment(unit, actor=admin, name="合同.pdf", data=f.pdf_bytes(), kind="contract")

    html = client_for(client, neighbour).get(panel_url(unit)).content.decode()

    assert reverse("attachments:thumbnail", args=[photo.pk]) in html
    assert reverse("attachments:download", args=[contract.pk]) in html
    assert "36.6626528" in html and "拍摄于" in html
    assert "<form" not in html  # a viewer sees no upload or delete form


def test_an_htmx_upload_returns_the_refreshed_panel(client, unit, admin):
    response = client_for(client, admin).post(
        upload_url(unit),
        {
            "uploads": [f.upload("一.jpg", f.image_bytes()), f.upload("二.pdf", f.pdf_bytes())],
            "kind": "minutes",
        },
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "已上传2个文件" in html and "一.jpg" in html and "二.pdf" in html
    assert Attachment.objects.filter(kind="minutes").count() == 2


def test_a_refused_upload_shows_the_reason_in_chinese_and_saves_nothing(client, unit, admin):
    response = client_for(client, admin).post(
        upload_url(unit),
        {
            "uploads": [f.upload("photo.jpg", b"MZ\x90\x00evil"), f.upload("好.pdf", f.pdf_bytes())],
            "kind": "photo",
        },
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "photo.jpg：文件类型与扩展名不符" in html
    assert not Attachment.objects.exists()


def test_an_upload_without_files_says_so(client, unit, admin):
    response = client_for(client, admin).post(
        upload_url(unit), {"kind": "other"}, headers={"HX-Request": "true"}
    )

    assert "请选择要上传的文件" in response.content.decode()


def test_a_plain_form_post_redirects_back_with_a_message(client, unit, admin):
    response = client_for(client, admin).post(
        upload_url(unit),
        {"uploads": f.upload("合同.pdf", f.pdf_bytes()), "kind": "contract", "next": "/org/"},
    )

    assert response.status_code == 302 and response["Location"] == "/org/"
    assert Attachment.objects.get().kind == "contract"


def test_next_must_stay_on_this_site(client, unit, admin):
    response = client_for(client, admin).post(
        upload_url(unit), {"uploads": f.upload("合同.pdf", f.pdf_bytes()), "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("core:home")


def test_a_viewer_may_not_upload(client, unit, neighbour):
    response = client_for(client, neighbour).post(
        upload_url(unit), {"uploads": f.upload("a.pdf", f.pdf_bytes())}
    )

    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_removing_through_the_page(client, unit, admin):
    attachment = f.make_attachment(unit, actor=admin, name="旧照片.jpg")

    response = client_for(client, admin).post(
        reverse("attachments:remove", args=[attachment.pk]),
        {"reason": "重复上传"},
        headers={"HX-Request": "true"},
    )

    assert "已删除附件“旧照片.jpg”" in response.content.decode()
    attachment.refresh_from_db()
    assert attachment.is_removed and attachment.removal_reason == "重复上传"


def test_removing_without_a_reason_is_refused(client, unit, admin):
    attachment = f.make_attachment(unit, actor=admin)

    response = client_for(client, admin).post(
        reverse("attachments:remove", args=[attachment.pk]), {"reason": ""}, headers={"HX-Request": "true"}
    )

    assert "请填写删除理由" in response.content.decode()
    attachment.refresh_from_db()
    assert not attachment.is_removed


def test_unknown_owner_labels_and_garbage_keys_are_404(client, unit, admin):
    client = client_for(client, admin)

    assert client.get(reverse("attachments:panel", args=["accounts.user", admin.pk])).status_code == 404
    assert client.get(reverse("attachments:panel", args=["org.unit", "abc"])).status_code == 404


def test_the_template_tag_renders_the_panel_with_camera_capture_for_photos(unit, admin):
    request = RequestFactory().get(f"/org/units/{unit.pk}/")
    request.user = admin
    template = Template('{% load attachments %}{% attachments_panel unit kind="photo" %}')

    html = template.render(Context({"request": request, "unit": unit, "csrf_token": "t"}))

    assert 'accept="image/*" capture="environment"' in html
    assert upload_url(unit) in html
    assert f'name="next" value="/org/units/{unit.pk}/"' in html


@pytest.mark.parametrize("rows", [2, 12])
def test_the_panel_query_count_does_not_grow_with_attachments(client, unit, admin, rows):
    for i in range(rows):
        f.make_attachment(unit, actor=admin, name=f"照片{i}.jpg")
    client = client_for(client, admin)
    client.get(panel_url(unit))  # warm the session and content-type caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(panel_url(unit))

    assert response.content.decode().count('class="attachment"') == rows
    # session, user, grants, owner, attachments (+uploaders), may-change
    assert len(queries) == EXPECTED_PANEL_QUERIES


EXPECTED_PANEL_QUERIES = 6


def test_a_photo_panel_lists_photos_only(client, unit, admin):
    photo = f.make_attachment(unit, actor=admin, name="现场.jpg", kind="photo")
    contract = f.make_attachment(unit, actor=admin, name="合同.pdf", data=f.pdf_bytes(), kind="contract")

    html = client_for(client, admin).get(panel_url(unit), {"kind": "photo"}).content.decode()

    assert reverse("attachments:download", args=[photo.pk]) in html
    assert reverse("attachments:download", args=[contract.pk]) not in html
    assert 'name="kind" value="photo"' in html
