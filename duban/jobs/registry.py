"""Which job kinds exist: one dict, kind -> django-tasks Task.

`start_job` refuses a kind that is not here, and a test checks that every kind named in the
code is registered, so a job that would never run is caught before it is deployed.

A module registers its job body next to the body itself (in its own ``tasks.py``)::

    from django_tasks import task
    from duban.jobs.registry import register_job

    @register_job("org.import_units")
    @task()
    def import_units(job_id: int, *, upload: str) -> None:
        with job_running(job_id) as job:
            ...

Every installed app's ``tasks`` module is imported at start-up (``JobsConfig.ready`` calls
`load_job_modules`), so the registry is complete in the web process and in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django_tasks.base import Task

T = TypeVar("T", bound=Task)

JOBS: dict[str, Task] = {}


def register_job(kind: str) -> Callable[[T], T]:
    """Register a django-tasks Task as the body of job `kind`."""

    def wrap(task_obj: T) -> T:
        if not isinstance(task_obj, Task):
            raise TypeError(
                f"job {kind!r}: register the @task()-decorated function (put @register_job on top)"
            )
        existing = JOBS.get(kind)
        if existing is not None and existing.module_path != task_obj.module_path:
            raise ValueError(f"job kind {kind!r} is already registered to {existing.module_path}")
        JOBS[kind] = task_obj
        return task_obj

    return wrap


def task_for(kind: str) -> Task:
    try:
        return JOBS[kind]
    except KeyError:
        raise LookupError(f"job kind {kind!r} is not registered (duban.jobs.registry.register_job)") from None


def load_job_modules() -> None:
    """Import every installed app's ``tasks`` module: registers its jobs and schedules."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


def registered() -> dict[str, Any]:
    return dict(JOBS)
