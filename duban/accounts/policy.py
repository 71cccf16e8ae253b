"""The access policy: the only place that decides who may see or change what.

Every list, detail, export and API endpoint starts from `scope_queryset` (through each
model's `objects.visible_to(user)`) or `get_object_for_user_or_404`. A rule maps
(user, action) to a Q over the model; an object outside it does not exist for that user,
so pages and the API answer 404 for forbidden and missing alike.

Grants are read once per request and cached on the user object; the next request reads
them afresh, so a revoked grant stops working at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .choices import ADMIN_ROLES, BUSINESS_ROLES, UNIT_SCOPED_ROLES, Role

QS = TypeVar("QS", bound=QuerySet)
NOTHING = Q(pk__in=[])
VIEW, CHANGE, EXPORT = "view", "change", "export"
CONFIDENTIAL = "confidential"  # investment leads: contacts and negotiation notes


@dataclass
class GrantSet:
    """The active grants of one user, flattened for building filters."""

    roles: set[str] = field(default_factory=set)
    # role -> region paths (subtree scopes) and unit ids (unit scopes)
    region_paths: dict[str, set[str]] = field(default_factory=dict)
    unit_ids: dict[str, set[int]] = field(default_factory=dict)
    unit_region_paths: dict[str, set[str]] = field(default_factory=dict)
    directory_roots: set[str] = field(default_factory=set)

    def paths(self, roles: Iterable[str]) -> set[str]:
        return set().union(*(self.region_paths.get(r, set()) for r in roles))

    def units(self, roles: Iterable[str]) -> set[int]:
        return set().union(*(self.unit_ids.get(r, set()) for r in roles))


def grants_of(user) -> GrantSet:
    """The user's active grants, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return GrantSet()
    cached = getattr(user, "_duban_grants", None)
    if cached is not None:
        return cached
    from .models import Grant

    result = GrantSet()
    for grant in Grant.objects.active().filter(user=user).select_related("unit__region", "region"):
        result.roles.add(grant.role)
        if grant.unit_id:
            result.unit_ids.setdefault(grant.role, set()).add(grant.unit_id)
            result.unit_region_paths.setdefault(grant.role, set()).add(grant.unit.region.path)
        else:
            result.region_paths.setdefault(grant.role, set()).add(grant.region.path)
    result.directory_roots = _directory_roots(result)
    user._duban_grants = result
    return result


def forget(user) -> None:
    """Drop the cached grants (after a grant change within the same request or test)."""
    if hasattr(user, "_duban_grants"):
        del user._duban_grants


def _directory_roots(grants: GrantSet) -> set[str]:
    """The county (or city) subtrees whose organisation directory a user may read.

    A liaison of a town's unit reads the directory of the whole county it sits in, so it can
    name cooperating units; a city-level grant reads the city.
    """
    from duban.org.choices import RegionLevel
    from duban.org.models import Region

    paths = set()
    for per_role in (grants.region_paths, grants.unit_region_paths):
        for role, role_paths in per_role.items():
            if role in BUSINESS_ROLES:
                paths |= role_paths
    if not paths:
        return set()
    prefixes = {p[: i + 1] for p in paths for i, ch in enumerate(p) if ch == "/" and i > 0}
    levels = dict(Region.objects.filter(path__in=prefixes).values_list("path", "level"))
    roots = set()
    for path in paths:
        ancestors = sorted((p for p in levels if path.startswith(p)), key=len)
        counties = [p for p in ancestors if levels[p] == RegionLevel.COUNTY]
        roots.add(counties[-1] if counties else (ancestors[0] if ancestors else path))
    return roots


def has_role(user, *roles: str) -> bool:
    return bool(grants_of(user).roles.intersection(roles))


def _paths_q(prefix: str, paths: Iterable[str]) -> Q:
    q = NOTHING
    for path in paths:
        q |= Q(**{f"{prefix}__startswith": path})
    return q


def unit_scope_q(user, unit_field: str, roles: Iterable[str] = BUSINESS_ROLES) -> Q:
    """Objects owned by a unit within the scope of the given roles.

    Region-scoped roles (leaders, the office, inspectors) reach every unit in their subtree;
    unit-scoped roles (head, liaison) reach their own unit only.
    """
    grants = grants_of(user)
    roles = set(roles)
    q = _paths_q(f"{unit_field}__region__path", grants.paths(roles - UNIT_SCOPED_ROLES))
    unit_ids = grants.units(roles)
    if unit_ids:
        q |= Q(**{f"{unit_field}__in": unit_ids})
    return q


