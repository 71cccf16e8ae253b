"""The home page section 「考核指标待办」: reports due or late for the owning unit, values
waiting for the unit head's approval, approved values waiting for the statistics bureau.

Bounded: at most four queries whatever the number of indicators or values (the indicators a
unit owns are capped at OWNED_LIMIT, the values at HOME_ITEMS)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.core.home import HomeSection, WaitingItem, register

HOME_ITEMS = 8
OWNED_LIMIT = 200


def _report_items(user, unit_ids: set[int]) -> list[WaitingItem]:
    from .deadlines import report_states
    from .models import Indicator

    owned = (
        Indicator.objects.visible_to(user)
        .filter(owner_unit_id__in=unit_ids, is_active=True)
        .order_by("sort_order", "code")[:OWNED_LIMIT]
    )
    states = [s for s in report_states(owned) if s.submitted is None and s.light.colour in ("red", "yellow")]
    states.sort(key=lambda s: (s.light.colour != "red", s.due))
    return [
        WaitingItem(
            text=f"{s.indicator.name} {s.period.label}",
            url=reverse("indicators:value_enter", args=[s.indicator.pk]),
            note=(_("已逾期未报 · %(due)s") if s.light.colour == "red" else _("即将到期 · %(due)s"))
            % {"due": f"{s.due:%m-%d}"},
            light=s.light.colour,
        )
        for s in states
    ]


def _value_items(user, condition: Q, note: str | Promise) -> list[WaitingItem]:
    from .choices import ValueSource
    from .models import IndicatorValue

    values = (
        IndicatorValue.objects.visible_to(user)
        .filter(condition, is_current=True, source=ValueSource.REPORTED)
        .select_related("indicator")
        .order_by("-period", "pk")[:HOME_ITEMS]
    )
    return [
        WaitingItem(
            text=f"{v.indicator.name} {v.period_obj.label}",
            url=reverse("indicators:indicator_detail", args=[v.indicator_id]),
            note=str(note),
        )
        for v in values
    ]


def waiting_items(user) -> list[WaitingItem]:
    from .choices import ValueStatus
    from .roles import UNIT_ROLES, statistics_region_paths

    grants = policy.grants_of(user)
    items: list[WaitingItem] = []
    unit_ids = grants.units(UNIT_ROLES)
    if unit_ids:
        items += _report_items(user, unit_ids)
    head_units = grants.units({Role.UNIT_HEAD})
    if head_units:
        waiting = Q(status=ValueStatus.SUBMITTED, indicator__owner_unit_id__in=head_units)
        items += _value_items(user, waiting, _("待审核"))
    paths = statistics_region_paths(user)
    if paths:
        where = Q(pk__in=[])
        for path in paths:
            where |= Q(indicator__county__path__startswith=path)
        items += _value_items(user, Q(status=ValueStatus.APPROVED) & where, _("待统计局核定"))
    return items[:HOME_ITEMS]


def register_home_section() -> None:
    register(
        HomeSection(
            key="indicators",
            title=str(_("考核指标待办")),
            empty_text=str(
                _("暂无考核指标待办。本单位到期或逾期未报的指标、待审核和待核定的数据会出现在这里。")
            ),
            roles=frozenset({Role.UNIT_HEAD, Role.UNIT_LIAISON}),
            provider=waiting_items,
            more_url_name="indicators:board",
        )
    )
