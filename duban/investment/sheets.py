"""The lead ledger (招商项目台账) as a sheet: export of the list's filter, template and import.

Contacts are exported only for the leads the user reads in confidence, and phones are always
masked in the file (139****5678); a masked phone in an imported file leaves the stored one alone.
Stage, source unit and contract figures are exported for reading and never imported: stages
move only through the stage-move services.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.audit.services import mask_phone
from duban.org.choices import UnitKind
from duban.org.models import Unit
from duban.sheets.base import Lookup, Sheet, register
from duban.sheets.columns import Column

from . import queries, services
from .choices import Industry, SourceType, Stage
from .filters import LeadFilter
from .models import Lead

READ_ONLY = ("stage", "source_unit", "signed_on", "contract_amount")


def _locations(user) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).filter(kind__in=[UnitKind.TOWN, UnitKind.PARK], is_active=True)


def _sources(user) -> QuerySet[Unit]:
    units = Unit.objects.visible_to(user).filter(is_active=True)
    if policy.grants_of(user).paths({Role.SUPERVISION_OFFICE}):
        return units
    return units.filter(pk__in=policy.grants_of(user).units(UNIT_SCOPED_ROLES))


def _secret(field: str):
    return lambda lead: getattr(lead, field) if lead.may_read else ""


def _public(field: str, name: str):
    def value(lead):
        from .conf import conf

        if lead.may_read or name in (conf("PUBLIC_FIELDS") or ()):
            return getattr(lead, field)
        return None

    return value


LOCATIONS = Lookup(_locations, keys=("code", "name"), label=_("镇街园区"))
SOURCES = Lookup(_sources, keys=("code", "name"), label=_("引进单位"))


@register
class LeadSheet(Sheet):
    key = "investment_leads"
    title = _("招商项目台账")
    model = Lead
    natural_key = "id"
    filterset_class = LeadFilter
    import_roles = frozenset({Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON})
    export_roles = frozenset({Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON, Role.COUNTY_LEADER})
    list_url_name = "investment:lead_list"
    help = _(
        "“线索编号”留空为新登记；填写编号则修改该线索。阶段、签约情况只读，请在线索页面推进阶段。电话导出时已打码，打码的电话导入时不会修改原号码。"
    )
    columns = [
        Column("线索编号", "id", value_type=int, min_value=1, width=10, help=_("新登记的线索留空")),
        Column("项目名称", "project_name", required=True, max_length=100, width=28),
        Column(
            "投资方名称",
            "company_name",
            required=True,
            max_length=100,
            width=28,
            export=_secret("company_name"),
        ),
        Column("统一社会信用代码", "credit_code", max_length=18, width=22, export=_secret("credit_code")),
        Column("投资方来源地", "origin", max_length=64, export=_secret("origin")),
        Column(
            "产业类别", "industry", required=True, choices=Industry, export=_public("industry", "industry")
        ),
        Column("联系人", "contact_person", max_length=32, export=_secret("contact_person")),
        Column(
            "联系电话",
            "contact_phone",
            max_length=20,
            export=lambda lead: (
                mask_phone(lead.contact_phone) if lead.may_read and lead.contact_phone else ""
            ),
        ),
        Column("建设内容", "content", max_length=2000, width=30, export=_secret("content")),
        Column(
            "计划投资（万元）",
            "planned_investment",
            value_type=Decimal,
            required=True,
            decimal_places=2,
            min_value=Decimal("0"),
            export=_public("planned_investment", "amount"),
        ),
        Column(
            "其中省外/外资（万元）",
            "external_investment",
            value_type=Decimal,
            decimal_places=2,
            default=Decimal("0"),
            export=_secret("external_investment"),
        ),
        Column("增资扩产", "is_expansion", value_type=bool, default=False),
        Column(
            "新增投资（万元）",
            "added_investment",
            value_type=Decimal,
            decimal_places=2,
            export=_secret("added_investment"),
        ),
        Column("拟落地镇街园区", "intended_location", required=True, lookup=LOCATIONS, width=20),
        Column("招商方式", "source_type", required=True, choices=SourceType),
        Column("引荐人", "introducer", max_length=64, export=_secret("introducer")),
        Column(
            "预计签约日期", "expected_sign_on", value_type=datetime.date, export=_secret("expected_sign_on")
        ),
        Column(
            "引进单位", "source_unit", lookup=SOURCES, width=20, help=_("督查室登记时必填；联络员默认本单位")
        ),
        Column("阶段", "stage", choices=Stage, export=_public("stage", "stage"), help=_("只读")),
        Column(
            "签约日期", "signed_on", value_type=datetime.date, export=_secret("signed_on"), help=_("只读")
        ),
        Column(
            "合同金额（万元）",
            "contract_amount",
            value_type=Decimal,
            decimal_places=2,
            export=_secret("contract_amount"),
            help=_("只读"),
        ),
    ]

    def export_queryset(self, user) -> QuerySet:
        return queries.leads_for(user, policy.EXPORT).order_by("-registered_on", "-pk")

    def create(self, values: dict[str, Any], *, actor) -> Lead:
        values = self._writable(values)
        source = values.pop("source_unit", None) or self._own_unit(actor)
        return services.create_lead(actor=actor, source_unit=source, **values)

    def update(self, obj, values: dict[str, Any], *, actor) -> Lead:
        values = self._writable(values)
        values.pop("source_unit", None)
        return services.update_lead(obj, actor=actor, **values)

    @staticmethod
    def _writable(values: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in values.items() if k not in (*READ_ONLY, "id") or k == "source_unit"}
        if "*" in (values.get("contact_phone") or ""):
            values.pop("contact_phone")  # a masked export: keep the stored number
        return values

    @staticmethod
    def _own_unit(actor) -> Unit:
        from django.core.exceptions import ValidationError

        own = sorted(policy.grants_of(actor).units(UNIT_SCOPED_ROLES))
        if not own:
            raise ValidationError({"source_unit": [_("请填写引进单位")]})
        return Unit.objects.visible_to(actor).get(pk=own[0])
