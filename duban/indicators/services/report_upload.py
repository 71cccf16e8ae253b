"""A unit's filled-in report template (exports.report_template) read back into draft values.

Every row goes through enter_value, so the checks, the Chinese messages and the audit entry are
the same as on the entry page. All or nothing: one bad row and no row is kept, and the error
list names each bad row by its line in the sheet."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.org.models import Unit
from duban.sheets.columns import is_blank, to_text

from ..exports import TEMPLATE_HEADERS
from ..models import Indicator, IndicatorValue
from ..periods import Period
from .reporting import enter_value

# Columns of the template: code, name, unit of measure, period, value, last year, explanation, due.
CODE, PERIOD, VALUE, LAST_YEAR, EXPLANATION = 0, 3, 4, 5, 6


class _RowsRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors


def _cell(cells: list, index: int) -> str:
    value = cells[index] if index < len(cells) else None
    return "" if is_blank(value) else to_text(value)


def _check_header(header: list) -> None:
    names = [_cell(header, i) for i in range(len(TEMPLATE_HEADERS))]
    if names[: VALUE + 3] != TEMPLATE_HEADERS[: VALUE + 3]:
        raise ValidationError(
            _("表头与填报模板不一致，请重新下载模板填写（前七列：%(h)s）")
            % {"h": "、".join(TEMPLATE_HEADERS[:7])}
        )


def _enter_row(
    line: int, cells: list, owned: dict[str, Indicator], seen: set, actor, today
) -> IndicatorValue:
    code = _cell(cells, CODE)
    indicator = owned.get(code)
    if indicator is None:
        raise ValidationError(_("指标代码“%(c)s”不是本单位负责的指标") % {"c": code})
    period = Period.parse(_cell(cells, PERIOD), indicator.frequency)
    if (code, period.key) in seen:
        raise ValidationError(_("与前面的行重复（%(c)s %(p)s）") % {"c": code, "p": period.label})
    seen.add((code, period.key))
    return enter_value(
        indicator,
        actor=actor,
        period=period,
        value=_cell(cells, VALUE),
        last_year_value=_cell(cells, LAST_YEAR) or None,
        explanation=_cell(cells, EXPLANATION),
        today=today,
    )


def _messages(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc)
    return "；".join(exc.messages)


def import_unit_report(unit: Unit, *, actor, rows: list[list], today: datetime.date | None = None) -> int:
    """Enter every filled row of the template as the unit's draft; returns how many were entered.

    Rows whose value is blank are left out (the unit reports what it has)."""
    if not rows:
        raise ValidationError(_("表格为空"))
    _check_header(rows[0])
    owned = {ind.code: ind for ind in Indicator.objects.filter(owner_unit=unit, is_active=True)}
    filled = [(n, cells) for n, cells in enumerate(rows[1:], start=2) if _cell(cells, VALUE)]
    if not filled:
        raise ValidationError(_("没有填写任何本期值"))
    try:
        with transaction.atomic():
            errors: list[str] = []
            seen: set = set()
            for line, cells in filled:
                try:
                    with transaction.atomic():
                        _enter_row(line, cells, owned, seen, actor, today)
                except (ValidationError, PermissionDenied) as exc:
                    errors.append(_("第%(n)d行：%(m)s") % {"n": line, "m": _messages(exc)})
            if errors:
                raise _RowsRefused(errors)
    except _RowsRefused as refused:
        raise ValidationError(refused.errors) from None
    return len(filled)
