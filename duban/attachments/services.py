"""Every write to attachments: add (one file or several, all or nothing), remove, and the
download record. Each write is one transaction with its audit entry, parented to the owner.

Heavy work (reading, checking, re-encoding, writing to staging) happens before the transaction
opens, so an upload of ten photos never holds the database's write lock while Pillow runs.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.audit.events import AuditEvent

from . import filetypes, images, storage
from .choices import TYPES, AttachmentKind
from .models import Attachment
from .registry import owner_model

MAX_FILES_PER_UPLOAD = 10
STAGING_MAX_AGE = datetime.timedelta(hours=6)
AUDITED_FIELDS = ["original_name", "kind", "file_type", "size", "sha256"]
REMOVAL_FIELDS = ["removed_at", "removed_by", "removal_reason"]

Rule = Callable[[Any, models.Model], bool]


def max_bytes() -> int:
    return int(settings.DUBAN_ATTACHMENT_MAX_MB) * 1024 * 1024


def too_large() -> ValidationError:
    return ValidationError(
        _("文件超过%(mb)sMB上限"), code="too_large", params={"mb": settings.DUBAN_ATTACHMENT_MAX_MB}
    )


@dataclass
class Prepared:
    """A checked upload whose files sit in staging, ready to become a row."""

    original_name: str
    inspected: filetypes.Inspected
    stored_name: str
    size: int
    sha256: str
    thumbnail_name: str = ""
    width: int | None = None
    height: int | None = None
    facts: images.PhotoFacts = field(default_factory=images.PhotoFacts)

    @property
    def names(self) -> list[str]:
        return [n for n in (self.stored_name, self.thumbnail_name) if n]


def _read(uploaded) -> bytes:
    limit = max_bytes()
    if (getattr(uploaded, "size", None) or 0) > limit:
        raise too_large()
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(limit + 1)  # never trust the declared size alone
    if len(data) > limit:
        raise too_large()
    if not data:
        raise ValidationError(_("文件为空"), code="empty")
    return data


def prepare(uploaded, now: datetime.datetime, *, images_only: bool = False) -> Prepared:
    """Check one upload by its content and write it (re-encoded if an image) to staging."""
    name = filetypes.clean_filename(getattr(uploaded, "name", "") or "")
    data = _read(uploaded)
    inspected = filetypes.inspect(name, data)
    if images_only and not TYPES[inspected.file_type].is_image:
        raise ValidationError(_("现场照片只能上传图片"), code="not_an_image")
    prepared = Prepared(
        original_name=name,
        inspected=inspected,
        stored_name=storage.new_name(inspected.extension, now),
        size=0,
        sha256="",
    )
    thumbnail = b""
    if TYPES[inspected.file_type].is_image:
        image = images.process(data, inspected.file_type)
        data, thumbnail = image.data, image.thumbnail
        prepared.width, prepared.height, prepared.facts = image.width, image.height, image.facts
        prepared.thumbnail_name = storage.new_name("jpg", now, suffix=".thumb")
    prepared.size, prepared.sha256 = len(data), hashlib.sha256(data).hexdigest()
    storage.stage(prepared.stored_name, data)
    if thumbnail:
        try:
            storage.stage(prepared.thumbnail_name, thumbnail)
        except BaseException:
            storage.delete([prepared.stored_name])
            raise
    return prepared


def _discard(prepared: Iterable[Prepared]) -> None:
    storage.delete([name for p in prepared for name in p.names])


def _require_attach(owner: models.Model, actor, may_attach: Rule | None) -> None:
    if owner_model(owner._meta.label_lower) is None:
        raise ValueError(f"{owner._meta.label} is not registered as an attachment owner")
    if not policy.can(actor, policy.CHANGE, owner) or (may_attach and not may_attach(actor, owner)):
        raise PermissionDenied(_("无权执行此操作"))


def add_attachments(
    owner: models.Model,
    files: Sequence,
    *,
    actor,
    kind: str = AttachmentKind.OTHER,
    may_attach: Rule | None = None,
) -> list[Attachment]:
    """Attach `files` to `owner`: all of them, or none with every file's problem named.

    Who may attach: whoever may change the owner (policy "change"); a module may pass
    `may_attach(user, owner)` to narrow that further.
    """
    _require_attach(owner, actor, may_attach)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": [_("附件类别无效")]})
    if not files:
        raise ValidationError({"files": [_("请选择要上传的文件")]})
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(
            {"files": [_("一次最多上传%(n)s个文件") % {"n": MAX_FILES_PER_UPLOAD}]}, code="too_many"
        )
    sweep_staging()
    now = timezone.localtime()
    prepared: list[Prepared] = []
    problems: list[str] = []
    for uploaded in files:
        try:
            prepared.append(prepare(uploaded, now, images_only=kind == AttachmentKind.PHOTO))
        except ValidationError as exc:
            name = filetypes.clean_filename(getattr(uploaded, "name", "") or "")
            problems.extend(f"{name}：{message}" for message in exc.messages)
        except BaseException:
            _discard(prepared)
            raise
    if problems:
        _discard(prepared)
        raise ValidationError({"files": problems})
    try:
        return _save_rows(owner, prepared, actor=actor, kind=kind, may_attach=may_attach)
    except BaseException:
        _discard(prepared)
        raise


def add_attachment(owner: models.Model, uploaded_file, *, actor, kind: str = AttachmentKind.OTHER, **kw):
    """Attach one file (see add_attachments)."""
    return add_attachments(owner, [uploaded_file], actor=actor, kind=kind, **kw)[0]


@transaction.atomic
def _save_rows(owner, prepared: list[Prepared], *, actor, kind: str, may_attach) -> list[Attachment]:
    _require_attach(owner, actor, may_attach)  # again, inside the transaction that writes
    content_type = ContentType.objects.get_for_model(owner)
    rows = []
    for p in prepared:
        attachment = Attachment(
            content_type=content_type,
            object_id=str(owner.pk),
            kind=kind,
            original_name=p.original_name,
            stored_name=p.stored_name,
            thumbnail_name=p.thumbnail_name,
            size=p.size,
            sha256=p.sha256,
            file_type=p.inspected.file_type,
            mime_type=p.inspected.mime,
            width=p.width,
            height=p.height,
            taken_at=p.facts.taken_at,
            gps_latitude=p.facts.latitude,
            gps_longitude=p.facts.longitude,
            exif=p.facts.exif,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.full_clean(exclude=["content_type", "uploaded_by"])
        attachment.save()
        audit.record(
            AuditEvent.ATTACHMENT_ADDED,
            actor=actor,
            target=attachment,
            parent=owner,
            changes=audit.diff({}, audit.snapshot(attachment, AUDITED_FIELDS)),
        )
        rows.append(attachment)
    # The files move into place only once the rows are committed (see storage.py).
    transaction.on_commit(partial(storage.publish, [n for p in prepared for n in p.names]))
    return rows


def owner_model_of(attachment: Attachment) -> type[models.Model] | None:
    content_type = ContentType.objects.get_for_id(attachment.content_type_id)  # cached per process
    return owner_model(f"{content_type.app_label}.{content_type.model}")


def owner_of(attachment: Attachment) -> models.Model | None:
    """The owning object, or None if its model is no longer registered or the row is gone."""
    model = owner_model_of(attachment)
    if model is None:
        return None
    return model._default_manager.filter(pk=attachment.object_id).first()


@transaction.atomic
def remove_attachment(
    attachment: Attachment, *, actor, reason: str, may_remove: Rule | None = None, check_access: bool = True
) -> Attachment:
    """Mark the attachment removed (the row stays, with who and why) and delete its files on commit.

    Who may remove: whoever may change the owner; a module may narrow it with `may_remove`.
    """
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    owner = owner_of(attachment)
    if check_access and (
        owner is None
        or not policy.can(actor, policy.CHANGE, owner)
        or (may_remove and not may_remove(actor, owner))
    ):
        raise PermissionDenied(_("无权执行此操作"))
    if attachment.is_removed:
        raise ValidationError(_("附件已被删除"), code="removed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写删除理由")]})
    before = audit.snapshot(attachment, REMOVAL_FIELDS)
    attachment.removed_at = timezone.now()
    attachment.removed_by = actor if getattr(actor, "pk", None) else None
    attachment.removal_reason = reason[:500]
    attachment.save(update_fields=REMOVAL_FIELDS)
    audit.record(
        AuditEvent.ATTACHMENT_REMOVED,
        actor=actor,
        target=attachment,
        parent=owner,
        changes=audit.diff(before, audit.snapshot(attachment, REMOVAL_FIELDS)),
        reason=reason,
    )
    names = [n for n in (attachment.stored_name, attachment.thumbnail_name) if n]
    transaction.on_commit(partial(storage.delete, names))
    return attachment


@transaction.atomic
def record_download(attachment: Attachment, *, actor) -> None:
    """Audit one download of the file itself (see docs/attachments.md for what is audited)."""
    model = owner_model_of(attachment)
    # The owner's label and key are all the entry needs: an unsaved stand-in spares a query.
    parent = model(pk=attachment.object_id) if model is not None else None
    audit.record(AuditEvent.ATTACHMENT_DOWNLOADED, actor=actor, target=attachment, parent=parent)


def sweep_staging(older_than: datetime.timedelta = STAGING_MAX_AGE) -> int:
    """Finish or drop staged files older than `older_than`; returns how many were handled.

    A staged file whose row exists (its commit happened but the move did not, e.g. a crash)
    is moved into place; any other one belongs to a transaction that rolled back: deleted.
    """
    names = list(storage.stale_staged(older_than))
    if not names:
        return 0
    live = Attachment.objects.active().filter(
        models.Q(stored_name__in=names) | models.Q(thumbnail_name__in=names)
    )
    known = {n for pair in live.values_list("stored_name", "thumbnail_name") for n in pair}
    storage.publish([n for n in names if n in known])
    storage.delete([n for n in names if n not in known])
    return len(names)
