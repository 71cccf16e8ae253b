from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县(区)")
    TOWN = "town", _("镇(街道)")
    VILLAGE = "village", _("村(社区)")


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    TOWN = "town", _("镇街")
    PARK = "park", _("园区")
    LEADERSHIP = "leadership", _("领导机构")
