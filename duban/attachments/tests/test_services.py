"""Adding and removing attachments: checked by content, stored safely, audited, never half-done."""

import datetime
import io
import os
import re
import stat
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from PIL import Image

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.attachments import factories as f
from duban.attachments import services, storage
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


def files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_photo_keeps_its_exif_as_data_and_is_stored_without_it(unit, admin, media_root):
    """GPS and time taken land on the row; the stored image has no EXIF, is upright and re-encoded."""
    original = f.image_bytes("JPEG", (64, 48), gps=True)

    attachment = f.make_attachment(unit, actor=admin, name="现场照片.jpg", data=original)

    assert attachment.gps_latitude == Decimal("36.6626528")
    assert attachment.gps_longitude == Decimal("117.1200944")
    assert attachment.taken_at == datetime.datetime(2026, 5, 12, 1, 30, 15, tzinfo=datetime.UTC)
    assert attachment.exif["make"] == "HUAWEI"
    assert (attachment.width, attachment.height) == (48, 64)  # orientation 6 applied
    stored = storage.locate(attachment.stored_name).read_bytes()
    assert stored != original
    assert b"Exif" not in stored and b"HUAWEI" not in stored and b"secret comment" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert dict(reopened.getexif()) == {}
    assert reopened.size == (48, 64)
    thumb = Image.open(storage.locate(attachment.thumbnail_name))
    assert thumb.format == "JPEG" and max(thumb.size) <= 320


def test_the_row_records_what_was_stored(unit, admin):
    attachment = f.make_attachment(unit, actor=admin, name="合同.pdf", data=f.pdf_bytes(), kind="contract")
    attachment.refresh_from_db()

    import hashlib

    assert attachment.owner == unit
    assert attachment.original_name == "合同.pdf"
    assert attachment.size == len(f.pdf_bytes())
    assert attachment.sha256 == hashlib.sha256(f.pdf_bytes()).hexdigest()
    assert (attachment.file_type, attachment.mime_type, attachment.kind) == (
        "pdf",
        "application/pdf",
        "contract",
    )
    assert attachment.uploaded_by == admin
    assert attachment.thumbnail_name == ""
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.stored_name)


def test_adding_is_audited_with_the_owner_as_parent(unit, admin):
    attachment = f.make_attachment(unit, actor=admin, name="合同.pdf", data=f.pdf_bytes())

    entry = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_ADDED)
    assert (entry.target_type, entry.target_id) == ("attachments.Attachment", str(attachment.pk))
    assert (entry.parent_type, entry.parent_id) == ("org.Unit", str(unit.pk))
    assert entry.actor == admin
    assert entry.target_repr == "合同.pdf"
    assert entry.changes["sha256"] == [None, attachment.sha256]


