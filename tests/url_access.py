"""The vocabulary of the URL walk (tests/test_url_walk.py), for every module to classify its URLs.

A module with pages or API endpoints adds `duban/<app>/tests/url_access.py`:

    from tests.url_access import ALL_ROLES, BUSINESS, FOREIGN, OWN, api, page, pk_of

    ACCESS = {
        "projects:project_list": page(ALL_ROLES),
        "projects:project_detail": page(BUSINESS, pk_of("project")),
        "api:get_project": api(BUSINESS, pk_of("project", "project_id")),
    }

    def build_objects(world):
        # one object in the fixture county ("own") and its twin in the foreign county
        world.objects[("project", OWN)] = make_project(unit=world.unit)
        world.objects[("project", FOREIGN)] = make_project(unit=world.foreign_unit)

The walk requests every pattern as every subject (anonymous and one user per role, all in the
fixture county's unit 商务局 or scoped to the fixture county) for the own object and the foreign
one, and checks the answer against the pattern's Access.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from duban.accounts.choices import Role

ANONYMOUS = "anonymous"
SUBJECTS = [ANONYMOUS, *[role.value for role in Role]]
OWN, FOREIGN = "own", "foreign"

ALL_ROLES = frozenset(role.value for role in Role)
BUSINESS = frozenset(
    {Role.COUNTY_LEADER, Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON, Role.INSPECTOR}
)
SYSTEM = frozenset({Role.SYSTEM_ADMIN})
SECURITY = frozenset({Role.SECURITY_ADMIN})
AUDITOR = frozenset({Role.AUDIT_ADMIN})
NOBODY: frozenset[str] = frozenset()


@dataclass
class World:
    """The fixture county (own) and a foreign county, with one user per role in the own county.

    `users[role]`: the subject for that role. `unit`/`county` are the own county's unit and
    region, `foreign_unit`/`foreign_county` the foreign ones, `stranger` a liaison of the
    foreign unit and `foreign_admin` its system administrator (to create foreign objects).
    """

    county: object = None
    foreign_county: object = None
    unit: object = None
    foreign_unit: object = None
    stranger: object = None
    foreign_admin: object = None
    users: dict[str, object] = field(default_factory=dict)
    objects: dict[tuple[str, str], object] = field(default_factory=dict)

    def get(self, kind: str, variant: str):
        return self.objects[(kind, variant)]


@dataclass(frozen=True)
class Access:
    """Who gets `answer` (2xx unless said) for the own object; `anonymous`: what a visitor gets.

    Answers are classified as "ok" (2xx), "login" (redirect to the login page), "redirect"
    (elsewhere) or the status code ("401", "403", "404", "405").
    """

    ok: frozenset[str]
    kwargs: Callable[[World, str], dict] | None = None
    anonymous: str = "login"
    answer: str = "ok"
    # Roles that may also read the foreign county's object.
    foreign_ok: frozenset[str] = NOBODY


def page(ok, kwargs=None, **extra) -> Access:
    """A page: anonymous visitors are sent to the login page."""
    return Access(frozenset(ok), kwargs, **extra)


def api(ok, kwargs=None, **extra) -> Access:
    """An API endpoint: anonymous callers get 401."""
    return Access(frozenset(ok), kwargs, anonymous="401", **extra)


def post_only(kwargs=None, anonymous: str = "405") -> Access:
    """A form's target: GET is refused with 405 (before or after the login check)."""
    return page(NOBODY, kwargs, anonymous=anonymous)


def pk_of(kind: str, name: str = "pk") -> Callable[[World, str], dict]:
    """URL kwargs {name: id of world.objects[(kind, variant)]}; a kind without a foreign twin
    (a deployment-wide object) gets an id that names nothing."""

    def kwargs(world: World, variant: str) -> dict:
        if (kind, variant) not in world.objects:
            return {name: 987654321}
        return {name: world.get(kind, variant).pk}

    return kwargs
