"""Test data for attachments: real files of every allowed type, built in memory, and attachments."""

from __future__ import annotations

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from .choices import AttachmentKind
from .services import add_attachment

GPS_LATITUDE = ((36, 1), (39, 1), (4555, 100))  # 36°39'45.55" N, Jinan
GPS_LONGITUDE = ((117, 1), (7, 1), (1234, 100))  # 117°7'12.34" E


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (64, 48), *, gps: bool = False, mode="RGB"
) -> bytes:
    """An image; with gps=True a JPEG carrying camera, time and GPS EXIF (rotated 90°)."""
    image = Image.new(mode, size, "red" if mode == "RGB" else 0)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[271], exif[272], exif[274] = "HUAWEI", "P60", 6
        detail = exif.get_ifd(0x8769)
        detail[36867], detail[36881] = "2026:05:12 09:30:15", "+08:00"
        position = exif.get_ifd(0x8825)
        position[1], position[3] = "N", "E"
        position[2] = tuple(IFDRational(*r) for r in GPS_LATITUDE)
        position[4] = tuple(IFDRational(*r) for r in GPS_LONGITUDE)
        image.save(out, fmt, exif=exif, comment=b"secret comment")
    else:
        image.save(out, fmt)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


OOXML = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def office_bytes(kind: str = "docx", *, extra: dict[str, bytes] | None = None, macro: bool = False) -> bytes:
    """A minimal Office Open XML package of `kind` (docx, xlsx, pptx)."""
    part, main = OOXML[kind]
    main_type = f"application/vnd.openxmlformats-officedocument.{main}"
    if macro:
        main_type = "application/vnd.ms-word.document.macroEnabled.main+xml"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/content-types"><Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(part, "<document>督办</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


# --- OLE2 compound files (legacy Office and WPS) -------------------------------------------

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, *, right=NOSTREAM, child=NOSTREAM, start=END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\0" * 36
        + struct.pack("<IQ", start, size)
    )


def ole_bytes(*names: str, storages: tuple[str, ...] = ()) -> bytes:
    """A compound file (512-byte sectors) holding 4 KB streams `names` and empty `storages`.

    Enough for olefile and for Word/Excel-style detection: root + at most three children.
    """
    children = [(n, 2) for n in names] + [(n, 1) for n in storages]
    assert 1 <= len(children) <= 3
    fat = [FATSECT, END]
    entries = [_entry("Root Entry", 5, child=1)]
    data = b""
    for i, (name, kind) in enumerate(children, start=1):
        right = i + 1 if i < len(children) else NOSTREAM
        if kind == 2:
            start = len(fat)
            fat += [*range(start + 1, start + 8), END]
            entries.append(_entry(name, 2, right=right, start=start, size=4096))
            data += name.encode().ljust(4096, b"\x01")
        else:
            entries.append(_entry(name, 1, right=right, start=0))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([FREE] * 108))
    )
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", FREE) * (128 - len(fat))
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat_sector + directory + data


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_attachment(
    owner, *, actor, name: str = "现场.jpg", data: bytes | None = None, kind: str | None = None
):
    """An attachment of `owner`: by default a small JPEG site photo; other data is kind "other"."""
    if kind is None:
        kind = AttachmentKind.PHOTO if data is None else AttachmentKind.OTHER
    return add_attachment(
        owner, upload(name, data if data is not None else image_bytes()), actor=actor, kind=kind
    )
