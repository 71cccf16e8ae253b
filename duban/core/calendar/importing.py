"""Reading a year's adjustments pasted as lines: "2027-02-05,休,春节[,备注]".

Separators: comma (half- or full-width) or tab; when a line has none, spaces. Dates as
2027-02-05, 2027/2/5, 2027.2.5 or 2027年2月5日, full-width digits allowed. The second column is
休 (放假) or 班 (上班). Blank lines and lines starting with # are skipped. Every bad line is
reported with its number; nothing is returned unless every line is good.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LINES = 400
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
OFF_WORDS = {"休", "假", "放假", "休息", "休假"}
WORK_WORDS = {"班", "上班", "补班", "调休上班"}
NAME_MAX, NOTE_MAX = 32, 200


@dataclass(frozen=True)
class ParsedLine:
    line_no: int
    date: datetime.date
    is_workday: bool
    name: str
    note: str


def _split(line: str) -> list[str]:
    parts = re.split(r"[,，\t]", line) if re.search(r"[,，\t]", line) else line.split()
    return [p.strip() for p in parts]


def parse_date(text: str) -> datetime.date | None:
    match = DATE_RE.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _parse_line(line_no: int, line: str) -> tuple[ParsedLine | None, str | None]:
    parts = _split(line)
    if len(parts) < 3 or len(parts) > 4:
        return None, _("第%(n)d行：应为“日期,休或班,名称[,备注]”") % {"n": line_no}
    raw_date, kind, name = parts[0], unicodedata.normalize("NFKC", parts[1]), parts[2]
    note = parts[3] if len(parts) == 4 else ""
    date = parse_date(raw_date)
    if date is None:
        return None, _("第%(n)d行：日期“%(v)s”无效，应如 2027-02-05") % {"n": line_no, "v": raw_date}
    if not 2000 <= date.year <= 2100:
        return None, _("第%(n)d行：年份应在2000至2100之间") % {"n": line_no}
    if kind not in OFF_WORDS | WORK_WORDS:
        return None, _("第%(n)d行：第二列应为“休”或“班”，而不是“%(v)s”") % {"n": line_no, "v": kind}
    if not name or len(name) > NAME_MAX:
        return None, _("第%(n)d行：名称不能为空，且不超过%(max)d个字") % {"n": line_no, "max": NAME_MAX}
    if len(note) > NOTE_MAX:
        return None, _("第%(n)d行：备注不超过%(max)d个字") % {"n": line_no, "max": NOTE_MAX}
    return ParsedLine(line_no, date, kind in WORK_WORDS, name, note), None


def parse_lines(text: str) -> list[ParsedLine]:
    """All lines, or ValidationError listing every bad line (nothing half-read)."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationError(_("一次最多导入%(max)d行") % {"max": MAX_LINES})
    parsed: list[ParsedLine] = []
    errors: list[str] = []
    seen: dict[datetime.date, int] = {}
    for line_no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        item, error = _parse_line(line_no, line)
        if error:
            errors.append(error)
            continue
        assert item is not None
        if item.date in seen:
            errors.append(
                _("第%(n)d行：日期%(d)s与第%(m)d行重复")
                % {"n": line_no, "d": item.date, "m": seen[item.date]}
            )
            continue
        seen[item.date] = line_no
        parsed.append(item)
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("没有可导入的行"))
    return parsed
