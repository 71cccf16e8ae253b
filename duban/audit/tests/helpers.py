"""Small helpers shared by the audit tests."""

from __future__ import annotations

from django.db import connection, transaction

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.factories import make_unit


def admin_and_unit():
    """A unit and a system administrator over its county."""
    unit = make_unit()
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=unit.region)
    return admin, unit


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def tamper(sql: str, params: list | None = None) -> None:
    """What an intruder with database rights does: drop the guards, then write by hand."""
    from duban.audit import guards

    with transaction.atomic():
        guards.remove(connection)
        raw(sql, params)
