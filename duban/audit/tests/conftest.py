"""Audit tests keep the chain key and head in a temporary folder, never in var/."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def audit_key_dir(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("DUBAN_AUDIT_KEY", raising=False)
    settings.DUBAN_AUDIT_KEY_FILE = tmp_path / "keys" / "audit.key"
    return tmp_path / "keys"


@pytest.fixture
def seal(django_capture_on_commit_callbacks):
    """Seal everything now, running the on-commit head write as a real commit would."""
    from duban.audit import chain

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return chain.seal_pending(min_age=chain.datetime.timedelta(0), lookback=None)

    return run
