"""The permission matrix: role x object type x own/other scope x read/list/export/write.

Every cell is decided by the one policy (duban.accounts.policy) and checked here on the
organisation and platform objects. Read = detail through get_object_for_user_or_404 (404 when
refused), list = visible_to, export = the EXPORT scope, write = the CHANGE scope.
Domain modules keep their own matrices beside their code.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.accounts.factories import make_user, make_user_with_role
from duban.accounts.models import Grant, User
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.jobs.models import Job
from duban.org.choices import RegionLevel
from duban.org.factories import make_region, make_unit
from duban.org.models import Region, Unit

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
ACTIONS = ("read", "list", "export", "write")


@pytest.fixture
def world():
    """A city with our county (A) and another (B); one actor per role, scoped to A (admins: city)."""
    city = make_region("矩阵市", level=RegionLevel.CITY)
    county_a = make_region("甲县", parent=city)
    county_b = make_region("乙县", parent=city)
    unit_a, unit_b = make_unit("甲县发改局", region=county_a), make_unit("乙县发改局", region=county_b)
    actors = {}
    for role in ROLES:
        if role in ("unit_head", "unit_liaison"):
            actors[role] = make_user_with_role(role, unit=unit_a)
        elif role in ("system_admin", "security_admin", "audit_admin"):
            actors[role] = make_user_with_role(role, region=city)
        else:
            actors[role] = make_user_with_role(role, unit=unit_a, region=county_a)
    member_a, member_b = make_user(unit=unit_a), make_user(unit=unit_b)
    from duban.accounts.services import grant_role

    grant_a = grant_role(actor=None, user=member_a, role=Role.UNIT_LIAISON, unit=unit_a, check_access=False)
    grant_b = grant_role(actor=None, user=member_b, role=Role.UNIT_LIAISON, unit=unit_b, check_access=False)
    from django.db import transaction

    with transaction.atomic():
        entry_a = audit.record(AuditEvent.UNIT_CHANGED, actor=None, target=unit_a)
        entry_b = audit.record(AuditEvent.UNIT_CHANGED, actor=None, target=unit_b)
    objects = {
        "region": (Region, county_a, county_b),
        "unit": (Unit, unit_a, unit_b),
        "user": (User, member_a, member_b),
        "grant": (Grant, grant_a, grant_b),
        "audit_entry": (AuditEntry, entry_a, entry_b),
    }
    return actors, objects


# role -> object type -> (own, other) -> allowed actions
BUSINESS_READ_DIRECTORY = {"read", "list"}
ALL = set(ACTIONS)
NONE: set[str] = set()


def expected(role: str, kind: str, which: str) -> set[str]:
    admin = role in ("system_admin", "security_admin", "audit_admin")
    if kind in ("region", "unit"):
        if role == "system_admin":
            return ALL
        if admin:
            return {"read", "list"}
        return BUSINESS_READ_DIRECTORY if which == "own" else NONE
    if kind == "user":
        if role == "system_admin":
            return ALL
        if role == "security_admin":
            return {"read", "list"}
        if role == "unit_head" and which == "own":
            return {"read", "list"}
        return NONE
    if kind == "grant":
        return ALL if role == "security_admin" else NONE
    if kind == "audit_entry":
        return {"read", "list", "export"} if role == "audit_admin" else NONE
    raise AssertionError(kind)


def allowed(actor, model, obj) -> set[str]:
    got = set()
    try:
        policy.get_object_for_user_or_404(actor, model, obj.pk)
        got.add("read")
    except Http404:
        pass
    if obj in model.objects.visible_to(actor):
        got.add("list")
    if policy.scope_queryset(model._default_manager.filter(pk=obj.pk), actor, policy.EXPORT).exists():
        got.add("export")
    if policy.scope_queryset(model._default_manager.filter(pk=obj.pk), actor, policy.CHANGE).exists():
        got.add("write")
    return got


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, role):
    actors, objects = world
    actor = actors[role]
    wrong = []
    for kind, (model, own, other) in objects.items():
        for which, obj in (("own", own), ("other", other)):
            got, want = allowed(actor, model, obj), expected(role, kind, which)
            if got != want:
                wrong.append(f"{role} {kind} {which}: got {sorted(got)}, want {sorted(want)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_jobs_are_their_owners_alone(world, role):
    actors, _ = world
    actor, stranger = actors[role], make_user()
    mine = Job.objects.create(kind="x", title="mine", owner=actor)
    theirs = Job.objects.create(kind="x", title="theirs", owner=stranger)
    assert allowed(actor, Job, mine) == ALL
    assert allowed(actor, Job, theirs) == NONE


def test_anonymous_and_inactive_users_get_nothing(world):
    actors, objects = world
    from django.contrib.auth.models import AnonymousUser

    liaison = actors["unit_liaison"]
    liaison.is_active = False
    for model, own, _other in objects.values():
        assert allowed(AnonymousUser(), model, own) == NONE
        assert allowed(liaison, model, own) == NONE
