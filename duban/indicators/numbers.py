"""Figures typed by people: exact decimals with a clear Chinese message for everything else."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DIGITS, DECIMAL_PLACES = 15, 4
_FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0e\uff0c\uff0d\uff05]")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_figure(raw, *, label: str = "") -> Decimal | None:
    """A Decimal from a form, the API or a sheet cell; None for blank.

    Refuses (never guesses): full-width digits, thousands separators, units or words, more than
    4 decimal places or 15 significant digits. Floats from sheets are read through their
    shortest text form, so 12.3 stays 12.3.
    """
    prefix = f"{label}：" if label else ""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        text = format(raw, "f")
    elif isinstance(raw, bool):
        raise ValidationError(prefix + _("请输入数字"))
    elif isinstance(raw, int | float):
        text = repr(raw) if isinstance(raw, float) else str(raw)
    else:
        text = str(raw).strip()
    if text == "":
        return None
    if _FULL_WIDTH.search(text):
        raise ValidationError(prefix + _("“%(t)s”含全角字符，请用半角数字输入（如 12.5）") % {"t": text})
    if "," in text:
        raise ValidationError(prefix + _("“%(t)s”请不要加千位分隔符") % {"t": text})
    if not _PLAIN.match(text):
        raise ValidationError(prefix + _("“%(t)s”不是数字，请只填数值，不要带单位或文字") % {"t": text})
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(prefix + _("“%(t)s”不是数字") % {"t": text}) from exc
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > DECIMAL_PLACES:
        raise ValidationError(
            prefix + _("“%(t)s”小数位数过多，最多%(n)d位") % {"t": text, "n": DECIMAL_PLACES}
        )
    integer_digits = len(value.quantize(Decimal(1)).copy_abs().as_tuple().digits)
    if integer_digits > MAX_DIGITS - DECIMAL_PLACES:
        raise ValidationError(prefix + _("“%(t)s”数值过大") % {"t": text})
    return value


def figure_text(value: Decimal | None) -> str:
    """12.5000 -> "12.5", 1000.0000 -> "1000" (never "1E+3"); "" for None."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
