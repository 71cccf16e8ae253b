"""Files attached to business objects: site photos, contracts, meeting minutes.

An attachment points at its owner generically (content type + the owner's key as text), so
any registered model can own files. The bytes live on disk under a random name (storage.py);
the row keeps what the upload was (sanitised name, size, hash, detected type) and, for a
photo, what its EXIF said (GPS position, time taken), which the served image no longer carries.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import IMAGE_TYPES, AttachmentKind, FileType


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view") -> AttachmentQuerySet:
        """Attachments whose owner the user may see (or change, for action="change")."""
        from duban.accounts import policy

        return policy.scope_queryset(self, user, action)

    def active(self) -> AttachmentQuerySet:
        return self.filter(removed_at__isnull=True)

    def of(self, owner: models.Model) -> AttachmentQuerySet:
        content_type = ContentType.objects.get_for_model(owner)
        return self.filter(content_type=content_type, object_id=str(owner.pk))


class Attachment(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("所属对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("所属对象编号"), max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("类别"), max_length=16, choices=AttachmentKind.choices)
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=255, unique=True, editable=False)
    thumbnail_name = models.CharField(_("缩略图存储名"), max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_type = models.CharField(_("文件类型"), max_length=16, choices=FileType.choices)
    mime_type = models.CharField(_("内容类型"), max_length=128)
    width = models.PositiveIntegerField(_("宽度"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高度"), null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_latitude = models.DecimalField(_("纬度"), max_digits=10, decimal_places=7, null=True, blank=True)
    gps_longitude = models.DecimalField(_("经度"), max_digits=10, decimal_places=7, null=True, blank=True)
    exif = models.JSONField(_("EXIF信息"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Removal keeps the row (what was there, who removed it, why) and deletes the file.
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.CharField(_("删除理由"), max_length=500, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(original_name=""), name="attachment_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.file_type in IMAGE_TYPES

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def has_position(self) -> bool:
        return self.gps_latitude is not None and self.gps_longitude is not None
