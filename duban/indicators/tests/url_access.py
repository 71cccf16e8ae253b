"""The indicators module's rows for the URL walk (tests/test_url_walk.py)."""

from __future__ import annotations

from duban.accounts.choices import Role
from duban.indicators.choices import ValueSource, ValueStatus
from duban.indicators.factories import make_indicator
from duban.indicators.models import IndicatorValue, LookBack, LookBackItem
from tests.url_access import ALL_ROLES, BUSINESS, FOREIGN, OWN, api, page, pk_of, post_only

UNIT_ROLES = {Role.UNIT_HEAD, Role.UNIT_LIAISON}
OFFICE = {Role.SUPERVISION_OFFICE}


def value_action(world, variant: str) -> dict:
    return {"pk": world.get("indicator_value", variant).pk, "action": "submit"}


def api_target(world, variant: str) -> dict:
    return {"indicator_id": world.get("indicator", variant).pk}


def api_value_action(world, variant: str) -> dict:
    return {"value_id": world.get("indicator_value", variant).pk, "action": "submit"}


ACCESS = {
    # Lists render (empty) for anyone signed in, like the platform's lists; details are scoped.
    "indicators:board": page(ALL_ROLES),
    "indicators:lagging": page(ALL_ROLES),
    "indicators:board_export": page(ALL_ROLES),
    "indicators:bulletin_import": page(OFFICE),
    "indicators:indicator_detail": page(BUSINESS, pk_of("indicator")),
    "indicators:indicator_create": page(OFFICE),
    "indicators:indicator_edit": page(OFFICE, pk_of("indicator")),
    "indicators:indicator_targets": page(OFFICE, pk_of("indicator")),
    "indicators:value_enter": page(UNIT_ROLES, pk_of("indicator")),
    "indicators:value_action": post_only(value_action, anonymous="login"),
    "indicators:unit_page": page(ALL_ROLES, pk_of("unit")),
    "indicators:unit_template": page(UNIT_ROLES, pk_of("unit")),
    "indicators:unit_report_upload": page(UNIT_ROLES, pk_of("unit")),
    "indicators:look_back_list": page(ALL_ROLES),
    "indicators:look_back_launch": page(OFFICE),
    "indicators:look_back_detail": page(BUSINESS, pk_of("look_back")),
    "indicators:look_back_close": post_only(pk_of("look_back"), anonymous="login"),
    "indicators:look_back_plan": post_only(pk_of("look_back_item"), anonymous="login"),
    "api:list_indicators": api(ALL_ROLES),
    "api:list_leverage": api(ALL_ROLES),
    "api:get_indicator": api(BUSINESS, pk_of("indicator", "indicator_id")),
    "api:get_ranking": api(BUSINESS, pk_of("indicator", "indicator_id")),
    "api:list_values": api(ALL_ROLES),
    "api:submit_value": api(ALL_ROLES),
    "api:transition_value": post_only(api_value_action),
    "api:set_target": post_only(api_target),
    "api:list_look_backs": api(ALL_ROLES),
    "api:get_look_back": api(BUSINESS, pk_of("look_back", "look_back_id")),
}


def build_objects(world) -> None:
    for variant, county, unit in (
        (OWN, world.county, world.unit),
        (FOREIGN, world.foreign_county, world.foreign_unit),
    ):
        indicator = make_indicator(county, unit)
        value = IndicatorValue.objects.create(
            indicator=indicator,
            county=county,
            period=202609,
            value=5,
            status=ValueStatus.VERIFIED,
            source=ValueSource.BULLETIN,
            is_official=True,
        )
        look_back = LookBack.objects.create(county=county, title="回头看")
        item = LookBackItem.objects.create(look_back=look_back, indicator=indicator, start_period=202609)
        world.objects.update(
            {
                ("indicator", variant): indicator,
                ("indicator_value", variant): value,
                ("look_back", variant): look_back,
                ("look_back_item", variant): item,
            }
        )