# --- rules, one function per model: (user, action) -> Q ------------------------------------


def _region_rule(user, action: str) -> Q:
    grants = grants_of(user)
    admin_paths = grants.paths({Role.SYSTEM_ADMIN})
    if action == VIEW:
        readers = grants.paths(ADMIN_ROLES) | grants.directory_roots
        return _paths_q("path", readers)
    return _paths_q("path", admin_paths)


def _unit_rule(user, action: str) -> Q:
    grants = grants_of(user)
    if action == VIEW:
        return _paths_q("region__path", grants.paths(ADMIN_ROLES) | grants.directory_roots)
    return _paths_q("region__path", grants.paths({Role.SYSTEM_ADMIN}))


def _user_rule(user, action: str) -> Q:
    grants = grants_of(user)
    roles = {Role.SYSTEM_ADMIN} if action != VIEW else {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
    admin_paths = grants.paths(roles)
    q = _paths_q("unit__region__path", admin_paths)
    if admin_paths:
        q |= Q(unit__isnull=True)  # administrators' own accounts sit outside the unit tree
    if action == VIEW:
        q |= Q(pk=user.pk)
        heads = grants.units({Role.UNIT_HEAD})
        if heads:
            q |= Q(unit__in=heads)
    elif admin_paths:
        # 三员分立: no administrator changes another administrator's account through the
        # pages (that would let one take over another); the server's `createadmin --reset` does.
        from .models import Grant

        held = Grant.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True, role__in=ADMIN_ROLES)
        q = Q(q, ~Exists(held))
    return q


def _grant_rule(user, action: str) -> Q:
    grants = grants_of(user)
    paths = grants.paths({Role.SECURITY_ADMIN})
    q = _paths_q("user__unit__region__path", paths)
    if paths:
        # A user outside the unit tree (an administrator): the grant's own scope must be in reach.
        q |= Q(user__unit__isnull=True) & _paths_q("region__path", paths)
    if action == VIEW:
        q |= Q(user=user)
    return q


def _audit_rule(user, action: str) -> Q:
    if action in (VIEW, EXPORT) and has_role(user, Role.AUDIT_ADMIN):
        return Q()
    return NOTHING


def _job_rule(user, action: str) -> Q:
    # A job's log and result file are its owner's alone.
    return Q(owner=user)


def _notification_rule(user, action: str) -> Q:
    # Notifications and channel settings are their recipient's alone, administrators included.
    return Q(recipient=user)


def _channel_settings_rule(user, action: str) -> Q:
    return Q(user=user)


def _attachment_rule(user, action: str) -> Q:
    # An attachment follows its owner: seen by whoever may see the object it is attached to,
    # changed (removed) by whoever may change it. Owners are the models registered in
    # duban.attachments.registry; each contributes one subquery over its own rule.
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from duban.attachments.registry import owner_models

    q = NOTHING
    for model in owner_models():
        rule = RULES.get(model._meta.label)
        # An owner may ask for a stricter action to read its files (investment leads: "confidential").
        owner_action = getattr(model, "ATTACHMENT_READ_ACTION", VIEW) if action == VIEW else action
        owner_q = rule(user, owner_action) if rule else NOTHING
        if owner_q == NOTHING:
            continue
        owners = model._default_manager.filter(owner_q).values(_pk_text=Cast("pk", CharField()))
        meta = model._meta
        q |= Q(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id__in=owners
        )
    return q


def _workday_adjustment_rule(user, action: str) -> Q:
    # The calendar is national: any system administrator keeps it. Everyone reads the
    # resulting calendar through duban.core.calendar, never these rows.
    return Q() if has_role(user, Role.SYSTEM_ADMIN) else NOTHING


def _task_rule(user, action: str) -> Q:
    # The office runs every task of its region; leaders read them; a unit sees (and works on)
    # the tasks it leads or cooperates on once assigned, and reads tasks public within its county.
    from duban.tasks.models import TaskUnit

    grants = grants_of(user)
    q = _paths_q("region__path", grants.paths({Role.SUPERVISION_OFFICE}))
    if action == VIEW:
        q |= _paths_q("region__path", grants.paths({Role.COUNTY_LEADER}))
    units = grants.units(UNIT_SCOPED_ROLES)
    if units:
        unit_q = Q(lead_unit__in=units) | Q(
            Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit__in=units))
        )
        if action == VIEW:
            unit_q |= Q(is_public=True) & _paths_q("region__path", grants.directory_roots)
        q |= unit_q & ~Q(status="draft")
    return q


