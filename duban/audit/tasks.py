"""Background work of the audit trail: sealing the chain every minute (in `duban worker`)."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.schedule import register_schedule

from . import chain


@task()
def seal_audit_chain() -> int:
    """Seal the entries that are a few seconds old; returns how many were sealed."""
    return chain.seal_pending()


register_schedule("audit.seal", seal_audit_chain, every_seconds=60)
