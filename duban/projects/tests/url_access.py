"""The key projects' rows for the URL walk (tests/test_url_walk.py).

Who may open what (docs/projects.md, policy rules `projects.*`): the office keeps its county's
register; county leaders and inspectors read it; the lead unit (head, liaison) reads and changes
its own projects. Showcases, land quotas and programmes are read by every business role of the
county and run by the office. The three administrators see no project. The "own" project is led
by the fixture unit 商务局 and located in a town of the fixture county.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_region, make_unit
from duban.projects import services
from duban.projects.choices import LandKind, LandStage, ProblemKind
from duban.projects.factories import make_showcase, project_values
from duban.projects.services import land, programmes, reports, visits
from tests.url_access import ALL_ROLES, BUSINESS, FOREIGN, OWN, api, page, pk_of, post_only

OFFICE = {Role.SUPERVISION_OFFICE}
READERS = {Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER, Role.INSPECTOR}
LEAD_UNIT = {Role.UNIT_HEAD, Role.UNIT_LIAISON}
CHANGERS = OFFICE | LEAD_UNIT
ON_PROJECT = READERS | LEAD_UNIT


def with_action(kind: str, action: str, name: str = "pk"):
    def kwargs(world, variant: str) -> dict:
        return {name: world.get(kind, variant).pk, "action": action}

    return kwargs


def assess(world, variant: str) -> dict:
    return {"pk": world.get("showcase", variant).pk, "project_pk": world.get("project", variant).pk}


ACCESS = {
    # Registers render (empty) for anyone signed in; they hold only what the user sees.
    "projects:project_list": page(ALL_ROLES),
    "projects:project_create": page(CHANGERS),
    "projects:project_detail": page(ON_PROJECT, pk_of("project")),
    "projects:project_edit": page(CHANGERS, pk_of("project")),
    "projects:project_confirm": post_only(pk_of("project"), anonymous="login"),
    "projects:project_stewards": page(ON_PROJECT, pk_of("project")),
    "projects:project_investment": page(ON_PROJECT, pk_of("project")),
    "projects:project_reports": page(ON_PROJECT, pk_of("project")),
    "projects:steward_end": post_only(pk_of("steward"), anonymous="login"),
    "projects:steward_list": page(ALL_ROLES),
    "projects:milestone_detail": page(ON_PROJECT, pk_of("milestone")),
    "projects:milestone_action": post_only(with_action("milestone", "reach"), anonymous="login"),
    "projects:move_decide": post_only(with_action("move", "approve"), anonymous="login"),
    "projects:problem_list": page(ALL_ROLES),
    "projects:problem_create": page(ON_PROJECT, pk_of("project", "project_pk")),
    "projects:problem_detail": page(ON_PROJECT, pk_of("problem")),
    "projects:problem_action": post_only(with_action("problem", "answer"), anonymous="login"),
    "projects:visit_list": page(ALL_ROLES),
    # A visit is recorded by the office, a county leader or whoever may change the project.
    "projects:visit_create": page(CHANGERS | {Role.COUNTY_LEADER}, pk_of("project", "project_pk")),
    "projects:visit_detail": page(ON_PROJECT, pk_of("visit")),
    "projects:decision_convert": post_only(pk_of("decision"), anonymous="login"),
    "projects:report_detail": page(ON_PROJECT, pk_of("report")),
    "projects:report_action": post_only(with_action("report", "approve"), anonymous="login"),
    "projects:land_board": page(ALL_ROLES),  # holds only the quotas the user sees
    "projects:land_decide": post_only(with_action("land_request", "approve"), anonymous="login"),
    "projects:programme_list": page(ALL_ROLES),
    "projects:programme_detail": page(BUSINESS, pk_of("programme")),
    "projects:plan_step_reach": post_only(pk_of("plan_step"), anonymous="login"),
    "projects:showcase_list": page(ALL_ROLES),
    "projects:showcase_create": page(OFFICE),
    "projects:showcase_board": page(BUSINESS, pk_of("showcase")),
    "projects:showcase_edit": page(OFFICE, pk_of("showcase")),
    "projects:showcase_rehearsal": page(BUSINESS, pk_of("showcase")),
    # Readers see the readiness; the services decide who may assess.
    "projects:showcase_assess": page(ON_PROJECT, assess),
    "projects:gap_convert": post_only(pk_of("gap"), anonymous="login"),
    # API: create_* share their path with list_*, update_project (PATCH) with get_project, so a
    # GET there is the list or the detail.
    "api:list_projects": api(ALL_ROLES),
    "api:create_project": api(ALL_ROLES),
    "api:get_project": api(ON_PROJECT, pk_of("project", "project_id")),
    "api:update_project": api(ON_PROJECT, pk_of("project", "project_id")),
    "api:list_milestones": api(ON_PROJECT, pk_of("project", "project_id")),
    "api:list_problems": api(ALL_ROLES),
    "api:create_problem": api(ALL_ROLES),
    "api:get_problem": api(ON_PROJECT, pk_of("problem", "problem_id")),
    "api:problem_action": post_only(with_action("problem", "answer", "problem_id")),
    "api:list_site_visits": api(ALL_ROLES),
    "api:create_site_visit": api(ALL_ROLES),
    "api:get_site_visit": api(ON_PROJECT, pk_of("visit", "visit_id")),
    "api:list_showcases": api(ALL_ROLES),
    "api:get_showcase": api(BUSINESS, pk_of("showcase", "showcase_id")),
    "api:list_land_quotas": api(ALL_ROLES),
    "api:list_land_requests": api(ALL_ROLES),
    "api:create_land_request": api(ALL_ROLES),
    "api:decide_land_request": post_only(with_action("land_request", "approve", "request_id")),
    "api:list_programmes": api(ALL_ROLES),
    "api:get_programme": api(BUSINESS, pk_of("programme", "programme_id")),
}


def build_objects(world) -> None:
    """In each county a town, a city-showcase project led by the county's 商务局 (confirmed, with a
    pending milestone move, a steward unit, a problem assigned to 商务局, a site visit with one
    decision and a progress report), a land quota with a request, a programme and a showcase
    tour with a gap."""
    today = timezone.localdate()
    own = (
        world.users[Role.SUPERVISION_OFFICE],
        world.users[Role.COUNTY_LEADER],
        world.users[Role.UNIT_LIAISON],
    )
    foreign = (
        make_user_with_role(Role.SUPERVISION_OFFICE, region=world.foreign_county, unit=world.foreign_unit),
        make_user_with_role(Role.COUNTY_LEADER, region=world.foreign_county, unit=world.foreign_unit),
        world.stranger,
    )
    for variant, county, unit, (office, leader, liaison) in (
        (OWN, world.county, world.unit, own),
        (FOREIGN, world.foreign_county, world.foreign_unit, foreign),
    ):
        town_region = make_region(f"{county.name}项目镇", level=RegionLevel.TOWN, parent=county)
        town = make_unit(f"{county.name}项目镇人民政府", region=town_region, kind=UnitKind.TOWN)
        shape = SimpleNamespace(town=town, dept=unit, leader=leader)
        project = services.create_project(actor=office, **project_values(shape, year=today.year))
        services.confirm_project(project, actor=office)
        milestone = project.milestones.order_by("planned_date").first()
        move = services.request_move(
            milestone,
            actor=liaison,
            new_date=milestone.planned_date + datetime.timedelta(days=7),
            reason="手续延误",
        )
        steward = services.assign_steward(project, actor=office, start_date=today, unit=town)
        problem = services.raise_problem(
            project, actor=office, kind=ProblemKind.LAND, title="用地未落实", units=[unit], working_days=5
        )
        visit = visits.record_site_visit(
            project, actor=office, date=today, notes="主体施工中", leader=leader, decisions=["加快供地"]
        )
        report = reports.submit_report(
            project,
            actor=liaison,
            day=today,
            progress="主体施工",
            investment=Decimal("100"),
            image_progress=40,
        )
        quota = land.set_quota(
            actor=office,
            county=county,
            year=today.year,
            kind=LandKind.NEW_CONSTRUCTION,
            total_mu=Decimal("100"),
            land_unit=unit,
        )
        land_request = land.request_land(
            project,
            actor=office,
            quota=quota,
            area_mu=Decimal("10"),
            stage=LandStage.PRE_REVIEW,
            reason="厂房",
        )
        programme = programmes.create_programme(
            actor=office,
            county=county,
            name="城东新区规划建设",
            headquarters=unit,
            plan_start=datetime.date(today.year, 1, 1),
            plan_end=datetime.date(today.year, 12, 31),
        )
        showcase = make_showcase(shape_county(county, office), date=today + datetime.timedelta(days=30))
        gap = services.add_gap(
            showcase,
            project,
            actor=office,
            what="展板未制作",
            owner_unit=unit,
            due_date=today + datetime.timedelta(days=20),
        )
        world.objects.update(
            {
                ("project", variant): project,
                ("milestone", variant): milestone,
                ("move", variant): move,
                ("steward", variant): steward,
                ("problem", variant): problem,
                ("visit", variant): visit,
                ("decision", variant): visit.decisions.get(),
                ("report", variant): report,
                ("land_request", variant): land_request,
                ("programme", variant): programme,
                ("plan_step", variant): programme.plan_milestones.first(),
                ("showcase", variant): showcase,
                ("gap", variant): gap,
            }
        )


def shape_county(county, office) -> SimpleNamespace:
    """What make_showcase needs of a factories.County."""
    return SimpleNamespace(region=county, office=office)
