"""One column of a register sheet, and how a spreadsheet cell becomes a Python value.

The parsing rules (documented in docs/sheets.md) in one place:

- text: leading/trailing spaces (also the full-width space and NBSP) trimmed; full-width
  digits and Latin letters turned half-width (names keep their full-width brackets); a leading
  apostrophe that our own export put before = + - @ is removed, so an export re-imports as is;
- numbers: a numeric cell arrives from calamine as a float; it is turned into a Decimal through
  its shortest repr, rounded to 15 significant digits (Excel keeps no more), so 0.1+0.2 is 0.3;
  a text cell is parsed exactly (thousands separators removed, full-width digits allowed);
- dates: a date cell, an Excel serial number (1900 date system), or text as 2026-11-28,
  2026/11/28, 2026.11.28, 2026年11月28日 or 20261128;
- choices: the label ("部门") or the code ("department");
- yes/no: 是/否, Y/N, true/false, 1/0, √/×.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from duban.core.cells import FORMULA_STARTS

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug
MAX_SERIAL = 2958465  # 9999-12-31
SIGNIFICANT_DIGITS = 15
_FULL_WIDTH_ALNUM = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
}
_SPACES = " \t\r\n\u3000\u00a0\ufeff"
_TEXT_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "启用", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "停用", "无"}


class CellError(Exception):
    """A cell's value cannot be used; the message (Chinese) says why."""


def clean_text(value: str) -> str:
    """Trim, make full-width digits/letters half-width, undo our export's formula apostrophe."""
    text = value.translate(_FULL_WIDTH_ALNUM).strip(_SPACES)
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _plain_number_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip(_SPACES).replace(",", "").replace(" ", "")
    return text


def float_to_decimal(number: float) -> Decimal:
    """A float from a numeric cell as the Decimal the user typed (at most 15 significant digits)."""
    exact = Decimal(repr(number))
    if exact.is_zero():
        return Decimal(0)
    rounded = Context(prec=SIGNIFICANT_DIGITS, rounding=ROUND_HALF_EVEN).plus(exact)
    # normalize() drops trailing zeros but may give an exponent: quantize back to a plain form.
    normal = rounded.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def number_text(number: float | int) -> str:
    """A numeric cell in a text column ("371121" typed without a leading apostrophe)."""
    value = float_to_decimal(float(number)) if isinstance(number, float) else Decimal(number)
    return format(value, "f")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(_SPACES))


def to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return clean_text(str(value))


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    if isinstance(value, float):
        return float_to_decimal(value)
    if isinstance(value, int):
        return Decimal(value)
    text = _plain_number_text(str(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("应为数字")) from None
    if not number.is_finite():
        raise CellError(_("应为数字"))
    return number


def to_int(value: Any) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("应为整数"))
    return int(number)


def to_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise CellError(_("应为日期（不含时间）"))
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= MAX_SERIAL or value != int(value):
            raise CellError(_("不是有效的日期"))
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip(_SPACES)
    match = _TEXT_DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise CellError(_("日期格式应为 2026-11-28、2026/11/28 或 2026年11月28日"))
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("不是有效的日期")) from None


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = to_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("应填“是”或“否”"))


PARSERS: dict[type, Callable[[Any], Any]] = {
    str: to_text,
    int: to_int,
    Decimal: to_decimal,
    datetime.date: to_date,
    bool: to_bool,
}
TYPE_NAMES: dict[type, StrOrPromise] = {
    str: _("文本"),
    int: _("整数"),
    Decimal: _("数字"),
    datetime.date: _("日期，如 2026-11-28"),
    bool: _("是/否"),
}


@dataclass(frozen=True)
class Column:
    """A column: the Chinese header people see, the field it fills, and the rules for its cells.

    `lookup` names another register (a region, a unit, a user) by one of its keys; `choices`
    takes a TextChoices class (cells hold the label, the code is accepted too); `validators`
    are Django validators run on the parsed value; `export` reads the value from an object
    (default: the attribute `field`).
    """

    header: str
    field: str
    value_type: type = str
    required: bool = False
    max_length: int | None = None
    choices: type[models.TextChoices] | None = None
    lookup: Any = None  # a duban.sheets.base.Lookup
    help: StrOrPromise = ""
    example: str = ""
    width: int = 16
    decimal_places: int | None = None
    min_value: Any = None
    max_value: Any = None
    validators: Sequence[Callable[[Any], None]] = ()
    export: Callable[[Any], Any] | None = None
    default: Any = None

    def parse(self, raw: Any) -> Any:
        """The value of one non-blank cell, or CellError with the reason."""
        if self.lookup is not None:
            return to_text(raw)  # resolved in bulk by the importer
        if self.choices is not None:
            return self._choice(to_text(raw))
        value = PARSERS[self.value_type](raw)
        self._check(value)
        return value

    def blank_value(self) -> Any:
        if self.default is not None:
            return self.default
        return "" if self.value_type is str and self.lookup is None and self.choices is None else None

    def _choice(self, text: str) -> str:
        choices = self.choices
        assert choices is not None
        for code, label in choices.choices:
            if text == str(label) or text.lower() == str(code).lower():
                return str(code)
        labels = "、".join(str(label) for label in choices.labels)
        raise CellError(_("应为以下之一：%(labels)s") % {"labels": labels})

    def _check(self, value: Any) -> None:
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise CellError(_("不能超过%(n)d个字") % {"n": self.max_length})
        if self.decimal_places is not None and isinstance(value, Decimal):
            exponent = value.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > self.decimal_places:
                raise CellError(_("最多%(n)d位小数") % {"n": self.decimal_places})
        if self.min_value is not None and value < self.min_value:
            raise CellError(_("不能小于%(n)s") % {"n": self.min_value})
        if self.max_value is not None and value > self.max_value:
            raise CellError(_("不能大于%(n)s") % {"n": self.max_value})
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                raise CellError("；".join(str(m) for m in exc.messages)) from None

    def describe(self) -> str:
        """The note on the template's header cell: required, format, choices, help."""
        parts = [str(_("必填")) if self.required else str(_("选填"))]
        if self.choices is not None:
            parts.append(str(_("从下拉列表选择：")) + "、".join(str(x) for x in self.choices.labels))
        elif self.lookup is not None:
            parts.append(str(self.lookup.describe()))
        else:
            parts.append(str(_("格式：")) + str(TYPE_NAMES[self.value_type]))
        if self.max_length:
            parts.append(str(_("不超过%(n)d个字") % {"n": self.max_length}))
        if self.help:
            parts.append(str(self.help))
        if self.example:
            parts.append(str(_("例：")) + self.example)
        return "\n".join(parts)
