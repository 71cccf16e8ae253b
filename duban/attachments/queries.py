"""Reads of attachments: the active rows, one owner's list, and the panel's context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from duban.accounts import policy

from .choices import ALLOWED_EXTENSIONS, AttachmentKind
from .models import Attachment, AttachmentQuerySet


def active_attachments() -> AttachmentQuerySet:
    """Attachments not removed (callers scope them with the policy)."""
    return Attachment.objects.active()


def attachments_of(owner: models.Model) -> list[Attachment]:
    """One owner's attachments, newest first, with their uploaders: one query."""
    return list(Attachment.objects.active().of(owner).select_related("uploaded_by"))


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

    `kind` fixes the kind of new uploads (and, for photos, opens the phone's camera);
    empty lets the uploader choose.
    """
    kind = kind if kind in AttachmentKind.values else ""
    return {
        "owner": owner,
        "owner_label": owner._meta.label_lower,
        "owner_key": str(owner.pk),
        "attachments": attachments_of(owner),
        "can_change": policy.can(user, policy.CHANGE, owner),
        "kind": kind,
        "kinds": AttachmentKind.choices,
        "capture": kind == AttachmentKind.PHOTO,
        "accept": accept_for(kind),
        "max_mb": settings.DUBAN_ATTACHMENT_MAX_MB,
        "max_bytes": int(settings.DUBAN_ATTACHMENT_MAX_MB) * 1024 * 1024,
        "next_url": next_url,
        "errors": errors or [],
        "notice": notice,
    }
