"""What a file really is, decided from its bytes; the name only has to agree.

The allow-list lives in choices.TYPES. Office Open XML files are zip archives: they are
checked as zips first (entry count, declared sizes, compression ratio, and every entry
actually inflated within those limits) so that a zip bomb is refused before anything opens it.
Legacy Word/Excel/PowerPoint and WPS files are OLE2 compound files, read with olefile.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import olefile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import ALLOWED_EXTENSIONS, TYPES, FileType

# Zip limits: a real 20 MB spreadsheet inflates to a few hundred MB at most, with ratios well
# under 100 for its XML parts. A bomb inflates by thousands.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_TOTAL = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 1024 * 1024  # tiny parts may compress far better; they cannot hurt
CHUNK = 1024 * 1024

MISMATCH = _("文件类型与扩展名不符")
UNSUPPORTED = _("不支持的文件类型")
ZIP_BOMB = _("压缩包内容异常，疑似压缩炸弹")
MACROS = _("不支持含宏的文件")
DAMAGED = _("文件已损坏或无法识别")

# Labels for what a refused file turned out to be (shown after the mismatch message).
CONTENT_LABELS = {
    "exe": _("可执行程序"),
    "html": _("网页或脚本文件"),
    "archive": _("压缩包"),
    "unknown": _("未知格式"),
}


@dataclass(frozen=True)
class Inspected:
    file_type: str
    mime: str
    extension: str


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def inspect(name: str, data: bytes) -> Inspected:
    """The file's type if it is allowed and its name agrees; ValidationError otherwise."""
    ext = extension_of(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(UNSUPPORTED, code="unsupported")
    kind = sniff(data)
    info = TYPES.get(kind)
    if info is None or ext not in info.extensions:
        label = FileType(kind).label if kind in TYPES else CONTENT_LABELS.get(kind, CONTENT_LABELS["unknown"])
        raise ValidationError(
            _("%(message)s：扩展名为 .%(ext)s，内容为%(label)s"),
            code="mismatch",
            params={"message": MISMATCH, "ext": ext, "label": label},
        )
    mime = "text/csv" if ext == "csv" else info.mime
    return Inspected(file_type=kind, mime=mime, extension=ext)


def sniff(data: bytes) -> str:
    """A FileType value, or one of CONTENT_LABELS' keys for content outside the allow-list."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return FileType.GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(data)
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return "exe"
    if head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"PK\x05\x06", b"BZh")):
        return "archive"
    return _sniff_text(data)


def _sniff_zip(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise ValidationError(DAMAGED, code="damaged") from None
    _check_zip_limits(infos)
    _inflate_all(archive, infos)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        return "archive"
    content_types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(MACROS, code="macros")
    for part, main_type, kind in (
        ("word/document.xml", b"wordprocessingml.document.main+xml", FileType.DOCX),
        ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml", FileType.XLSX),
        ("ppt/presentation.xml", b"presentationml.presentation.main+xml", FileType.PPTX),
    ):
        if part in names and main_type in content_types:
            return kind
    return "archive"


def _check_zip_limits(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse by the central directory alone: too many entries, too large, too compressed."""
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ValidationError(ZIP_BOMB, code="zip_bomb")
    total = 0
    for info in infos:
        total += info.file_size
        if total > ZIP_MAX_TOTAL:
            raise ValidationError(ZIP_BOMB, code="zip_bomb")
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise ValidationError(ZIP_BOMB, code="zip_bomb")


def _inflate_all(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every entry, discarding the bytes.

    zipfile never yields more than an entry's declared size and checks its CRC at the end,
    so a header that lies about the size shows up here as a broken entry. The declared sizes
    were bounded above, so this costs at most ZIP_MAX_TOTAL bytes of inflation.
    """
    try:
        for info in infos:
            if info.is_dir():
                continue
            with archive.open(info) as member:
                while member.read(CHUNK):
                    pass
    except RuntimeError:  # an encrypted entry: nothing a county office should upload
        raise ValidationError(UNSUPPORTED, code="unsupported") from None
    except Exception:  # bad CRC, truncated stream, unknown method: all the same to us
        raise ValidationError(DAMAGED, code="damaged") from None


def _sniff_ole(data: bytes) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ole = olefile.OleFileIO(io.BytesIO(data))
            entries = {"/".join(parts).lower() for parts in ole.listdir(streams=True, storages=True)}
            ole.close()
    except Exception:  # olefile raises a zoo of errors on malformed files
        raise ValidationError(DAMAGED, code="damaged") from None
    tops = {entry.split("/", 1)[0] for entry in entries}
    if tops & {"macros", "_vba_project_cur", "vba"}:
        raise ValidationError(MACROS, code="macros")
    if "worddocument" in tops:
        return FileType.DOC
    if tops & {"workbook", "book"}:
        return FileType.XLS
    if "powerpoint document" in tops:
        return FileType.PPT
    return "unknown"


MARKUP_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
STRAY_CONTROLS = [bytes([b]) for b in range(32) if b not in b"\t\n\r\f\x1a"]


def _sniff_text(data: bytes) -> str:
    """Plain text (UTF-8 or GBK, no NULs or stray control bytes) is TEXT; markup is refused."""
    if any(control in data for control in STRAY_CONTROLS):  # NUL included; each test runs in C
        return "unknown"
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    for encoding in ("utf-8", "gbk"):
        try:
            body.decode(encoding)
        except UnicodeDecodeError:
            continue
        if body.lstrip()[:16].lower().startswith(MARKUP_STARTS):
            return "html"
        return FileType.TEXT
    return "unknown"


FALLBACK_STEM = "附件"
NAME_LIMIT = 120


def clean_filename(name: str) -> str:
    """The uploaded name made safe to show and to send back in a header.

    Keeps Chinese; drops folders, control characters and characters that Windows or a
    header cannot carry; trims dots and spaces at the ends; shortens the stem, never the
    extension.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*;]', "_", base).strip(" .")
    path = PurePath(base) if base else PurePath(FALLBACK_STEM)
    stem, suffix = (path.stem or FALLBACK_STEM), path.suffix
    if not stem.strip(" ."):
        stem = FALLBACK_STEM
    return stem[: NAME_LIMIT - len(suffix)].strip(" .") + suffix[:16]
