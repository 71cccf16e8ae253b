"""Walk every URL pattern of duban.urls anonymously and as each role, and classify every answer.

For each pattern, an Access row says who may get a 2xx answer for an object of the fixture county
("own"); nobody may get one for the same kind of object in a foreign county. Every other answer
must be a refusal: 302 to the login page (anonymous), 401 (API, anonymous), 403, 404, 405 or a
redirect elsewhere; another county's object answers 404 (or 405), never 403. The walk fails on
- a URL pattern that no Access row lists (a new module adds its rows, see tests/url_access.py),
- a listed pattern that no longer exists,
- an unexpected 2xx (a liaison reading an admin page, anyone reading another county's object),
- a role listed as allowed that does not get its 2xx (a broken page shows up here too),
- anonymous visitors not sent to the login page (401 for the API), and any 5xx.

The platform's rows are below (PLATFORM_ACCESS); each module's rows are in
duban/<app>/tests/url_access.py. Only GET is walked. To see what the code answers today:
    DUBAN_URL_WALK_SHOW=1 .venv/bin/pytest -q -s tests/test_url_walk.py -k show
"""

from __future__ import annotations

import datetime
import importlib
import os
from collections.abc import Iterator
from types import ModuleType

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user, make_user_with_role
from duban.accounts.models import Grant
from duban.attachments.factories import make_attachment
from duban.audit.models import AuditEntry
from duban.core.calendar.services import add_adjustment
from duban.jobs.models import Job
from duban.notifications.services import notify
from duban.org.factories import make_county, make_unit
from tests.url_access import (
    ALL_ROLES,
    ANONYMOUS,
    AUDITOR,
    FOREIGN,
    NOBODY,
    OWN,
    SECURITY,
    SUBJECTS,
    SYSTEM,
    Access,
    World,
    api,
    page,
    pk_of,
    post_only,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- modules' own rows


def module_extensions() -> list[ModuleType]:
    """`duban.<app>.tests.url_access` of every installed duban app that has one."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("duban."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.tests.url_access"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.url_access"):
                raise
    return found


# ---------------------------------------------------------------------------- the fixture county


def build_world(tmp_path) -> World:
    county, foreign_county = make_county("示范县"), make_county("外县")
    unit = make_unit("商务局", region=county)
    foreign_unit = make_unit("外县商务局", region=foreign_county)
    world = World(county=county, foreign_county=foreign_county, unit=unit, foreign_unit=foreign_unit)
    for role in Role:
        if role in (Role.UNIT_HEAD, Role.UNIT_LIAISON):
            world.users[role.value] = make_user_with_role(role, unit=unit)
        else:
            world.users[role.value] = make_user_with_role(role, unit=unit, region=county)
    liaison = world.users[Role.UNIT_LIAISON]
    stranger = make_user_with_role(Role.UNIT_LIAISON, unit=foreign_unit)
    colleague = make_user(unit=unit)
    foreign_admin = make_user_with_role(Role.SYSTEM_ADMIN, region=foreign_county)
    world.stranger, world.foreign_admin = stranger, foreign_admin
    objects = {
        ("unit", OWN): unit,
        ("unit", FOREIGN): foreign_unit,
        ("region", OWN): county,
        ("region", FOREIGN): foreign_county,
        ("user", OWN): colleague,
        ("user", FOREIGN): stranger,
        ("grant", OWN): Grant.objects.get(user=liaison),
        ("grant", FOREIGN): Grant.objects.get(user=stranger),
        ("audit", OWN): AuditEntry.objects.filter(target_type="org.Unit", target_id=str(unit.pk)).first(),
        ("audit", FOREIGN): AuditEntry.objects.filter(
            target_type="org.Unit", target_id=str(foreign_unit.pk)
        ).first(),
        # Jobs and notifications belong to a person: "own" is the liaison's.
        ("job", OWN): Job.objects.create(kind="tests.walk", title="导出", owner=liaison),
        ("job", FOREIGN): Job.objects.create(kind="tests.walk", title="导出", owner=stranger),
        ("notification", OWN): notify([liaison], kind="tests.walk", title="提醒")[0],
        ("notification", FOREIGN): notify([stranger], kind="tests.walk", title="提醒")[0],
        ("attachment", OWN): make_attachment(unit, actor=world.users[Role.SYSTEM_ADMIN]),
        ("attachment", FOREIGN): make_attachment(foreign_unit, actor=foreign_admin),
        ("adjustment", OWN): add_adjustment(
            actor=None,
            date=datetime.date(2031, 10, 11),
            is_workday=True,
            name="国庆调休",
            check_access=False,
        ),
    }
    assert all(value is not None for value in objects.values())
    world.objects.update(objects)
    for module in module_extensions():
        if hasattr(module, "build_objects"):
            module.build_objects(world)
    return world


def attachment_owner(world: World, variant: str) -> dict:
    return {"label": "org.unit", "object_id": str(world.get("unit", variant).pk)}


def sheet(world: World, variant: str) -> dict:
    # A sheet is not a county's object; the foreign twin is a key that names no sheet.
    return {"key": "units" if variant == OWN else "no-such-sheet"}


def sheet_export(world: World, variant: str) -> dict:
    return {**sheet(world, variant), "fmt": "xlsx"}


def sheet_token(world: World, variant: str) -> dict:
    return {**sheet(world, variant), "token": "not-a-staged-import"}


def sheet_job(world: World, variant: str) -> dict:
    return {**sheet(world, OWN), **pk_of("job", "job_id")(world, variant)}


# ---------------------------------------------------------------------------- the classification


PLATFORM_ACCESS: dict[str, Access] = {
    # core
    "core:home": page(ALL_ROLES),
    "core:calendar": page(ALL_ROLES),
    "core:calendar_adjustments": page(SYSTEM),
    "core:calendar_adjustment_add": post_only(anonymous="login"),
    "core:calendar_adjustment_import": post_only(anonymous="login"),
    "core:calendar_adjustment_delete": post_only(pk_of("adjustment"), anonymous="login"),
    "set_language": page(NOBODY, anonymous="redirect"),  # GET only bounces back
    # accounts: the login page is public; the second step without a first one goes back to it
    "accounts:login": page(NOBODY, anonymous="ok"),
    "accounts:login_otp": page(NOBODY),
    "accounts:logout": post_only(),
    "accounts:profile": page(ALL_ROLES),
    "accounts:password_change": page(ALL_ROLES),
    "accounts:otp_setup": page(ALL_ROLES),
    "accounts:otp_disable": page(ALL_ROLES),
    "accounts:user_list": page(SYSTEM | SECURITY),
    "accounts:user_create": page(SYSTEM),
    "accounts:user_detail": page(SYSTEM | SECURITY, pk_of("user")),
    "accounts:user_edit": page(SYSTEM, pk_of("user")),
    "accounts:user_set_active": page(SYSTEM, pk_of("user")),
    "accounts:user_reset_password": page(SYSTEM, pk_of("user")),
    "accounts:user_reset_otp": post_only(pk_of("user")),
    "accounts:grant_list": page(SECURITY),
    "accounts:grant_create": page(SECURITY),
    "accounts:grant_revoke": page(SECURITY, pk_of("grant")),
    # org: the unit directory is for everybody in scope, administration for the system admin
    "org:unit_list": page(ALL_ROLES),
    "org:unit_create": page(SYSTEM),
    "org:unit_detail": page(ALL_ROLES, pk_of("unit")),
    "org:unit_edit": page(SYSTEM, pk_of("unit")),
    "org:unit_set_active": post_only(pk_of("unit"), anonymous="login"),
    "org:region_list": page(SYSTEM),
    "org:region_create": page(SYSTEM, pk_of("region", "parent_pk")),
    "org:region_edit": page(SYSTEM, pk_of("region")),
    # audit: the audit administrator only. policy._audit_rule gives them the whole trail, whatever
    # their grant's scope, so the foreign county's entries are readable too.
    "audit:entry_list": page(AUDITOR),
    "audit:entry_detail": page(AUDITOR, pk_of("audit"), foreign_ok=AUDITOR),
    "audit:export_csv": page(AUDITOR),
    "audit:export_xlsx": page(AUDITOR),
    # jobs: the owner only ("own" is the liaison's job)
    "jobs:list": page(ALL_ROLES),
    "jobs:detail": page({Role.UNIT_LIAISON}, pk_of("job")),
    "jobs:status": page({Role.UNIT_LIAISON}, pk_of("job")),
    "jobs:download": page(NOBODY, pk_of("job")),  # the job has no result file
    # sheets: the units register is the system admin's; an unknown key or token is 404
    "sheets:index": page(ALL_ROLES),
    "sheets:template": page(SYSTEM, sheet),
    "sheets:export": page(SYSTEM, sheet_export),
    "sheets:import": page(SYSTEM, sheet),
    "sheets:import_confirm": post_only(sheet_token, anonymous="login"),
    "sheets:import_job": page(NOBODY, sheet_job),  # the job is not an import of this sheet
    # attachments of a unit: whoever may see the unit
    "attachments:panel": page(ALL_ROLES, attachment_owner),
    "attachments:upload": post_only(attachment_owner, anonymous="login"),
    "attachments:download": page(ALL_ROLES, pk_of("attachment")),
    "attachments:image": page(ALL_ROLES, pk_of("attachment")),
    "attachments:thumbnail": page(ALL_ROLES, pk_of("attachment")),
    "attachments:remove": post_only(pk_of("attachment"), anonymous="login"),
    # notifications: the recipient only ("own" is the liaison's); opening one goes to its target
    "notifications:list": page(ALL_ROLES),
    "notifications:bell": page(ALL_ROLES),
    "notifications:mark_all_read": post_only(anonymous="login"),
    "notifications:settings": page(ALL_ROLES),
    "notifications:mark_read": post_only(pk_of("notification"), anonymous="login"),
    "notifications:open": page({Role.UNIT_LIAISON}, pk_of("notification"), answer="redirect"),
    # API (bearer token or session). create_*/update_* share their path with list_*/get_*,
    # so a GET there is the list or the detail.
    "api:api-root": page(NOBODY, anonymous="404"),
    "api:openapi-json": page(ALL_ROLES, anonymous="ok"),
    "api:openapi-view": page(ALL_ROLES, anonymous="ok"),
    "api:create_token": post_only(),
    "api:delete_token": post_only(),
    "api:me": api(ALL_ROLES),
    "api:list_regions": api(ALL_ROLES),
    "api:create_region": api(ALL_ROLES),
    "api:get_region": api(ALL_ROLES, pk_of("region", "region_id")),
    "api:update_region": api(ALL_ROLES, pk_of("region", "region_id")),
    "api:list_units": api(ALL_ROLES),
    "api:create_unit": api(ALL_ROLES),
    "api:get_unit": api(ALL_ROLES, pk_of("unit", "unit_id")),
    "api:update_unit": api(ALL_ROLES, pk_of("unit", "unit_id")),
}

# Another county's object must answer 404, never 403 (a 403 confirms that the id exists).
# Known exceptions, to be fixed in their module (the walk fails once one answers 404, so that
# it is taken off this list):
FOREIGN_403_KNOWN: set[tuple[str, str]] = set()


def all_access() -> dict[str, Access]:
    """The platform's rows and every module's, each pattern listed once."""
    rows = dict(PLATFORM_ACCESS)
    for module in module_extensions():
        for name, rule in getattr(module, "ACCESS", {}).items():
            assert name not in rows, f"{name} is classified twice ({module.__name__})"
            rows[name] = rule
    return rows


ACCESS = all_access()


# ---------------------------------------------------------------------------- walking


def url_names(patterns=None, namespace: str = "") -> Iterator[str]:
    """The name of every URL pattern, namespaced as reverse() wants it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def classify(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "ok"
    if 300 <= code < 400:
        login = reverse(settings.LOGIN_URL)
        return "login" if response["Location"].split("?")[0].endswith(login) else "redirect"
    return str(code)


REFUSED = {"403", "404", "405", "redirect", "login"}
FOREIGN_REFUSED = {"404", "405"}


def expected(name: str, rule: Access, subject: str, variant: str) -> set[str]:
    if subject == ANONYMOUS:
        return {rule.anonymous}
    if variant == OWN:
        return {rule.answer} if subject in rule.ok else REFUSED
    if subject in rule.foreign_ok:
        return {rule.answer}
    return {"403"} if (name, subject) in FOREIGN_403_KNOWN else FOREIGN_REFUSED


def walk(client, world: World, subject: str) -> list[str]:
    """Every (pattern, variant) answer for `subject`; returns the mismatches as readable lines."""
    problems = []
    if subject != ANONYMOUS:
        client.force_login(world.users[subject])
    for name in sorted(ACCESS):
        rule = ACCESS[name]
        for variant in (OWN, FOREIGN) if rule.kwargs else (OWN,):
            url = reverse(name, kwargs=rule.kwargs(world, variant) if rule.kwargs else None)
            got = classify(client.get(url))
            want_set = expected(name, rule, subject, variant)
            if got not in want_set:
                want = "|".join(sorted(want_set))
                problems.append(f"{subject:18} {variant:7} {name:40} {url:50} got {got}, expected {want}")
    return problems


def test_every_url_pattern_is_classified():
    """A new URL pattern must get an Access row (and a removed one lose it)."""
    names = set(url_names())
    missing = sorted(names - set(ACCESS))
    assert not missing, (
        "unclassified URL patterns (add them to duban/<app>/tests/url_access.py, see tests/url_access.py):\n  "
        + "\n  ".join(missing)
    )
    stale = sorted(set(ACCESS) - names)
    assert not stale, f"Access rows for patterns that no longer exist: {stale}"


@pytest.mark.parametrize("subject", SUBJECTS)
def test_walk_every_url_as(subject, client, tmp_path, settings):
    """Every pattern answers this subject as ACCESS says: 2xx only where allowed, never for the
    foreign county's objects, the login page (or 401) for anonymous visitors."""
    settings.MEDIA_ROOT = tmp_path / "files"
    world = build_world(tmp_path)

    problems = walk(client, world, subject)

    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.skipif(not os.environ.get("DUBAN_URL_WALK_SHOW"), reason="set DUBAN_URL_WALK_SHOW=1 to print")
def test_show_what_every_url_answers(client, tmp_path, settings):
    """Prints the answer matrix (pattern x subject, own/foreign) to help extend ACCESS."""
    settings.MEDIA_ROOT = tmp_path / "files"
    world = build_world(tmp_path)
    rows = {}
    for subject in SUBJECTS:
        client.logout()
        if subject != ANONYMOUS:
            client.force_login(world.users[subject])
        for name in sorted(set(url_names()) & set(ACCESS)):
            rule = ACCESS[name]
            cells = []
            for variant in (OWN, FOREIGN) if rule.kwargs else (OWN,):
                url = reverse(name, kwargs=rule.kwargs(world, variant) if rule.kwargs else None)
                cells.append(classify(client.get(url)))
            rows.setdefault(name, []).append("/".join(cells))
    print("\n" + " " * 40 + " ".join(f"{s[:9]:>9}" for s in SUBJECTS))
    for name, cells in rows.items():
        print(f"{name:40}" + " ".join(f"{c:>9}" for c in cells))
