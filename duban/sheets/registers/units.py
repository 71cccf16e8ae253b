"""The unit register as a sheet: a system administrator imports and exports the units of their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duban.accounts.choices import Role
from duban.org import services
from duban.org.choices import UnitKind
from duban.org.filters import UnitFilter
from duban.org.models import Unit
from duban.org.queries import leader_choices, unit_choice_regions
from duban.org.validators import validate_code, validate_no_control_chars

from ..base import Lookup, Sheet, register
from ..columns import Column

REGIONS = Lookup(unit_choice_regions, keys=("code", "name"), label=_("区划"))
LEADERS = Lookup(leader_choices, keys=("username",), label=_("县领导"), display="username", code="username")


@register
class UnitSheet(Sheet):
    key = "units"
    title = _("单位")
    model = Unit
    natural_key = "code"
    filterset_class = UnitFilter
    import_roles = frozenset({Role.SYSTEM_ADMIN})
    export_roles = frozenset({Role.SYSTEM_ADMIN})
    list_url_name = "org:unit_list"
    help = _("按“单位代码”识别单位：代码已存在的行修改该单位，不存在的行新建单位。停用单位请在单位页面操作。")
    columns = [
        Column(
            "单位名称",
            "name",
            required=True,
            max_length=64,
            width=28,
            validators=(validate_no_control_chars,),
            example="县发展和改革局",
        ),
        Column(
            "简称", "short_name", max_length=32, validators=(validate_no_control_chars,), example="发改局"
        ),
        Column(
            "单位代码",
            "code",
            required=True,
            max_length=32,
            validators=(validate_code,),
            help=_("唯一，用于识别单位；只能包含字母、数字、下划线和短横线"),
            example="FGJ",
        ),
        Column("类型", "kind", required=True, choices=UnitKind, width=12, example="部门"),
        Column("所在区划", "region", required=True, lookup=REGIONS, width=20, example="城关镇"),
        Column(
            "分管领导账号",
            "leader_in_charge",
            lookup=LEADERS,
            width=16,
            help=_("县领导的登录用户名"),
        ),
        Column(
            "排序", "sort_order", value_type=int, min_value=0, max_value=2_000_000_000, default=0, width=8
        ),
    ]

    def export_queryset(self, user) -> QuerySet:
        return super().export_queryset(user).select_related("region", "leader_in_charge")

    def create(self, values: dict[str, Any], *, actor) -> Unit:
        return services.create_unit(actor=actor, **values)

    def update(self, obj, values: dict[str, Any], *, actor) -> Unit:
        values.pop("code", None)  # the natural key identifies the unit; it is never changed here
        return services.update_unit(obj, actor=actor, **values)
