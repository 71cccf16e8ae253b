"""Kinds of attachment and the file types the allow-list accepts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("现场照片")
    CONTRACT = "contract", _("合同协议")
    MINUTES = "minutes", _("会议纪要")
    DOCUMENT = "document", _("文件材料")
    OTHER = "other", _("其他")


class FileType(models.TextChoices):
    """A type as detected from the content, never from the name."""

    JPEG = "jpeg", _("JPEG图片")
    PNG = "png", _("PNG图片")
    WEBP = "webp", _("WebP图片")
    GIF = "gif", _("GIF图片")
    PDF = "pdf", _("PDF文档")
    DOCX = "docx", _("Word文档")
    XLSX = "xlsx", _("Excel表格")
    PPTX = "pptx", _("PowerPoint演示文稿")
    DOC = "doc", _("Word 97-2003文档")
    XLS = "xls", _("Excel 97-2003表格")
    PPT = "ppt", _("PowerPoint 97-2003演示文稿")
    TEXT = "text", _("文本文件")


@dataclass(frozen=True)
class TypeInfo:
    mime: str
    # Extensions a file of this type may carry (lower case, without the dot).
    extensions: frozenset[str]
    is_image: bool = False


TYPES: dict[str, TypeInfo] = {
    FileType.JPEG: TypeInfo("image/jpeg", frozenset({"jpg", "jpeg", "jpe"}), is_image=True),
    FileType.PNG: TypeInfo("image/png", frozenset({"png"}), is_image=True),
    FileType.WEBP: TypeInfo("image/webp", frozenset({"webp"}), is_image=True),
    FileType.GIF: TypeInfo("image/gif", frozenset({"gif"}), is_image=True),
    FileType.PDF: TypeInfo("application/pdf", frozenset({"pdf"})),
    FileType.DOCX: TypeInfo(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx"})
    ),
    FileType.XLSX: TypeInfo(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"})
    ),
    FileType.PPTX: TypeInfo(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", frozenset({"pptx"})
    ),
    # WPS Office saves its own .wps/.et/.dps in the same compound-file layout as Word, Excel
    # and PowerPoint 97-2003, with the same streams inside: they are detected as those.
    FileType.DOC: TypeInfo("application/msword", frozenset({"doc", "wps"})),
    FileType.XLS: TypeInfo("application/vnd.ms-excel", frozenset({"xls", "et"})),
    FileType.PPT: TypeInfo("application/vnd.ms-powerpoint", frozenset({"ppt", "dps"})),
    FileType.TEXT: TypeInfo("text/plain", frozenset({"txt", "csv"})),
}

ALLOWED_EXTENSIONS = frozenset().union(*(info.extensions for info in TYPES.values()))
IMAGE_TYPES = frozenset(t for t, info in TYPES.items() if info.is_image)
