"""How dates, money and figures are written on every page and in every export.

Dates as 2026年11月28日; money in 万元 with two decimals; figures exactly as stored.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone

register = template.Library()

TWO_PLACES = Decimal("0.01")


def zh_date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def zh_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{zh_date(local)} {local:%H:%M}"


def wan(value: Decimal | int | str | None) -> str:
    """Money already held in 万元, shown with two decimals and thousands separators."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    return f"{amount:,.2f}"


def yuan_to_wan(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return ""
    return wan(Decimal(value) / Decimal(10000))


register.filter("zh_date", zh_date)
register.filter("zh_datetime", zh_datetime)
register.filter("wan", wan)
register.filter("yuan_to_wan", yuan_to_wan)
