"""The audit trail. Services call `audit.record(...)` inside their transaction."""

from __future__ import annotations

from typing import Any


def record(event: str, **kwargs: Any):
    """Write one audit entry in the current transaction (see `duban.audit.services.record`)."""
    from .services import record as _record

    return _record(event, **kwargs)


def snapshot(instance: Any, fields: list[str]) -> dict[str, Any]:
    from .services import snapshot as _snapshot

    return _snapshot(instance, fields)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    from .services import diff as _diff

    return _diff(before, after)