def _task_source_rule(source_field: str) -> Callable[[object, str], Q]:
    # Meetings and instructions: the office keeps them; leaders read them; a unit reads the
    # sources of the tasks it is on (a subquery, so no row is repeated).
    def rule(user, action: str) -> Q:
        from duban.tasks.models import Task

        grants = grants_of(user)
        q = _paths_q("region__path", grants.paths({Role.SUPERVISION_OFFICE}))
        if action == VIEW:
            q |= _paths_q("region__path", grants.paths({Role.COUNTY_LEADER}))
            if grants.units(UNIT_SCOPED_ROLES):
                tasks = scope_queryset(Task.objects.filter(**{f"{source_field}__isnull": False}), user, VIEW)
                q |= Q(pk__in=tasks.values(source_field))
        return q

    return rule


def _task_feedback_rule(user, action: str) -> Q:
    # Seen with its task; changed (evidence attached) by its author only.
    from duban.tasks.models import Task

    if action == VIEW:
        return Q(task__in=scope_queryset(Task.objects.all(), user, VIEW).values("pk"))
    return Q(author=user) if grants_of(user).roles & BUSINESS_ROLES else NOTHING


def project_scope_q(user, action: str, with_problems: bool = True) -> Q:
    # Key projects: the office keeps its county's register; leaders and inspectors read it; the
    # lead unit and the stewards (cadres or units) edit their own projects; a unit with a problem
    # assigned on a project reads that project (and, by _problem_rule, only those problems).
    from duban.projects.models import ProblemAssignment, Stewardship

    grants = grants_of(user)
    q = _paths_q("county__path", grants.paths({Role.SUPERVISION_OFFICE}))
    if action != CHANGE:
        q |= _paths_q("county__path", grants.paths({Role.COUNTY_LEADER, Role.INSPECTOR}))
    if not grants.roles & BUSINESS_ROLES:
        return q
    stewards = Stewardship.objects.filter(project=OuterRef("pk"), end_date__isnull=True)
    q |= Exists(stewards.filter(user=user))
    units = grants.units(UNIT_SCOPED_ROLES)
    if units:
        q |= Q(lead_unit__in=units) | Exists(stewards.filter(unit__in=units))
        if action != CHANGE and with_problems:
            q |= Exists(ProblemAssignment.objects.filter(problem__project=OuterRef("pk"), unit__in=units))
    return q


def _project_rule(user, action: str) -> Q:
    return project_scope_q(user, action)


def _project_child_rule(project_field: str) -> Callable[[object, str], Q]:
    # Milestones, stewards, investment, visits, reports: seen and changed with their project,
    # never through a mere problem assignment.
    def rule(user, action: str) -> Q:
        from duban.projects.models import Project

        projects = Project.objects.filter(project_scope_q(user, action, with_problems=False))
        return Q(**{f"{project_field}__in": projects.values("pk")})

    return rule


def _problem_rule(user, action: str) -> Q:
    # With the project; and a responsible unit sees (and answers) the problems assigned to it.
    from duban.projects.models import ProblemAssignment, Project

    grants = grants_of(user)
    q = Q(project__in=Project.objects.filter(project_scope_q(user, action, with_problems=False)).values("pk"))
    units = grants.units(UNIT_SCOPED_ROLES)
    if units:
        q |= Exists(ProblemAssignment.objects.filter(problem=OuterRef("pk"), unit__in=units))
    if action == CHANGE and grants.roles & BUSINESS_ROLES:
        q |= Q(raised_by=user)
    return q


def _problem_assignment_rule(user, action: str) -> Q:
    from duban.projects.models import Problem

    return Q(problem__in=scope_queryset(Problem.objects.all(), user, VIEW).values("pk"))


def _indicator_scope(user, action: str, prefix: str) -> Q:
    # Indicators (the board, targets, plans) are read by every business role of the county;
    # the supervision office keeps the catalogue.
    grants = grants_of(user)
    if action in (VIEW, EXPORT):
        return _paths_q(f"{prefix}county__path", grants.directory_roots)
    return _paths_q(f"{prefix}county__path", grants.paths({Role.SUPERVISION_OFFICE}))


