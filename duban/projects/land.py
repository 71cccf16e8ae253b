"""Reads of land quotas: used, pending and remaining per quota, requests in priority order with
the running total against what remains, projects waiting for land (a few queries in all)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from .choices import LandRequestStatus
from .models import LandQuota, LandRequest

OPEN = [LandRequestStatus.REQUESTED, LandRequestStatus.PROPOSED]


@dataclass
class QuotaFigures:
    quota: LandQuota
    pending: Decimal
    requests: list[LandRequest] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.quota.total_mu - self.quota.allocated_mu


def quotas_for(user, year: int | None = None) -> QuerySet[LandQuota]:
    qs = LandQuota.objects.visible_to(user).select_related("county", "land_unit")
    return qs.filter(year=year) if year else qs


def requests_for(user) -> QuerySet[LandRequest]:
    return LandRequest.objects.visible_to(user).select_related("quota", "project__lead_unit", "requested_by")


def figures(user, year: int) -> list[QuotaFigures]:
    """Each quota of the year with its pending area and its requests; a proposed request that
    would not fit in what remains, counting the ones ordered before it, is marked `over`."""
    quotas = list(
        quotas_for(user, year).annotate(pending=Sum("requests__area_mu", filter=Q(requests__status__in=OPEN)))
    )
    rows = list(
        requests_for(user)
        .filter(quota__in=[q.pk for q in quotas])
        .order_by("quota_id", "priority", "created_at")
    )
    result = []
    for quota in quotas:
        pending = (quota.pending or Decimal(0)).quantize(Decimal("0.01"))  # type: ignore[attr-defined]
        item = QuotaFigures(quota, pending)
        running = Decimal(0)
        for row in rows:
            if row.quota_id != quota.pk:
                continue
            if row.status == LandRequestStatus.PROPOSED:
                running += row.area_mu
                row.over = running > item.remaining  # type: ignore[attr-defined]
            item.requests.append(row)
        result.append(item)
    return result
