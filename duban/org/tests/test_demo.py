"""The demo city: counts, determinism, idempotence, the account list, and that every role works."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.models import Grant, User
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.choices import RegionLevel, UnitKind
from duban.org.demo import build
from duban.org.demo.build import build_demo
from duban.org.models import Region, Unit

pytestmark = pytest.mark.django_db
PASSWORD = "Demo-Pass-2026!x"


def demo_county():
    return Region.objects.get(name="禾川县")


def counts():
    return {m.__name__: m.objects.count() for m in (Region, Unit, User, Grant)}


class Rollback(Exception):
    pass


def names_for(seed):
    """People's and villages' names the seed gives, in a transaction rolled back afterwards."""
    try:
        with transaction.atomic():
            build_demo(seed=seed, password=PASSWORD, modules=())
            people = list(User.objects.order_by("username").values_list("username", "real_name", "phone"))
            villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).values_list("code", "name"))
            raise Rollback
    except Rollback:
        return people, sorted(villages)


def test_the_demo_county_has_the_promised_shape():
    build_demo(seed=1, password=PASSWORD, modules=())
    county = demo_county()

    assert Region.objects.filter(level=RegionLevel.CITY).get().name == "清河市"
    assert Region.objects.filter(level=RegionLevel.COUNTY, parent__name="清河市").count() == 11
    assert Unit.objects.filter(region=county, kind=UnitKind.DEPARTMENT).count() == 52
    towns = Region.objects.filter(parent=county, level=RegionLevel.TOWN)
    assert towns.count() == 13 and towns.filter(is_town_subdistrict=True).count() == 4
    assert Unit.objects.filter(region__parent=county, kind=UnitKind.TOWN).count() == 13
    for town in towns:
        assert 3 <= town.children.filter(level=RegionLevel.VILLAGE).count() <= 8
    assert Unit.objects.filter(region=county, kind=UnitKind.PARK).count() == 2
    assert Unit.objects.filter(region=county, kind=UnitKind.LEADERSHIP).count() == 1
    leaders = Grant.objects.active().filter(role=Role.COUNTY_LEADER, region=county)
    assert leaders.count() == 8
    assert set(
        Unit.objects.filter(leader_in_charge__isnull=False).values_list("leader_in_charge", flat=True)
    ) <= set(leaders.values_list("user", flat=True))
    assert Unit.objects.get(region=county, name="发展和改革局").short_name == "发改局"
    assert Unit.objects.get(region__parent=county, name="东城街道办事处").kind == UnitKind.TOWN
    # Every write went through the services, so the audit trail holds it, marked as from the CLI.
    assert AuditEntry.objects.filter(event=AuditEvent.UNIT_CREATED).count() == Unit.objects.count()
    assert AuditEntry.objects.filter(event=AuditEvent.REGION_CREATED).count() == Region.objects.count()
    assert AuditEntry.objects.filter(event=AuditEvent.USER_CREATED).count() == User.objects.count()
    loaded = AuditEntry.objects.get(event=AuditEvent.DEMO_LOADED)
    assert loaded.source == "cli" and loaded.changes["seed"] == [None, 1]


def test_every_role_has_accounts_and_admins_are_scoped_to_the_root():
    accounts = build_demo(seed=1, password=PASSWORD, modules=())
    roles = {a.role for a in accounts}
    assert roles == set(Role.values)
    usernames = {a.username for a in accounts}
    assert {
        "leader_shuji",
        "office1",
        "fgj_head",
        "fgj_liaison",
        "town_chengguan_liaison",
        "inspector1",
        "sysadmin",
        "secadmin",
        "auditadmin",
    } <= usernames
    for slug in ("fgj", "swj", "tjj", "zjj", "zrj", "nyj", "town_chengguan", "town_dongcheng", "park_kfq"):
        assert {f"{slug}_head", f"{slug}_liaison"} <= usernames
    city = Region.objects.get(level=RegionLevel.CITY)
    for username in ("sysadmin", "secadmin", "auditadmin"):
        grant = Grant.objects.active().get(user__username=username)
        assert grant.region == city and grant.user.unit is None
    user = User.objects.get(username="fgj_liaison")
    assert user.must_change_password is False and user.phone.startswith("139") and len(user.phone) == 11


def test_same_seed_same_names_other_seed_other_names():
    first, second, other = names_for(7), names_for(7), names_for(8)
    assert first == second
    assert first != other


def test_running_twice_duplicates_nothing_and_leaves_accounts_untouched():
    build_demo(seed=3, password=PASSWORD, modules=())
    before = counts()
    hash_before = User.objects.get(username="fgj_liaison").password

    accounts = build_demo(seed=3, password="Another-Pass-2026!", modules=())

    assert counts() == before
    assert not any(a.created for a in accounts)
    assert User.objects.get(username="fgj_liaison").password == hash_before


def test_a_second_run_with_another_seed_adds_no_villages():
    build_demo(seed=3, password=PASSWORD, modules=())
    before = counts()
    build_demo(seed=4, password=PASSWORD, modules=())
    assert counts() == before


def test_json_output_has_exactly_the_promised_keys():
    out = io.StringIO()
    call_command(
        "demo",
        "--modules",
        "",
        "--json",
        "--password",
        PASSWORD,
        "--seed",
        "5",
        stdout=out,
        stderr=io.StringIO(),
    )
    rows = json.loads(out.getvalue())
    assert rows and all(set(r) == {"username", "role", "unit", "unit_kind"} for r in rows)
    liaison = next(r for r in rows if r["username"] == "fgj_liaison")
    assert liaison == {
        "username": "fgj_liaison",
        "role": "unit_liaison",
        "unit": "发展和改革局",
        "unit_kind": "department",
    }
    assert next(r for r in rows if r["username"] == "sysadmin")["unit"] is None


def test_without_password_each_account_gets_a_random_one_and_must_change_it(client):
    out = io.StringIO()
    call_command("demo", "--modules", "", "--json", stdout=out, stderr=io.StringIO())
    rows = json.loads(out.getvalue())
    assert all(set(r) == {"username", "role", "unit", "unit_kind", "password"} for r in rows)
    assert len({r["password"] for r in rows}) == len(rows)
    row = next(r for r in rows if r["username"] == "swj_head")
    assert client.login(username="swj_head", password=row["password"])
    assert User.objects.get(username="swj_head").must_change_password is True

    again = io.StringIO()
    call_command("demo", "--modules", "", "--json", stdout=again, stderr=io.StringIO())
    assert all("password" not in r for r in json.loads(again.getvalue()))  # nothing new, nothing shown


def test_readable_table_says_when_accounts_already_exist():
    call_command("demo", "--modules", "", "--password", PASSWORD, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo", "--modules", "", "--password", PASSWORD, stdout=out)
    text = out.getvalue()
    assert "fgj_liaison" in text and "发展和改革局" in text and "已存在" in text


def test_a_weak_password_is_refused_and_nothing_is_built():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo", "--modules", "", "--password", "123", stdout=io.StringIO())
    assert not Region.objects.exists() and not User.objects.exists()


def test_every_demo_account_logs_in_and_business_roles_see_only_their_county(client):
    accounts = build_demo(seed=1, password=PASSWORD, modules=())
    county = demo_county()
    foreign = Unit.objects.exclude(region__path__startswith=county.path).filter(name="发展和改革局").first()
    county_units = Unit.objects.filter(region__path__startswith=county.path).count()
    for account in accounts:
        client.logout()
        assert client.login(username=account.username, password=PASSWORD), account.username
        if account.role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}:
            continue
        listed = client.get("/api/v1/units", {"page_size": 200}).json()
        assert listed["count"] == county_units, account.username
        assert client.get(f"/api/v1/units/{foreign.pk}").status_code == 404
        assert client.get(reverse("org:unit_detail", args=[foreign.pk])).status_code == 404

    # The 发改局 liaison's directory: its county's 商务局, not the one of 澄岭县.
    client.logout()
    assert client.login(username="fgj_liaison", password=PASSWORD)
    own = Unit.objects.get(region=demo_county(), name="商务局")
    foreign = Unit.objects.get(region__name="澄岭县", name="商务局")

    page = client.get(
        reverse("org:unit_list"), {"q": "商务局"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert reverse("org:unit_detail", args=[own.pk]) in page
    assert reverse("org:unit_detail", args=[foreign.pk]) not in page
    assert client.get(reverse("org:unit_detail", args=[foreign.pk])).status_code == 404


def test_extra_builders_run_after_the_tree_with_the_context():
    seen = {}

    def builder(ctx):
        seen["units"] = len(ctx.units)
        seen["leaders"] = len(ctx.leaders)
        ctx.add_account("extra_liaison", Role.UNIT_LIAISON, unit=ctx.units["swj"], title="科员")

    build.register_builder("test-extra", builder)
    try:
        accounts = build_demo(seed=1, password=PASSWORD, modules=["test-extra"])
    finally:
        build._BUILDERS.pop("test-extra")
    assert seen == {"units": 1 + 52 + 13 + 2, "leaders": 8}
    assert accounts[-1].username == "extra_liaison"
    assert Grant.objects.active().get(user__username="extra_liaison").unit.name == "商务局"
