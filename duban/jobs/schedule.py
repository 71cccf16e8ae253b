"""Periodic work: a registry of schedules and the loop (inside `duban worker`) that fires them.

A module registers a schedule in its ``tasks.py``, next to the task it fires::

    register_schedule("tasks.daily_reminders", send_daily_reminders, daily_at="08:30", workdays_only=True)
    register_schedule("audit.seal", seal_audit_chain, every_seconds=60)

Firing a schedule enqueues its task (no arguments). Each firing has a slot (the scheduled
instant it stands for); the worker that inserts the unique (name, slot) ScheduleFiring row
enqueues the task in the same transaction, so with any number of workers each slot fires once.
A worker that was down catches up the latest missed slot only (within `grace`), never a backlog.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from zoneinfo import ZoneInfo

from django.db import IntegrityError, OperationalError, close_old_connections, transaction
from django.utils import timezone
from django_tasks.base import Task

from .models import ScheduleFiring

logger = logging.getLogger("duban.jobs.schedule")
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRED, TAKEN, BUSY, FAILED = "fired", "taken", "busy", "failed"


def is_workday(day: dt.date) -> bool:
    """China's official working days when the calendar module is there, else Monday-Friday."""
    try:
        official = getattr(import_module("duban.core.calendar"), "is_workday", None)
    except ImportError:
        official = None
    if official is None:
        return day.weekday() < 5
    return bool(official(day))


@dataclass(frozen=True)
class Schedule:
    name: str
    task: Task
    every_seconds: int | None = None
    daily_at: dt.time | None = None
    workdays_only: bool = False
    grace: dt.timedelta | None = None

    def due_slot(self, now: dt.datetime) -> dt.datetime | None:
        """The latest slot at or before `now` that should have fired, or None."""
        if self.every_seconds:
            epoch = int(now.timestamp())
            slot = dt.datetime.fromtimestamp(epoch - epoch % self.every_seconds, tz=dt.UTC)
            grace = self.grace or dt.timedelta(seconds=self.every_seconds)
        else:
            assert self.daily_at is not None
            local = now.astimezone(SHANGHAI)
            slot = dt.datetime.combine(local.date(), self.daily_at, tzinfo=SHANGHAI)
            if slot > local:
                slot -= dt.timedelta(days=1)
            grace = self.grace or dt.timedelta(hours=12)
        if now - slot > grace:
            return None
        if self.workdays_only and not is_workday(slot.astimezone(SHANGHAI).date()):
            return None
        return slot


SCHEDULES: dict[str, Schedule] = {}


def register_schedule(
    name: str,
    task: Task,
    *,
    every_seconds: int | None = None,
    daily_at: str | dt.time | None = None,
    workdays_only: bool = False,
    grace: dt.timedelta | None = None,
) -> Schedule:
    """Fire `task` every N seconds, or daily at "HH:MM" Asia/Shanghai (optionally working days only)."""
    if not isinstance(task, Task):
        raise TypeError(f"schedule {name!r}: task must be a django-tasks Task")
    if (every_seconds is None) == (daily_at is None):
        raise ValueError(f"schedule {name!r}: give exactly one of every_seconds and daily_at")
    if every_seconds is not None and every_seconds < 1:
        raise ValueError(f"schedule {name!r}: every_seconds must be at least 1")
    at = dt.time.fromisoformat(daily_at) if isinstance(daily_at, str) else daily_at
    schedule = Schedule(name[:100], task, every_seconds, at, workdays_only, grace)
    SCHEDULES[schedule.name] = schedule
    return schedule


class Scheduler:
    """Fires due schedules. Safe to run in several processes at once (see module docstring)."""

    def __init__(
        self,
        *,
        worker_id: str = "",
        schedules: Iterable[Schedule] | None = None,
        clock: Callable[[], dt.datetime] = timezone.now,
    ) -> None:
        self.worker_id = worker_id[:64]
        self._schedules = list(schedules) if schedules is not None else None
        self.clock = clock
        # The last slot each schedule was settled for here: saves a database round trip per tick.
        self._settled: dict[str, dt.datetime] = {}

    @property
    def schedules(self) -> list[Schedule]:
        return self._schedules if self._schedules is not None else list(SCHEDULES.values())

    def tick(self, now: dt.datetime | None = None) -> dict[str, str]:
        """Fire what is due at `now`; returns {name: fired|taken|busy|failed} for the due ones."""
        now = now or self.clock()
        outcomes = {}
        for schedule in self.schedules:
            slot = schedule.due_slot(now)
            if slot is None or self._settled.get(schedule.name) == slot:
                continue
            outcome = self._fire(schedule, slot)
            outcomes[schedule.name] = outcome
            if outcome in (FIRED, TAKEN):
                self._settled[schedule.name] = slot
        return outcomes

    def _fire(self, schedule: Schedule, slot: dt.datetime) -> str:
        try:
            with transaction.atomic():
                ScheduleFiring.objects.create(name=schedule.name, slot=slot, worker_id=self.worker_id)
                schedule.task.enqueue()
        except IntegrityError:
            return TAKEN
        except OperationalError as exc:
            # A locked SQLite database: nothing was claimed, the next tick tries again.
            logger.warning("schedule %s: database busy (%s), will retry", schedule.name, exc)
            return BUSY
        except Exception:
            logger.exception("schedule %s: could not enqueue %s", schedule.name, schedule.task.module_path)
            return FAILED
        logger.info("schedule %s fired for %s", schedule.name, slot.isoformat())
        return FIRED

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Tick every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            close_old_connections()
            try:
                self.tick()
            except Exception:
                logger.exception("scheduler tick failed")
            close_old_connections()
            stop.wait(interval)


class SchedulerThread(threading.Thread):
    """The scheduler loop beside the task worker in `duban worker`."""

    def __init__(self, scheduler: Scheduler, interval: float = 1.0) -> None:
        super().__init__(name="duban-scheduler", daemon=True)
        self.scheduler = scheduler
        self.interval = interval
        self.stop_event = threading.Event()

    def run(self) -> None:
        try:
            self.scheduler.run(self.stop_event, self.interval)
        finally:
            from django.db import connections

            connections.close_all()

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        self.join(timeout)
