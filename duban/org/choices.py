from django.db import models


class RegionLevel(models.TextChoices):
    CITY = "city", "市"
    COUNTY = "county", "县(区)"
    TOWN = "town", "镇(街道)"
    VILLAGE = "village", "村(社区)"


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "部门"
    TOWN = "town", "镇街"
    PARK = "park", "园区"
    LEADERSHIP = "leadership", "领导机构"
