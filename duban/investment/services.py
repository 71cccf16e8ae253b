"""Every write of investment attraction except stage moves (see moves.py). Checked, audited, atomic."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.audit.events import AuditEvent
from duban.org.choices import RegionLevel, UnitKind
from duban.org.models import Region, Unit

from .choices import ClaimStatus, CountMode, TargetBasis
from .conf import conf
from .duplicates import find_matches, flag_duplicates
from .identity import clean_credit_code, normalise_company_name
from .models import DuplicateClaim, FollowUp, InvestmentTarget, Lead, Pairing

LOCATION_KINDS = (UnitKind.TOWN, UnitKind.PARK)
LEAD_FIELDS = [
    "company_name",
    "credit_code",
    "origin",
    "industry",
    "contact_person",
    "contact_phone",
    "project_name",
    "content",
    "planned_investment",
    "external_investment",
    "is_expansion",
    "added_investment",
    "intended_location",
    "follower",
    "source_type",
    "introducer",
    "expected_sign_on",
    "negotiation_notes",
    "funds_in_place",
]
TARGET_FIGURES = ["leads", "signed_projects", "signed_amount", "landed_projects", "funds_in_place"]


def county_of(unit: Unit) -> Region:
    """The county (or district) a unit belongs to: its own region or the nearest county above."""
    path = unit.region.path
    prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/" and i > 0]
    county = Region.objects.filter(path__in=prefixes, level=RegionLevel.COUNTY).order_by("-path").first()
    if county is None:
        raise ValidationError(_("单位“%(unit)s”不属于任何县(区)") % {"unit": unit.name})
    return county


def is_office_of(actor, county: Region) -> bool:
    paths = policy.grants_of(actor).paths({Role.SUPERVISION_OFFICE})
    return any(county.path.startswith(p) for p in paths)


def _require_office(actor, county: Region) -> None:
    if not is_office_of(actor, county):
        raise PermissionDenied(_("只有督查室可以执行此操作"))


def today() -> datetime.date:
    return timezone.localdate()


# --- pairings -----------------------------------------------------------------------------------


def _check_pairing(county: Region, department: Unit, partner: Unit) -> None:
    errors: dict[str, list[str]] = {}
    if department.kind != UnitKind.DEPARTMENT or county_of(department).pk != county.pk:
        errors["department"] = [_("请选择本县的部门")]
    if partner.kind not in LOCATION_KINDS or not partner.region.path.startswith(county.path):
        errors["partner"] = [_("请选择本县的镇街或园区")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_pairing(
    *, actor, year: int, department: Unit, partner: Unit, leader_in_charge=None, note: str = ""
) -> Pairing:
    county = county_of(department)
    _require_office(actor, county)
    _check_pairing(county, department, partner)
    pairing = Pairing(
        county=county,
        year=year,
        department=department,
        partner=partner,
        leader_in_charge=leader_in_charge,
        note=note,
    )
    pairing.full_clean()
    pairing.save()
    fields = ["year", "department", "partner", "leader_in_charge", "note"]
    audit.record(
        AuditEvent.PAIRING_CREATED,
        actor=actor,
        target=pairing,
        changes=audit.diff({}, audit.snapshot(pairing, fields)),
    )
    return pairing


@transaction.atomic
def update_pairing(pairing: Pairing, *, actor, **values: Any) -> Pairing:
    policy.require(actor, policy.CHANGE, pairing)
    fields = [f for f in ("leader_in_charge", "note") if f in values]
    before = audit.snapshot(pairing, fields)
    for name in fields:
        setattr(pairing, name, values[name])
    pairing.full_clean()
    pairing.save(update_fields=[*fields, "updated_at"])
    changes = audit.diff(before, audit.snapshot(pairing, fields))
    if changes:
        audit.record(AuditEvent.PAIRING_CHANGED, actor=actor, target=pairing, changes=changes)
    return pairing


@transaction.atomic
def remove_pairing(pairing: Pairing, *, actor, reason: str) -> None:
    policy.require(actor, policy.CHANGE, pairing)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写撤销原因")]})
    audit.record(AuditEvent.PAIRING_REMOVED, actor=actor, target=pairing, reason=reason)
    pairing.delete()


# --- leads --------------------------------------------------------------------------------------


def _check_source(actor, source_unit: Unit) -> Region:
    county = county_of(source_unit)
    grants = policy.grants_of(actor)
    if source_unit.pk not in grants.units(UNIT_SCOPED_ROLES) and not is_office_of(actor, county):
        raise PermissionDenied(_("只能为本单位登记项目线索"))
    return county


def _check_lead(lead: Lead) -> None:
    """The domain rules a form cannot see. All messages at once, nothing saved."""
    errors: dict[str, list[str]] = {}
    location = lead.intended_location
    if location.kind not in LOCATION_KINDS or not location.region.path.startswith(lead.county.path):
        errors["intended_location"] = [_("拟落地地点必须是本县的镇街或园区")]
    if lead.is_expansion and lead.added_investment is None:
        errors["added_investment"] = [_("增资扩产项目请填写新增投资")]
    if lead.added_investment is not None and lead.added_investment > lead.planned_investment:
        errors["added_investment"] = [_("新增投资不能大于计划投资")]
    if lead.external_investment > lead.planned_investment:
        errors["external_investment"] = [_("其中省外/外资不能大于计划投资")]
    if lead.follower is not None and lead.follower.unit_id not in (
        lead.source_unit_id,
        lead.intended_location_id,
    ):
        errors["follower"] = [_("跟进人应是引进单位或落地镇街园区的工作人员")]
    if errors:
        raise ValidationError(errors)
    same = find_matches(lead, same_unit=True)
    if same:
        other = Lead.objects.get(pk=same[0].lead_id)
        raise ValidationError(
            {
                "company_name": [
                    _("本单位已登记该投资方的项目线索“%(project)s”（%(basis)s），请勿重复登记")
                    % {"project": other.project_name, "basis": same[0].basis}
                ]
            },
            code="duplicate_lead",
        )


def _prepare(lead: Lead) -> None:
    lead.credit_code = clean_credit_code(lead.credit_code)
    lead.normalised_name = normalise_company_name(lead.company_name)
    # The check constraint (external <= planned) is checked by _check_lead, with its field named.
    lead.full_clean(exclude=["normalised_name", "last_activity_on"], validate_constraints=False)
    _check_lead(lead)


@transaction.atomic
def create_lead(*, actor, source_unit: Unit, **values: Any) -> Lead:
    """Register a lead for `source_unit` (the actor's own unit, or any unit for the office)."""
    county = _check_source(actor, source_unit)
    unknown = set(values) - set(LEAD_FIELDS) - {"registered_on"}
    if unknown:
        raise TypeError(f"unknown lead fields: {sorted(unknown)}")
    lead = Lead(county=county, source_unit=source_unit, **values)
    lead.registered_on = values.get("registered_on") or today()
    lead.last_activity_on = lead.registered_on
    _prepare(lead)
    lead.save()
    after = audit.snapshot(lead, ["source_unit", "registered_on", *LEAD_FIELDS])
    audit.record(AuditEvent.LEAD_CREATED, actor=actor, target=lead, changes=audit.diff({}, after))
    flag_duplicates(lead, actor=actor)
    return lead


@transaction.atomic
def update_lead(lead: Lead, *, actor, **values: Any) -> Lead:
    """Change the lead's facts (never its stage: that is a move, see moves.py)."""
    policy.require(actor, policy.CHANGE, lead)
    fields = [f for f in LEAD_FIELDS if f in values]
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(lead, fields)
    for name in fields:
        setattr(lead, name, values[name])
    _prepare(lead)
    changes = audit.diff(before, audit.snapshot(lead, fields))
    if not changes:
        return lead
    lead.save(update_fields=[*fields, "normalised_name", "updated_at"])
    audit.record(AuditEvent.LEAD_CHANGED, actor=actor, target=lead, changes=changes)
    if {"company_name", "credit_code"} & set(changes):
        flag_duplicates(lead, actor=actor)
    return lead


def may_unmask(user, lead: Lead) -> bool:
    unmask_roles = set(conf("UNMASK_ROLES"))
    return policy.has_role(user, *unmask_roles) and policy.can(user, policy.CONFIDENTIAL, lead)


@transaction.atomic
def reveal_contact(lead: Lead, *, actor) -> str:
    """The full phone number, for a role that may see it; every unmasking is audited."""
    if not may_unmask(actor, lead):
        raise PermissionDenied(_("无权查看完整联系电话"))
    audit.record(AuditEvent.LEAD_CONTACT_REVEALED, actor=actor, target=lead, description=str(lead))
    return lead.contact_phone


# --- follow-ups ---------------------------------------------------------------------------------


@transaction.atomic
def add_follow_up(
    lead: Lead,
    *,
    actor,
    date: datetime.date,
    kind: str,
    notes: str,
    next_step: str = "",
    next_contact_on: datetime.date | None = None,
) -> FollowUp:
    policy.require(actor, policy.CHANGE, lead)
    errors: dict[str, list[str]] = {}
    if date > today():
        errors["date"] = [_("跟进日期不能晚于今天")]
    elif date < lead.registered_on:
        errors["date"] = [_("跟进日期不能早于线索登记日期")]
    if next_contact_on and next_contact_on < date:
        errors["next_contact_on"] = [_("下次联系日期不能早于本次跟进日期")]
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp(
        lead=lead,
        date=date,
        kind=kind,
        notes=notes,
        next_step=next_step,
        next_contact_on=next_contact_on,
        author=actor,
    )
    follow_up.full_clean()
    follow_up.save()
    if date > lead.last_activity_on:
        lead.last_activity_on = date
        lead.save(update_fields=["last_activity_on", "updated_at"])
    fields = ["date", "kind", "next_step", "next_contact_on"]
    audit.record(
        AuditEvent.LEAD_FOLLOWED_UP,
        actor=actor,
        target=follow_up,
        parent=lead,
        description=f"{lead}：{follow_up.get_kind_display()}",
        changes=audit.diff({}, audit.snapshot(follow_up, fields)),
    )
    return follow_up


# --- targets ------------------------------------------------------------------------------------


@transaction.atomic
def set_target(
    *, actor, unit: Unit, year: int, basis: str = TargetBasis.SOURCE, **figures: Any
) -> InvestmentTarget:
    """Set (create or change) a unit's yearly targets. The office only."""
    county = county_of(unit)
    _require_office(actor, county)
    if basis == TargetBasis.LOCATION and unit.kind not in LOCATION_KINDS:
        raise ValidationError({"basis": [_("按落地地点考核的目标只能设给镇街或园区")]})
    target, created = InvestmentTarget.objects.get_or_create(
        year=year, unit=unit, basis=basis, defaults={"county": county}
    )
    fields = [f for f in TARGET_FIGURES if f in figures]
    before = {} if created else audit.snapshot(target, fields)
    for name in fields:
        setattr(target, name, figures[name])
    target.full_clean()
    target.save()
    changes = audit.diff(before, audit.snapshot(target, fields))
    if changes or created:
        audit.record(AuditEvent.INVESTMENT_TARGET_SET, actor=actor, target=target, changes=changes)
    return target


# --- duplicate claims ---------------------------------------------------------------------------


@transaction.atomic
def settle_duplicate(
    claim: DuplicateClaim, *, actor, owner: Lead, shared_credit: bool = False, note: str = ""
) -> DuplicateClaim:
    """One lead owns the investor; the other counts for its unit only (shared credit) or not at all."""
    claim = DuplicateClaim.objects.select_for_update().get(pk=claim.pk)
    policy.require(actor, policy.CHANGE, claim)
    if claim.status != ClaimStatus.OPEN:
        raise ValidationError(_("该重复认领已处理"))
    if owner.pk not in (claim.first_id, claim.second_id):
        raise ValidationError({"owner": [_("归属必须是两条线索之一")]})
    other = Lead.objects.get(pk=claim.second_id if owner.pk == claim.first_id else claim.first_id)
    other.count_mode = CountMode.CREDIT if shared_credit else CountMode.NONE
    other.save(update_fields=["count_mode", "updated_at"])
    claim.status, claim.owner, claim.shared_credit = ClaimStatus.SETTLED, owner, shared_credit
    claim.settled_by, claim.settled_at, claim.note = actor, timezone.now(), note
    claim.save()
    audit.record(
        AuditEvent.DUPLICATE_SETTLED,
        actor=actor,
        target=claim,
        changes={
            "status": [ClaimStatus.OPEN, ClaimStatus.SETTLED],
            "owner": [None, str(owner.pk)],
            "shared_credit": [None, shared_credit],
            f"lead{other.pk}.count_mode": [CountMode.FULL, other.count_mode],
        },
        reason=note,
    )
    return claim


@transaction.atomic
def dismiss_duplicate(claim: DuplicateClaim, *, actor, note: str) -> DuplicateClaim:
    """Not the same investor after all: both leads keep counting."""
    claim = DuplicateClaim.objects.select_for_update().get(pk=claim.pk)
    policy.require(actor, policy.CHANGE, claim)
    if claim.status != ClaimStatus.OPEN:
        raise ValidationError(_("该重复认领已处理"))
    if not (note or "").strip():
        raise ValidationError({"note": [_("请说明为何不是重复")]})
    claim.status, claim.settled_by, claim.settled_at, claim.note = (
        ClaimStatus.DISMISSED,
        actor,
        timezone.now(),
        note,
    )
    claim.save()
    audit.record(
        AuditEvent.DUPLICATE_SETTLED,
        actor=actor,
        target=claim,
        changes={"status": [ClaimStatus.OPEN, ClaimStatus.DISMISSED]},
        reason=note,
    )
    return claim
