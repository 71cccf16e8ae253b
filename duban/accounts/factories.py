"""Test users with roles. Plain functions over the services (so audited)."""

from __future__ import annotations

import itertools

from duban.org.factories import make_unit

from .choices import UNIT_SCOPED_ROLES
from .models import User
from .services import create_user, grant_role

_seq = itertools.count(1)
PASSWORD = "Duban-Test-2026!"


def make_user(
    *, unit=None, username: str | None = None, password: str = PASSWORD, must_change_password: bool = False
) -> User:
    n = next(_seq)
    return create_user(
        actor=None,
        username=username or f"user{n}",
        real_name=f"测试用户{n}",
        password=password,
        unit=unit,
        must_change_password=must_change_password,
        check_access=False,
    )


def make_user_with_role(role: str, *, unit=None, region=None, **kwargs) -> User:
    """A user holding `role`: scoped to `unit` for unit roles, else to `region` (default: the unit's county)."""
    if unit is None and region is None:
        unit = make_unit()
    user = make_user(unit=unit, **kwargs)
    if role in UNIT_SCOPED_ROLES:
        grant_role(actor=None, user=user, role=role, unit=unit, check_access=False)
    else:
        grant_role(actor=None, user=user, role=role, region=region or unit.region, check_access=False)
    return user
