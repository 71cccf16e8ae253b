"""Checks on the text people type into the organisation tree."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters in a name would let it forge lines in logs and exports.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CODE_CHARS = re.compile(r"^[0-9A-Za-z_-]+$")


def validate_no_control_chars(value: str) -> None:
    if CONTROL_CHARS.search(value or ""):
        raise ValidationError(_("不能包含控制字符"), code="control_chars")


def validate_code(value: str) -> None:
    if not CODE_CHARS.match(value or ""):
        raise ValidationError(_("代码只能包含字母、数字、下划线和短横线"), code="code_chars")