def test_files_are_0640_in_0750_folders_and_move_into_place_on_commit(
    unit, admin, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = f.make_attachment(unit, actor=admin, data=f.image_bytes())

    path = media_root / attachment.stored_name
    assert path.is_file() and storage.locate(attachment.stored_name) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    for folder in (path.parent, path.parent.parent, media_root / "attachments"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert files_under(media_root / "attachments" / ".staging") == []


def test_before_commit_the_files_wait_in_staging(unit, admin, media_root):
    attachment = f.make_attachment(unit, actor=admin, data=f.image_bytes())

    assert not (media_root / attachment.stored_name).exists()
    assert storage.locate(attachment.stored_name) is not None


def test_a_failing_transaction_leaves_no_file_behind(unit, admin, media_root):
    """The caller's transaction rolls back after the attachment was added: no row, and no file
    where a row could point; the staged copy is swept."""

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        attachment = f.make_attachment(unit, actor=admin, data=f.image_bytes())
        raise Boom

    assert not Attachment.objects.exists()
    assert not (media_root / attachment.stored_name).exists()
    assert services.sweep_staging(older_than=datetime.timedelta(0)) == 2  # the image and its thumbnail
    assert files_under(media_root) == []


def test_a_failure_inside_the_service_deletes_its_files_at_once(unit, admin, media_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("duban.attachments.services.audit.record", broken)

    with pytest.raises(RuntimeError):
        f.make_attachment(unit, actor=admin, data=f.image_bytes())

    assert not Attachment.objects.exists()
    assert files_under(media_root) == []


def test_the_sweep_finishes_a_committed_file_that_never_moved(unit, admin, media_root):
    attachment = f.make_attachment(unit, actor=admin, data=f.pdf_bytes(), name="a.pdf")  # commit not run

    services.sweep_staging(older_than=datetime.timedelta(0))

    assert (media_root / attachment.stored_name).is_file()


def test_several_files_are_all_or_nothing(unit, admin, media_root):
    files = [
        f.upload("一.jpg", f.image_bytes()),
        f.upload("二.jpg", b"MZ\x90\x00 not a photo"),
        f.upload("三.pdf", f.pdf_bytes()),
        f.upload("四.png", f.pdf_bytes()),
    ]

    with pytest.raises(ValidationError) as info:
        services.add_attachments(unit, files, actor=admin, kind="document")

    messages = info.value.message_dict["files"]
    assert len(messages) == 2
    assert messages[0].startswith("二.jpg：文件类型与扩展名不符")
    assert messages[1].startswith("四.png：文件类型与扩展名不符")
    assert not Attachment.objects.exists()
    assert files_under(media_root) == []
    assert not AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_ADDED).exists()


def test_the_size_limit_is_20_mb_by_default(unit, admin):
    big = f.upload("大文件.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))

    with pytest.raises(ValidationError) as info:
        services.add_attachment(unit, big, actor=admin)

    assert info.value.message_dict["files"] == ["大文件.pdf：文件超过20MB上限"]


def test_the_size_limit_follows_the_setting(unit, admin, settings):
    settings.DUBAN_ATTACHMENT_MAX_MB = 1
    f.make_attachment(unit, actor=admin, name="小.pdf", data=b"%PDF-1.4\n" + b"0" * 1000_000)

    with pytest.raises(ValidationError) as info:
        f.make_attachment(unit, actor=admin, name="大.pdf", data=b"%PDF-1.4\n" + b"0" * 1100_000)

    assert "文件超过1MB上限" in info.value.messages[0]


def test_a_declared_size_that_lies_is_not_trusted(unit, admin, settings):
    settings.DUBAN_ATTACHMENT_MAX_MB = 1
    lying = f.upload("大.pdf", b"%PDF-1.4\n" + b"0" * 1100_000)
    lying.size = 10

    with pytest.raises(ValidationError, match="文件超过1MB上限"):
        services.add_attachment(unit, lying, actor=admin)


def test_an_image_with_too_many_pixels_is_refused(unit, admin):
    """A decompression bomb: 100 megapixels in a tiny PNG."""
    bomb = f.image_bytes("PNG", (10_000, 10_000), mode="1")
    assert len(bomb) < 100_000

    with pytest.raises(ValidationError, match="图片尺寸过大"):
        f.make_attachment(unit, actor=admin, name="bomb.png", data=bomb)


def test_a_gif_polyglot_with_script_is_re_encoded_without_it(unit, admin):
    polyglot = f.image_bytes("GIF") + b"<script>alert(document.cookie)</script>"
    attachment = f.make_attachment(unit, actor=admin, name="动图.gif", data=polyglot)

    stored = storage.locate(attachment.stored_name).read_bytes()
    assert b"<script" not in stored and b"alert" not in stored
    assert Image.open(io.BytesIO(stored)).format == "GIF"


def test_a_gif_header_in_front_of_a_script_is_refused(unit, admin):
    with pytest.raises(ValidationError, match="图片已损坏或无法识别"):
        f.make_attachment(unit, actor=admin, name="x.gif", data=b"GIF89a/*\x00\x00*/=1;alert(1);")


def test_only_users_who_may_change_the_owner_attach(unit):
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)  # may view the unit, not change it

    with pytest.raises(PermissionDenied):
        f.make_attachment(unit, actor=liaison)

    assert not Attachment.objects.exists()


def test_a_module_may_narrow_who_attaches(unit, admin):
    with pytest.raises(PermissionDenied):
        services.add_attachment(
            unit, f.upload("a.pdf", f.pdf_bytes()), actor=admin, may_attach=lambda user, owner: False
        )


def test_an_unregistered_owner_is_a_programming_error(admin):
    with pytest.raises(ValueError):
        f.make_attachment(admin.grants.get(), actor=admin)


def test_removal_keeps_the_row_deletes_the_files_and_is_audited(
    unit, admin, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = f.make_attachment(unit, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(attachment, actor=admin, reason="照片拍错了")

    attachment.refresh_from_db()
    assert attachment.is_removed and attachment.removed_by == admin
    assert attachment.removal_reason == "照片拍错了"
    assert files_under(media_root / "attachments") == []
    entry = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_REMOVED)
    assert (entry.parent_type, entry.parent_id, entry.reason) == ("org.Unit", str(unit.pk), "照片拍错了")
    assert entry.changes["removal_reason"] == ["", "照片拍错了"]


def test_removal_needs_a_reason_and_the_right_to_change(unit, admin):
    attachment = f.make_attachment(unit, actor=admin)
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)

    with pytest.raises(ValidationError, match="请填写删除理由"):
        services.remove_attachment(attachment, actor=admin, reason="  ")
    with pytest.raises(PermissionDenied):
        services.remove_attachment(attachment, actor=liaison, reason="不要了")

    attachment.refresh_from_db()
    assert not attachment.is_removed
    assert not AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_REMOVED).exists()


def test_a_removed_attachment_cannot_be_removed_twice(unit, admin):
    attachment = f.make_attachment(unit, actor=admin)
    services.remove_attachment(attachment, actor=admin, reason="重复")

    with pytest.raises(ValidationError, match="附件已被删除"):
        services.remove_attachment(attachment, actor=admin, reason="重复")


def test_the_umask_does_not_loosen_or_tighten_file_modes(unit, admin, media_root):
    old = os.umask(0o077)
    try:
        attachment = f.make_attachment(unit, actor=admin, data=f.pdf_bytes(), name="a.pdf")
    finally:
        os.umask(old)

    assert stat.S_IMODE(storage.locate(attachment.stored_name).stat().st_mode) == 0o640


def test_site_photos_must_be_images(unit, admin):
    with pytest.raises(ValidationError, match="现场照片只能上传图片"):
        f.make_attachment(unit, actor=admin, name="合同.pdf", data=f.pdf_bytes(), kind="photo")
