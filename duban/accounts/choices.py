"""Roles. Codes are used in the API and CLI; labels are what pages show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_LEADER = "county_leader", _("县领导")
    SUPERVISION_OFFICE = "supervision_office", _("督查室")
    UNIT_HEAD = "unit_head", _("单位主要负责人")
    UNIT_LIAISON = "unit_liaison", _("单位联络员")
    INSPECTOR = "inspector", _("检查员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三员分立: the three administrators are mutually exclusive and hold no business role.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Roles whose scope is one unit; the others are scoped to a region subtree.
UNIT_SCOPED_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_LIAISON})
