"""Access rules of the domain modules: tasks, projects, indicators, investment, campaigns."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from ..choices import BUSINESS_ROLES, UNIT_SCOPED_ROLES, Role
from .core import (
    CHANGE,
    CONFIDENTIAL,
    EXPORT,
    NOTHING,
    VIEW,
    GrantSet,
    _paths_q,
    grants_of,
    scope_queryset,
)


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
    q |= Q(Exists(stewards.filter(user=user)))
    units = grants.units(UNIT_SCOPED_ROLES)
    if units:
        q |= Q(lead_unit__in=units) | Q(Exists(stewards.filter(unit__in=units)))
        if action != CHANGE and with_problems:
            q |= Q(Exists(ProblemAssignment.objects.filter(problem__project=OuterRef("pk"), unit__in=units)))
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
        q |= Q(Exists(ProblemAssignment.objects.filter(problem=OuterRef("pk"), unit__in=units)))
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
        return _paths_q(
            f"{prefix}county__path", grants.directory_roots if grants.roles & BUSINESS_ROLES else set()
        )

    return rule


def _campaign_rule(prefix: str) -> Callable[[object, str], Q]:
    # Campaigns, their sheets, groups, nodes and scope are read by every business role of the
    # county and kept by the office (docs/campaigns.md).
    def rule(user, action: str) -> Q:
        grants = grants_of(user)
        if action == CHANGE:
            return _paths_q(f"{prefix}county__path", grants.paths({Role.SUPERVISION_OFFICE}))
        return _paths_q(
            f"{prefix}county__path", grants.directory_roots if grants.roles & BUSINESS_ROLES else set()
        )

    return rule


def _inspection_rule(
    round_field: str, town_q: Callable[[GrantSet, set[int]], Q]
) -> Callable[[object, str], Q]:
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


DOMAIN_RULES: dict[str, Callable[[object, str], Q]] = {
    "indicators.Indicator": lambda user, action: _indicator_scope(user, action, ""),
    "indicators.AnnualTarget": lambda user, action: _indicator_scope(user, action, "indicator__"),
    "indicators.PeriodPlan": lambda user, action: _indicator_scope(user, action, "indicator__"),
    "indicators.IndicatorValue": _indicator_value_rule,
    "indicators.LookBack": _look_back_rule,
    "indicators.LookBackItem": lambda user, action: _look_back_rule(user, action, "look_back__"),
    "tasks.Task": _task_rule,
    "tasks.Meeting": _task_source_rule("meeting"),
    "tasks.Instruction": _task_source_rule("instruction"),
    "tasks.Feedback": _task_feedback_rule,
    "projects.Project": _project_rule,
    "projects.Stewardship": _project_child_rule("project"),
    "projects.InvestmentReport": _project_child_rule("project"),
    "projects.Milestone": _project_child_rule("project"),
    "projects.MilestoneMove": _project_child_rule("milestone__project"),
    "projects.SiteVisit": lambda user, action: (
        _project_child_rule("project")(user, action) | Q(recorded_by=user)
    ),
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
        "pk",
        lambda g, units: Q(ranking_published=True) & _paths_q("campaign__county__path", g.directory_roots),
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
