"""Reads of attachments: the active rows, one owner's list, and the panel's context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from duban.accounts import policy

from .choices import ALLOWED_EXTENSIONS, AttachmentKind
from .models import Attachment, AttachmentQuerySet
from .services import MAX_FILES_PER_UPLOAD


def active_attachments() -> AttachmentQuerySet:
    """Attachments not removed (callers scope them with the policy)."""
    return Attachment.objects.active()


def attachments_of(owner: models.Model, kind: str = "") -> list[Attachment]:
    """One owner's attachments (of one kind, if given), newest first, with uploaders: one query."""
    qs = Attachment.objects.active().of(owner).select_related("uploaded_by")
    return list(qs.filter(kind=kind) if kind else qs)


def accept_for(kind: str) -> str:
    if kind == AttachmentKind.PHOTO:
        return "image/*"
    return ",".join(f".{ext}" for ext in sorted(ALLOWED_EXTENSIONS))


def panel(
    user,
    owner: models.Model,
    *,
    kind: str = "",
    next_url: str = "",
    errors: list[str] | None = None,
    notice: str = "",
) -> dict[str, Any]:
    """What attachments/partials/attachment_list.html shows for `owner`.

    `kind` shows only that kind and fixes the kind of new uploads (for photos, the phone's
    camera opens); empty shows everything and lets the uploader choose.
    """
    kind = kind if kind in AttachmentKind.values else ""
    return {
        "owner": owner,
        "owner_label": owner._meta.label_lower,
        "owner_key": str(owner.pk),
        "attachments": attachments_of(owner, kind),
        "can_change": policy.can(user, policy.CHANGE, owner),
        "kind": kind,
        "kinds": AttachmentKind.choices,
        "capture": kind == AttachmentKind.PHOTO,
        "accept": accept_for(kind),
        "max_mb": settings.DUBAN_ATTACHMENT_MAX_MB,
        "max_bytes": int(settings.DUBAN_ATTACHMENT_MAX_MB) * 1024 * 1024,
        "max_files": MAX_FILES_PER_UPLOAD,
        "next_url": next_url,
        "errors": errors or [],
        "notice": notice,
    }