def _indicator_value_rule(user, action: str) -> Q:
    # Official figures (own county's and peers') are seen by the whole county; drafts and
    # figures under review by the owning unit, the statistics bureau, leaders and the office.
    from duban.indicators.roles import statistics_region_paths

    grants = grants_of(user)
    own = grants.units(UNIT_SCOPED_ROLES)
    stats = _paths_q("indicator__county__path", statistics_region_paths(user)) & ~Q(status="draft")
    q = Q(indicator__owner_unit__in=own) if own else NOTHING
    q |= stats
    if action in (VIEW, EXPORT):
        q |= _paths_q("indicator__county__path", grants.paths({Role.COUNTY_LEADER, Role.SUPERVISION_OFFICE}))
        q |= Q(is_official=True)
        return Q(q, _paths_q("indicator__county__path", grants.directory_roots))
    return q


def _look_back_rule(user, action: str, prefix: str = "") -> Q:
    # A look-back is read by the county; the office runs it, an owning unit changes its own plan.
    grants = grants_of(user)
    if action in (VIEW, EXPORT):
        return _paths_q(f"{prefix}county__path", grants.directory_roots)
    q = _paths_q(f"{prefix}county__path", grants.paths({Role.SUPERVISION_OFFICE}))
    if prefix and grants.units(UNIT_SCOPED_ROLES):
        q |= Q(indicator__owner_unit__in=grants.units(UNIT_SCOPED_ROLES))
    return q


def _lead_q(user, action: str) -> Q:
    # Investment leads (docs/investment.md): the office keeps its county's leads; leaders read
    # them; the source unit, the town/park where it would land and the towns paired with the
    # source department that year work on theirs. Other units of the county see that a lead
    # exists ("view", public fields only) but never its contacts or notes ("confidential").
    from django.db.models.functions import ExtractYear

    from duban.investment.conf import conf
    from duban.investment.models import Pairing

    grants = grants_of(user)
    q = _paths_q("county__path", grants.paths({Role.SUPERVISION_OFFICE}))
    if action != CHANGE:
        q |= _paths_q("county__path", grants.paths({Role.COUNTY_LEADER}))
    units = grants.units(UNIT_SCOPED_ROLES)
    if units:
        paired = Pairing.objects.filter(
            department=OuterRef("source_unit"), partner__in=units, year=ExtractYear(OuterRef("registered_on"))
        )
        q |= Q(source_unit__in=units) | Q(intended_location__in=units) | Q(Exists(paired))
    if action in (VIEW, EXPORT) and conf("PUBLIC_FIELDS") is not None:
        q |= _paths_q("county__path", grants.directory_roots)
    return q


def _lead_child_rule(user, action: str) -> Q:
    # Follow-ups and stage moves carry negotiation notes: read in confidence, written with the lead.
    from duban.investment.models import Lead

    lead_action = CHANGE if action == CHANGE else CONFIDENTIAL
    return Q(lead__in=Lead.objects.filter(_lead_q(user, lead_action)).values("pk"))


def _investment_county_rule(office_reads_only: bool = False) -> Callable[[object, str], Q]:
    # Pairings and targets are read by the whole county and kept by the office; duplicate
    # claims are read by leaders and the office only.
    def rule(user, action: str) -> Q:
        grants = grants_of(user)
        if action == CHANGE:
            return _paths_q("county__path", grants.paths({Role.SUPERVISION_OFFICE}))
        if office_reads_only:
            return _paths_q("county__path", grants.paths({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}))
        return _paths_q("county__path", grants.directory_roots)

    return rule


def _showcase_rule(prefix: str) -> Callable[[object, str], Q]:
    # A showcase tour is read by every business role of its county and run by the office;
    # who may assess a project or score a rehearsal is checked by duban.projects.services.
    def rule(user, action: str) -> Q:
        grants = grants_of(user)
        if action == CHANGE:
            return _paths_q(f"{prefix}county__path", grants.paths({Role.SUPERVISION_OFFICE}))
        return _paths_q(f"{prefix}county__path", grants.directory_roots if grants.roles & BUSINESS_ROLES else set())

    return rule


def _campaign_rule(prefix: str) -> Callable[[object, str], Q]:
    # Campaigns, their sheets, groups, nodes and scope are read by every business role of the
    # county and kept by the office (docs/campaigns.md).
    def rule(user, action: str) -> Q:
        grants = grants_of(user)
        if action == CHANGE:
            return _paths_q(f"{prefix}county__path", grants.paths({Role.SUPERVISION_OFFICE}))
        return _paths_q(f"{prefix}county__path", grants.directory_roots if grants.roles & BUSINESS_ROLES else set())

    return rule


