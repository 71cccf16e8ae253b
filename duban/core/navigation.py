"""The left navigation: one entry per module, shown to the roles that use it.

A module adds its entry to NAVIGATION when it lands; the shell shows the entries whose
roles intersect the user's roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from duban.accounts.choices import ADMIN_ROLES, BUSINESS_ROLES, Role

WORK_SECTION = _("工作")


@dataclass(frozen=True)
class NavEntry:
    label: StrOrPromise
    url_name: str
    roles: frozenset[str]
    section: StrOrPromise = WORK_SECTION


NAVIGATION: list[NavEntry] = [
    NavEntry(_("待办首页"), "core:home", frozenset(BUSINESS_ROLES | ADMIN_ROLES)),
    NavEntry(_("通知"), "notifications:list", frozenset(BUSINESS_ROLES | ADMIN_ROLES)),
    NavEntry(_("我的后台任务"), "jobs:list", frozenset(BUSINESS_ROLES | ADMIN_ROLES)),
    NavEntry(_("考核指标"), "indicators:board", frozenset(BUSINESS_ROLES), _("考核指标")),
    NavEntry(_("位次靠后指标"), "indicators:lagging", frozenset(BUSINESS_ROLES), _("考核指标")),
    NavEntry(_("回头看"), "indicators:look_back_list", frozenset(BUSINESS_ROLES), _("考核指标")),
    NavEntry(_("重点项目"), "projects:project_list", frozenset(BUSINESS_ROLES), _("重点项目")),
    NavEntry(_("问题台账"), "projects:problem_list", frozenset(BUSINESS_ROLES), _("重点项目")),
    NavEntry(_("观摩活动"), "projects:showcase_list", frozenset(BUSINESS_ROLES), _("重点项目")),
    NavEntry(_("土地指标"), "projects:land_board", frozenset(BUSINESS_ROLES), _("重点项目")),
    NavEntry(_("单位名录"), "org:unit_list", frozenset(BUSINESS_ROLES | {Role.SYSTEM_ADMIN}), _("组织")),
    NavEntry(_("招商引资"), "investment:pipeline", frozenset(BUSINESS_ROLES), _("招商引资")),
    NavEntry(_("项目线索"), "investment:lead_list", frozenset(BUSINESS_ROLES), _("招商引资")),
    NavEntry(
        _("重复认领"),
        "investment:duplicates",
        frozenset({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}),
        _("招商引资"),
    ),
    NavEntry(_("专项行动"), "campaigns:campaign_list", frozenset(BUSINESS_ROLES), _("专项行动")),
    NavEntry(_("行政区划"), "org:region_list", frozenset({Role.SYSTEM_ADMIN}), _("管理")),
    NavEntry(
        _("用户管理"), "accounts:user_list", frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}), _("管理")
    ),
    NavEntry(_("角色授权"), "accounts:grant_list", frozenset({Role.SECURITY_ADMIN}), _("管理")),
    NavEntry(_("表格导入导出"), "sheets:index", frozenset({Role.SYSTEM_ADMIN}), _("管理")),
    NavEntry(_("审计日志"), "audit:entry_list", frozenset({Role.AUDIT_ADMIN}), _("管理")),
    NavEntry(_("工作日历"), "core:calendar", frozenset({Role.SYSTEM_ADMIN}), _("管理")),
    # supervised tasks
    NavEntry(_("我的督办"), "tasks:inbox", frozenset(BUSINESS_ROLES - {Role.INSPECTOR}), _("督办")),
    NavEntry(
        _("督办台账"), "tasks:board", frozenset({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}), _("督办")
    ),
    NavEntry(
        _("会议与批示"),
        "tasks:meeting_list",
        frozenset({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}),
        _("督办"),
    ),
    NavEntry(
        _("办理时效排名"),
        "tasks:ranking",
        frozenset({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}),
        _("督办"),
    ),
    # end supervised tasks
]


# The menu shows sections in this order whatever order modules appended their entries in.
SECTION_ORDER = ["工作", "督办", "重点项目", "考核指标", "招商引资", "专项行动", "组织", "管理"]


def _section_rank(entry: NavEntry) -> int:
    with translation.override("zh-hans"):  # sections are ordered by their source (Chinese) names
        key = str(entry.section)
    return SECTION_ORDER.index(key) if key in SECTION_ORDER else len(SECTION_ORDER)


def entries_for(roles: set[str]) -> list[NavEntry]:
    return sorted((entry for entry in NAVIGATION if entry.roles & roles), key=_section_rank)
