"""A periodic task for the scheduler tests: counts how often it ran."""

from __future__ import annotations

import threading

from django_tasks import task

RUNS: list[str] = []
_lock = threading.Lock()


@task()
def count_run() -> None:
    with _lock:
        RUNS.append(threading.current_thread().name)
