"""Who an investor is: the unified social credit code (GB 32100-2015) and a normalised company name.

Two units claiming the same investor are caught by comparing these (see duplicates.py), so the
rules live here, in one place, with property tests.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V); the 18th is a check
# character over the first 17 with these weights (3^i mod 31).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character (18th) for the first 17 characters of a credit code."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def clean_credit_code(value: str) -> str:
    """Upper-case, half-width, without spaces; '' stays '' (the code is optional)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_credit_code(value: str) -> None:
    code = clean_credit_code(value)
    if not code:
        return
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位"), code="credit_code_length")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有无效字符：%(chars)s") % {"chars": "".join(bad)}, code="credit_code_chars"
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位错误，请核对"), code="credit_code_check")


# Legal-form suffixes that do not tell two investors apart, longest first.
_FORMS = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司"]
_BRANCH = re.compile(
    r"^(?P<head>.+?(?:股份有限公司|有限责任公司|有限公司|集团公司|公司))(?P<branch>.+分公司)$"
)
_NOISE = re.compile(r"[\s()\[\]{}<>·.,，。、'\"“”‘’《》\-_/]+")


def normalise_company_name(name: str) -> str:
    """The part of a company's name that identifies the investor.

    Full-width characters become half-width (（深圳） = (深圳)), a branch (…有限公司苏州分公司) is
    its head office, 有限责任公司 = 有限公司 = 公司 (the legal form is dropped), brackets and
    punctuation are ignored, Latin letters are lower-cased.
    """
    text = unicodedata.normalize("NFKC", name or "").strip()
    text = re.sub(r"\s+", "", text)
    match = _BRANCH.match(text)
    if match:
        text = match.group("head")
    elif text.endswith("分公司"):
        text = text[: -len("分公司")]
    for form in _FORMS:
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)]
            break
    return _NOISE.sub("", text).lower()
