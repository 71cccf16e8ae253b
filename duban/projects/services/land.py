"""Land quotas: the office sets the year's quota, project units request, the land department
proposes an order, a county leader approves. The remaining quota is always right: an approval
locks the quota row, checks what remains and adds in the database, under a check constraint."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.audit.events import AuditEvent

from ..choices import LAND_TRANSITIONS, LandKind, LandStage, Urgency
from ..models import LandQuota, LandRequest, Project
from .common import is_office_for, require_office, require_unit_in_county, required_text


def _mu(value, field: str, *, positive: bool) -> Decimal:
    try:
        mu = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError({field: [_("请填写面积（亩）")]}) from exc
    if mu < 0 or (positive and mu == 0):
        raise ValidationError({field: [_("面积须大于0") if positive else _("面积不能为负数")]})
    return mu


def is_land_unit(actor, quota: LandQuota) -> bool:
    return quota.land_unit_id in policy.grants_of(actor).units(UNIT_SCOPED_ROLES)


def is_leader_for(actor, county) -> bool:
    return any(county.path.startswith(p) for p in policy.grants_of(actor).paths({Role.COUNTY_LEADER}))


@transaction.atomic
def set_quota(*, actor, county, year: int, kind: str, total_mu, land_unit) -> LandQuota:
    """The office sets (or corrects) a year's quota; it never falls below what is already allocated."""
    require_office(actor, county)
    if kind not in LandKind.values:
        raise ValidationError({"kind": [_("请选择指标类型")]})
    require_unit_in_county(land_unit, county, "land_unit")
    total = _mu(total_mu, "total_mu", positive=False)
    quota = LandQuota.objects.select_for_update().filter(county=county, year=year, kind=kind).first()
    old = None if quota is None else str(quota.total_mu)
    if quota is not None and total < quota.allocated_mu:
        raise ValidationError(
            {"total_mu": [_("指标总量不能少于已安排的%(v)s亩") % {"v": quota.allocated_mu}]}
        )
    quota = quota or LandQuota(county=county, year=year, kind=kind)
    quota.total_mu, quota.land_unit = total, land_unit
    quota.full_clean()
    quota.save()
    audit.record(
        AuditEvent.LAND_QUOTA_SET, actor=actor, target=quota, changes={"total_mu": [old, str(total)]}
    )
    return quota


@transaction.atomic
def request_land(
    project: Project,
    *,
    actor,
    quota: LandQuota,
    area_mu,
    stage: str,
    urgency: str = Urgency.MEDIUM,
    reason: str = "",
) -> LandRequest:
    """Whoever may change the project asks for quota of the project's county."""
    policy.require(actor, policy.CHANGE, project)
    if quota.county_id != project.county_id:
        raise ValidationError({"quota": [_("只能申请本县(区)的土地指标")]})
    if stage not in LandStage.values:
        raise ValidationError({"stage": [_("请选择用地手续阶段")]})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": [_("请选择紧急程度")]})
    request = LandRequest(
        quota=quota,
        project=project,
        area_mu=_mu(area_mu, "area_mu", positive=True),
        stage=stage,
        urgency=urgency,
        reason=(reason or "").strip(),
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    audit.record(
        AuditEvent.LAND_REQUESTED,
        actor=actor,
        target=request,
        parent=project,
        changes=audit.diff({}, audit.snapshot(request, ["quota", "area_mu", "stage", "urgency"])),
        reason=request.reason,
    )
    return request


def _move(request: LandRequest, action: str) -> str:
    sources, target = LAND_TRANSITIONS[action]
    if request.status not in sources:
        raise ValidationError(
            {"__all__": [_("申请当前状态为“%(s)s”，不能执行此操作") % {"s": request.get_status_display()}]}
        )
    return target


@transaction.atomic
def propose_allocation(quota: LandQuota, *, actor, order: Sequence[LandRequest]) -> list[LandRequest]:
    """The land department (or the office) puts the open requests in priority order (1, 2, …)."""
    quota = LandQuota.objects.select_for_update().select_related("county").get(pk=quota.pk)
    if not (is_land_unit(actor, quota) or is_office_for(actor, quota.county)):
        raise PermissionDenied(_("只有自然资源主管部门可以拟定安排方案"))
    ids = [r.pk for r in order]
    if len(set(ids)) != len(ids):
        raise ValidationError({"order": [_("同一申请不能重复排序")]})
    rows = {r.pk: r for r in LandRequest.objects.select_for_update().filter(pk__in=ids, quota=quota)}
    if len(rows) != len(ids):
        raise ValidationError({"order": [_("只能排列本指标的申请")]})
    result = []
    for priority, pk in enumerate(ids, 1):
        row = rows[pk]
        row.status, row.priority = _move(row, "propose"), priority
        row.save(update_fields=["status", "priority", "updated_at"])
        result.append(row)
    audit.record(
        AuditEvent.LAND_ALLOCATION_PROPOSED,
        actor=actor,
        target=quota,
        changes={"order": [None, [f"{r.priority}. {r.project_id}：{r.area_mu}亩" for r in result]]},
    )
    return result


@transaction.atomic
def approve_land_request(request: LandRequest, *, actor, note: str = "") -> LandRequest:
    """A county leader approves: the quota row is locked, what remains is checked, the allocation
    is added in the database; the check constraint refuses anything above the total."""
    request = (
        LandRequest.objects.select_for_update().select_related("quota__county", "project").get(pk=request.pk)
    )
    quota = LandQuota.objects.select_for_update().get(pk=request.quota_id)
    if not is_leader_for(actor, request.quota.county):
        raise PermissionDenied(_("只有县领导可以批准用地指标"))
    request.status = _move(request, "approve")
    if request.area_mu > quota.total_mu - quota.allocated_mu:
        raise ValidationError(
            {
                "area_mu": [
                    _("剩余指标%(r)s亩，不足以安排%(a)s亩")
                    % {"r": quota.total_mu - quota.allocated_mu, "a": request.area_mu}
                ]
            }
        )
    try:
        with transaction.atomic():
            LandQuota.objects.filter(pk=quota.pk).update(allocated_mu=F("allocated_mu") + request.area_mu)
    except IntegrityError as exc:
        raise ValidationError({"area_mu": [_("剩余指标不足")]}) from exc
    request.decided_by, request.decided_at, request.decision_note = (
        actor,
        timezone.now(),
        (note or "").strip(),
    )
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(
        AuditEvent.LAND_REQUEST_APPROVED,
        actor=actor,
        target=request,
        parent=request.project,
        changes={"allocated_mu": [str(quota.allocated_mu), str(quota.allocated_mu + request.area_mu)]},
        reason=request.decision_note,
    )
    return request


@transaction.atomic
def refuse_land_request(request: LandRequest, *, actor, note: str) -> LandRequest:
    request = (
        LandRequest.objects.select_for_update().select_related("quota__county", "project").get(pk=request.pk)
    )
    quota = request.quota
    if not (
        is_leader_for(actor, quota.county) or is_land_unit(actor, quota) or is_office_for(actor, quota.county)
    ):
        raise PermissionDenied(_("无权处理该申请"))
    request.status = _move(request, "refuse")
    request.decision_note = required_text(note, "note", _("不予安排时须说明理由"))
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(
        AuditEvent.LAND_REQUEST_REFUSED,
        actor=actor,
        target=request,
        parent=request.project,
        reason=request.decision_note,
    )
    return request
