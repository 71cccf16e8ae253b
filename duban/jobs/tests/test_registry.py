"""Every job kind the code starts is registered, and every registration is a real Task."""

from __future__ import annotations

import ast
from pathlib import Path

from django_tasks.base import Task

from duban.jobs.registry import JOBS
from duban.jobs.schedule import SCHEDULES

SOURCE = Path(__file__).resolve().parents[2]


def _start_job_calls():
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "start_job":
                continue
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            yield f"{path.relative_to(SOURCE.parent)}:{node.lineno}", kind


def test_every_kind_started_in_the_code_is_registered():
    """A start_job(kind=...) whose kind nobody registered would queue work no worker can run."""
    problems = []
    for where, kind in _start_job_calls():
        if not (isinstance(kind, ast.Constant) and isinstance(kind.value, str)):
            problems.append(f"{where}: pass kind as a string literal so this check can follow it")
        elif kind.value not in JOBS:
            problems.append(f"{where}: job kind {kind.value!r} is not registered (register_job)")
    assert problems == []


def test_every_registered_job_and_schedule_is_a_django_task():
    assert all(isinstance(t, Task) for t in JOBS.values())
    assert all(isinstance(s.task, Task) for s in SCHEDULES.values())
    assert {"jobs.prune", "notifications.retry", "audit.seal"} <= set(SCHEDULES)


def test_the_scan_finds_the_calls_it_checks():
    """The checker above must see real calls (guards against a scan that silently finds nothing)."""
    assert any(kind is not None for _, kind in _start_job_calls())