def _inspection_rule(round_field: str, town_q: Callable[[GrantSet, set[int]], Q]) -> Callable[[object, str], Q]:
    # Rounds, sites and scores: the office and leaders see all; an inspector the rounds he is
    # assigned to; a town its own sites' final scores and the published rankings. Who may
    # score (assigned, not his own town, not yet final) is checked by duban.campaigns.services.
    def rule(user, action: str) -> Q:
        from duban.campaigns.models import InspectionRound

        grants = grants_of(user)
        county = ("" if round_field == "pk" else f"{round_field}__") + "campaign__county__path"
        q = _paths_q(county, grants.paths({Role.SUPERVISION_OFFICE}))
        if action == CHANGE:
            return q
        q |= _paths_q(county, grants.paths({Role.COUNTY_LEADER}))
        assigned = InspectionRound.inspectors.through.objects.filter(user=user).values("inspectionround_id")
        q |= Q(**{f"{round_field}__in": assigned})
        # A town's head or liaison: the sites of the campaign towns its unit answers for.
        units = grants.units(UNIT_SCOPED_ROLES)
        return q | town_q(grants, units) if units else q

    return rule


def _deduction_rule(user, action: str) -> Q:
    from duban.campaigns.models import SiteScore

    if action == CHANGE:
        return Q(score__inspector=user, score__status="draft")
    return Q(score__in=scope_queryset(SiteScore.objects.all(), user, VIEW).values("pk"))


def _rectification_rule(user, action: str) -> Q:
    # The office and the town answering it change a rectification order (the town adds the
    # after-photos); leaders and the round's inspectors read it. Verifying is checked by the service.
    from duban.campaigns.models import InspectionRound

    grants = grants_of(user)
    county = "campaign__county__path"
    q = _paths_q(county, grants.paths({Role.SUPERVISION_OFFICE}))
    units = grants.units(UNIT_SCOPED_ROLES)
    if units:
        q |= Q(town__unit__in=units)
    if action == CHANGE:
        return q
    q |= _paths_q(county, grants.paths({Role.COUNTY_LEADER}))
    assigned = InspectionRound.inspectors.through.objects.filter(user=user).values("inspectionround_id")
    return q | Q(deduction__score__site__round__in=assigned)


def _quantity_report_rule(user, action: str) -> Q:
    # Quantities are read by the county; the office and the village's town report them.
    q = _campaign_rule("work_item__campaign__")(user, action)
    units = grants_of(user).units(UNIT_SCOPED_ROLES)
    return q | Q(village__town__unit__in=units) if units and action == CHANGE else q


def _sanction_list_rule(prefix: str) -> Callable[[object, str], Q]:
    # Reward/penalty lists: kept by the office, approved by leaders, read by the county once published.
    def rule(user, action: str) -> Q:
        grants = grants_of(user)
        county = f"{prefix}round__campaign__county__path"
        q = _paths_q(county, grants.paths({Role.SUPERVISION_OFFICE}))
        if action == CHANGE:
            return q
        q |= _paths_q(county, grants.paths({Role.COUNTY_LEADER}))
        return q | (Q(**{f"{prefix}status": "published"}) & _paths_q(county, grants.directory_roots))

    return rule


