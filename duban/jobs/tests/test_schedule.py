"""Periodic schedules fire each slot once, even with two workers running at the same time."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from duban.jobs.models import ScheduleFiring
from duban.jobs.schedule import BUSY, FIRED, SHANGHAI, TAKEN, Schedule, Scheduler, register_schedule

from . import sample_schedules
from .sample_schedules import count_run


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_every_n_seconds_slots_are_aligned():
    s = Schedule("s", count_run, every_seconds=60)
    assert s.due_slot(at("2026-11-27 10:00:59")) == at("2026-11-27 10:00:00")
    assert s.due_slot(at("2026-11-27 10:01:00")) == at("2026-11-27 10:01:00")


def test_daily_slot_fires_after_its_time_and_catches_up_within_grace_only():
    s = Schedule("d", count_run, daily_at=dt.time(8, 30))
    assert s.due_slot(at("2026-11-27 08:29")) is None  # yesterday's 08:30 is past the 12 h grace
    assert s.due_slot(at("2026-11-27 08:30")) == at("2026-11-27 08:30")
    assert s.due_slot(at("2026-11-27 19:00")) == at("2026-11-27 08:30")  # the worker was down: once, late
    assert s.due_slot(at("2026-11-27 21:00")) is None


@pytest.mark.django_db
def test_working_days_only_skips_weekends_and_holidays():
    s = Schedule("w", count_run, daily_at=dt.time(8, 30), workdays_only=True)
    assert s.due_slot(at("2026-11-27 09:00")) is not None  # a Friday
    assert s.due_slot(at("2026-11-28 09:00")) is None  # Saturday
    assert s.due_slot(at("2026-10-01 09:00")) is None  # National Day (Monday-Friday fallback: a Thursday!)


def test_registration_refuses_nonsense():
    with pytest.raises(ValueError):
        register_schedule("x", count_run)
    with pytest.raises(ValueError):
        register_schedule("x", count_run, every_seconds=60, daily_at="08:00")
    with pytest.raises(TypeError):
        register_schedule("x", count_run.func, every_seconds=60)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_tick_fires_once_and_a_second_worker_sees_the_slot_taken():
    sample_schedules.RUNS.clear()
    schedules = [Schedule("t.every", count_run, every_seconds=60)]
    a, b = Scheduler(worker_id="a", schedules=schedules), Scheduler(worker_id="b", schedules=schedules)
    now = at("2026-11-27 10:00:05")
    assert a.tick(now) == {"t.every": FIRED}
    assert a.tick(now) == {}  # settled locally: no database round trip
    assert b.tick(now) == {"t.every": TAKEN}
    assert len(sample_schedules.RUNS) == 1


def _run_loop(scheduler: Scheduler, times: list[dt.datetime], start: threading.Barrier, errors: list) -> None:
    try:
        start.wait()
        for now in times:
            for _ in range(200):  # SQLite in tests answers "locked" instead of waiting: try again
                if BUSY not in scheduler.tick(now).values():
                    break
                time.sleep(0.005)
            else:
                errors.append(f"{scheduler.worker_id} stayed busy at {now}")
    except Exception as exc:  # pragma: no cover - reported by the assertion below
        errors.append(repr(exc))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_fire_each_slot_exactly_once():
    """Given two scheduler loops in threads over the same advancing clock (20 s steps for 10
    minutes, with a 60 s and a daily schedule), each slot is fired by exactly one of them."""
    sample_schedules.RUNS.clear()
    schedules = [
        Schedule("t.minute", count_run, every_seconds=60),
        Schedule("t.daily", count_run, daily_at=dt.time(9, 3)),
    ]
    start = at("2026-11-27 09:00:00")
    times = [start + dt.timedelta(seconds=20 * i) for i in range(31)]
    errors: list = []
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(
            target=_run_loop, args=(Scheduler(worker_id=w, schedules=schedules), times, barrier, errors)
        )
        for w in ("worker-1", "worker-2")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    minute_slots = list(ScheduleFiring.objects.filter(name="t.minute").values_list("slot", flat=True))
    assert len(minute_slots) == len(set(minute_slots)) == 11  # 09:00 ... 09:10
    assert ScheduleFiring.objects.filter(name="t.daily").count() == 1
    assert len(sample_schedules.RUNS) == 12  # the task ran once per firing, not once per worker
