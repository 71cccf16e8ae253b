"""Images: read the facts in their EXIF, then re-encode them without any metadata.

What is served is never the uploaded byte stream: Pillow decodes the pixels, applies the EXIF
orientation and writes a fresh file with only the colour profile (and a palette's
transparency) kept. EXIF (GPS position, camera, time taken) is kept as data on the row.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .choices import FileType

THUMBNAIL_SIZE = (320, 320)
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80
# Pillow's own bomb guard warns above ~89 megapixels and refuses above twice that; a phone
# photo is 12-50 megapixels, so anything above this limit is refused before decoding.
MAX_PIXELS = 64_000_000
GPS_PLACES = Decimal("0.0000001")

PIL_FORMATS: dict[str, str] = {
    FileType.JPEG: "JPEG",
    FileType.PNG: "PNG",
    FileType.WEBP: "WEBP",
    FileType.GIF: "GIF",
}
DAMAGED = _("图片已损坏或无法识别")
TOO_MANY_PIXELS = _("图片尺寸过大（超过%(mp)s百万像素）")

# EXIF tags kept as data (the rest are dropped, including maker notes and thumbnails).
TAG_MAKE, TAG_MODEL, TAG_SOFTWARE, TAG_ORIENTATION, TAG_DATETIME = 271, 272, 305, 274, 306
IFD_EXIF, IFD_GPS = 0x8769, 0x8825
TAG_TAKEN, TAG_TAKEN_OFFSET = 36867, 36881
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON, GPS_ALT_REF, GPS_ALT = 1, 2, 3, 4, 5, 6


@dataclass
class PhotoFacts:
    """What the EXIF said, as plain data."""

    latitude: Decimal | None = None
    longitude: Decimal | None = None
    taken_at: datetime.datetime | None = None
    exif: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProcessedImage:
    data: bytes
    width: int
    height: int
    thumbnail: bytes
    facts: PhotoFacts


def process(data: bytes, file_type: str) -> ProcessedImage:
    """Decode, check, orient and re-encode an image; ValidationError if it cannot be trusted."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != PIL_FORMATS[file_type]:
                raise ValidationError(DAMAGED, code="damaged")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    TOO_MANY_PIXELS, code="too_many_pixels", params={"mp": MAX_PIXELS // 1_000_000}
                )
            facts = photo_facts(image.getexif())
            image.seek(0)  # an animated GIF or WebP keeps its first frame only
            icc = image.info.get("icc_profile")
            oriented = ImageOps.exif_transpose(image)
            oriented.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            TOO_MANY_PIXELS, code="too_many_pixels", params={"mp": MAX_PIXELS // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, TypeError, IndexError):
        raise ValidationError(DAMAGED, code="damaged") from None
    clean = _without_metadata(oriented)
    return ProcessedImage(
        data=_encode(clean, file_type, icc),
        width=clean.width,
        height=clean.height,
        thumbnail=_thumbnail(clean),
        facts=facts,
    )


def _without_metadata(image: Image.Image) -> Image.Image:
    """A copy whose info holds nothing a writer could copy out (EXIF, XMP, comments, text)."""
    clean = image.copy()
    clean.info = {}
    if "transparency" in image.info:
        clean.info["transparency"] = image.info["transparency"]
    return clean


def _encode(image: Image.Image, file_type: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if file_type == FileType.JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    elif file_type == FileType.PNG:
        image.save(out, "PNG", optimize=True, **extra)
    elif file_type == FileType.WEBP:
        image.save(out, "WEBP", quality=JPEG_QUALITY, method=4, **extra)
    else:
        if image.mode not in ("P", "L"):
            image = image.convert("P", palette=Image.Palette.ADAPTIVE)
        image.save(out, "GIF", optimize=True)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG of at most THUMBNAIL_SIZE, transparent areas on white."""
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    if thumb.mode in ("RGBA", "LA", "P", "PA"):
        thumb = thumb.convert("RGBA")
        canvas = Image.new("RGB", thumb.size, "white")
        canvas.paste(thumb, mask=thumb.getchannel("A"))
        thumb = canvas
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


# --- EXIF as data ------------------------------------------------------------------------


def photo_facts(exif: Image.Exif) -> PhotoFacts:
    facts = PhotoFacts()
    for key, tag in (("make", TAG_MAKE), ("model", TAG_MODEL), ("software", TAG_SOFTWARE)):
        if text := _text(exif.get(tag)):
            facts.exif[key] = text
    if isinstance(exif.get(TAG_ORIENTATION), int):
        facts.exif["orientation"] = exif[TAG_ORIENTATION]
    detail = exif.get_ifd(IFD_EXIF)
    facts.taken_at = _taken_at(detail.get(TAG_TAKEN) or exif.get(TAG_DATETIME), detail.get(TAG_TAKEN_OFFSET))
    if facts.taken_at:
        facts.exif["taken_at"] = facts.taken_at.isoformat()
    gps = exif.get_ifd(IFD_GPS)
    facts.latitude = _coordinate(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), "S", Decimal(90))
    facts.longitude = _coordinate(gps.get(GPS_LON), gps.get(GPS_LON_REF), "W", Decimal(180))
    if facts.latitude is not None and facts.longitude is not None:
        facts.exif["gps_latitude"] = str(facts.latitude)
        facts.exif["gps_longitude"] = str(facts.longitude)
        altitude = _rational(gps.get(GPS_ALT))
        if altitude is not None:
            below = gps.get(GPS_ALT_REF) in (1, b"\x01")
            facts.exif["gps_altitude"] = str((-altitude if below else altitude).quantize(Decimal("0.1")))
    else:
        facts.latitude = facts.longitude = None  # half a position is no position
    return facts


def _text(value: Any, limit: int = 64) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return re.sub(r"[\x00-\x1f\x7f]", "", value).strip()[:limit]


def _rational(value: Any) -> Decimal | None:
    """An EXIF rational (IFDRational, (num, den) pair or number) as a Decimal."""
    try:
        if isinstance(value, tuple) and len(value) == 2:
            numerator, denominator = value
        elif hasattr(value, "numerator") and hasattr(value, "denominator"):
            numerator, denominator = value.numerator, value.denominator
        elif isinstance(value, int | float):
            return Decimal(str(value))
        else:
            return None
        if not denominator:
            return None
        return Decimal(int(numerator)) / Decimal(int(denominator))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _coordinate(value: Any, ref: Any, negative_ref: str, limit: Decimal) -> Decimal | None:
    """Degrees/minutes/seconds and a hemisphere as signed decimal degrees (7 places, ~1 cm)."""
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    parts = [_rational(v) for v in value]
    if any(p is None or p < 0 for p in parts):
        return None
    degrees, minutes, seconds = parts
    assert degrees is not None and minutes is not None and seconds is not None
    result = (degrees + minutes / 60 + seconds / 3600).quantize(GPS_PLACES)
    if result > limit:
        return None
    return -result if _text(ref).upper() == negative_ref else result


def _taken_at(value: Any, offset: Any) -> datetime.datetime | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" with its offset, else read in the deployment's time zone."""
    text = _text(value)
    try:
        naive = datetime.datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset_text = _text(offset)
    if re.fullmatch(r"[+-]\d\d:\d\d", offset_text):
        sign = -1 if offset_text[0] == "-" else 1
        delta = datetime.timedelta(hours=int(offset_text[1:3]), minutes=int(offset_text[4:6]))
        return naive.replace(tzinfo=datetime.timezone(sign * delta))
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
