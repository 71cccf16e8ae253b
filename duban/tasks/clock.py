"""The time the task services go by: the real clock, or a replayed moment (demo data).

`duban demo` builds a year of supervised work by replaying it day by day through the same
services, so every rule (deadline checks, late feedback, working-day delay, extension before the
deadline) applies as it would have. Only the tasks' business dates follow the replayed time;
the audit trail and the notifications keep the real time they were written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils import timezone

_replayed: ContextVar[datetime.datetime | None] = ContextVar("tasks_replayed_now", default=None)


def replaying() -> bool:
    """True while replaying: past events notify nobody now (their time has gone)."""
    return _replayed.get() is not None


def now() -> datetime.datetime:
    return _replayed.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def replay(moment: datetime.datetime) -> Iterator[None]:
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)


def stamp(instance: models.Model) -> None:
    """While replaying, date a row just created by a service at the replayed moment."""
    moment = _replayed.get()
    if moment is not None:
        type(instance)._default_manager.filter(pk=instance.pk).update(created_at=moment, updated_at=moment)
        instance.created_at = instance.updated_at = moment  # type: ignore[attr-defined]