RULES: dict[str, Callable[[object, str], Q]] = {
    "indicators.Indicator": lambda user, action: _indicator_scope(user, action, ""),
    "indicators.AnnualTarget": lambda user, action: _indicator_scope(user, action, "indicator__"),
    "indicators.PeriodPlan": lambda user, action: _indicator_scope(user, action, "indicator__"),
    "indicators.IndicatorValue": _indicator_value_rule,
    "indicators.LookBack": _look_back_rule,
    "indicators.LookBackItem": lambda user, action: _look_back_rule(user, action, "look_back__"),
    "jobs.Job": _job_rule,
    "attachments.Attachment": _attachment_rule,
    "notifications.Notification": _notification_rule,
    "notifications.ChannelSettings": _channel_settings_rule,
    "core.WorkdayAdjustment": _workday_adjustment_rule,
    "org.Region": _region_rule,
    "org.Unit": _unit_rule,
    "accounts.User": _user_rule,
    "accounts.Grant": _grant_rule,
    "audit.AuditEntry": _audit_rule,
    "tasks.Task": _task_rule,
    "tasks.Meeting": _task_source_rule("meeting"),
    "tasks.Instruction": _task_source_rule("instruction"),
    "tasks.Feedback": _task_feedback_rule,
    "projects.Project": _project_rule,
    "projects.Stewardship": _project_child_rule("project"),
    "projects.InvestmentReport": _project_child_rule("project"),
    "projects.Milestone": _project_child_rule("project"),
    "projects.MilestoneMove": _project_child_rule("milestone__project"),
    "projects.SiteVisit": lambda user, action: _project_child_rule("project")(user, action) | Q(recorded_by=user),
    "projects.SiteVisitor": _project_child_rule("visit__project"),
    "projects.SiteVisitDecision": _project_child_rule("visit__project"),
    "projects.ProgressReport": _project_child_rule("project"),
    "projects.LandQuota": _showcase_rule(""),
    "projects.LandRequest": _showcase_rule("quota__"),
    "projects.Programme": _showcase_rule(""),
    "projects.PlanMilestone": _showcase_rule("programme__"),
    "projects.Problem": _problem_rule,
    "investment.Lead": _lead_q,
    "investment.FollowUp": _lead_child_rule,
    "investment.StageMove": _lead_child_rule,
    "investment.Pairing": _investment_county_rule(),
    "investment.InvestmentTarget": _investment_county_rule(),
    "investment.DuplicateClaim": _investment_county_rule(office_reads_only=True),
    "projects.ProblemAssignment": _problem_assignment_rule,
    "projects.Showcase": _showcase_rule(""),
    "projects.ShowcaseCriterion": _showcase_rule("showcase__"),
    "projects.ShowcaseGap": _showcase_rule("showcase__"),
    "projects.RehearsalScore": _showcase_rule("showcase__"),
    "projects.ReadinessAssessment": _showcase_rule("criterion__showcase__"),
    "campaigns.Campaign": _campaign_rule(""),
    "campaigns.GroupMember": _campaign_rule("campaign__"),
    "campaigns.TimeNode": _campaign_rule("campaign__"),
    "campaigns.CampaignTown": _campaign_rule("campaign__"),
    "campaigns.CampaignVillage": _campaign_rule("campaign__"),
    "campaigns.ScoreSheet": _campaign_rule("campaign__"),
    "campaigns.ScoreItem": _campaign_rule("sheet__campaign__"),
    "campaigns.InspectionRound": _inspection_rule(
        "pk", lambda g, units: Q(ranking_published=True) & _paths_q("campaign__county__path", g.directory_roots)
    ),
    "campaigns.RoundSite": _inspection_rule("round", lambda g, units: Q(village__town__unit__in=units)),
    "campaigns.SiteScore": _inspection_rule(
        "site__round", lambda g, units: Q(status="final", site__village__town__unit__in=units)
    ),
    "campaigns.Deduction": _deduction_rule,
    "campaigns.Rectification": _rectification_rule,
    "campaigns.WorkItem": _campaign_rule("campaign__"),
    "campaigns.QuantityPlan": _campaign_rule("work_item__campaign__"),
    "campaigns.QuantityReport": _quantity_report_rule,
    "campaigns.SanctionRule": _campaign_rule("campaign__"),
    "campaigns.SanctionList": _sanction_list_rule(""),
    "campaigns.Sanction": _sanction_list_rule("sanction_list__"),
}


def register(label: str) -> Callable:
    """Used by policy extensions of later modules that live in this package."""

    def wrap(rule: Callable[[object, str], Q]) -> Callable[[object, str], Q]:
        RULES[label] = rule
        return rule

    return wrap


def scope_queryset(qs: QS, user, action: str = VIEW) -> QS:
    """Restrict `qs` to what `user` may do `action` on. Unknown models are closed."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    rule = RULES.get(qs.model._meta.label)
    if rule is None:
        return qs.none()
    q = rule(user, action)
    if q == NOTHING:
        return qs.none()
    # Rules follow forward foreign keys only, which never multiply rows: no DISTINCT needed.
    return qs.filter(q)


def get_object_for_user_or_404(user, model: type[Model] | QuerySet, pk, action: str = VIEW):
    """The object if `user` may do `action` on it; 404 for missing and forbidden alike."""
    qs = model if isinstance(model, QuerySet) else model._default_manager.all()
    try:
        return scope_queryset(qs, user, action).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def can(user, action: str, obj: Model) -> bool:
    model = type(obj)
    return scope_queryset(model._default_manager.filter(pk=obj.pk), user, action).exists()


def require(user, action: str, obj: Model) -> None:
    """For services: refuse a write the policy does not allow."""
    if not can(user, action, obj):
        raise PermissionDenied(_("无权执行此操作"))


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(_("无权执行此操作"))
