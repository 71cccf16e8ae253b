"""`duban check --deploy` passes with the environment a production deployment sets
(docs/security.md lists it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DUBAN_SECURE_COOKIES": "1",
    "DUBAN_SSL_REDIRECT": "1",
    "DUBAN_HSTS_SECONDS": "31536000",
    "DUBAN_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DUBAN_HSTS_PRELOAD": "1",
    "DUBAN_BEHIND_PROXY": "1",
    "DUBAN_ALLOWED_HOSTS": "duban.example.gov.cn",
    "DUBAN_CSRF_TRUSTED_ORIGINS": "https://duban.example.gov.cn",
}


@pytest.mark.slow
def test_deploy_checks_pass_with_the_production_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DJANGO_"))}
    env.update(PRODUCTION_ENV, DUBAN_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="duban.settings")
    result = subprocess.run(
        [sys.executable, "-m", "duban.cli", "check", "--deploy"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.slow
def test_without_the_production_environment_the_deploy_check_complains(tmp_path):
    """The check is real: the development defaults do not pass it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DJANGO_"))}
    env.update(DUBAN_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="duban.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_nothing_needs_a_superuser():
    """No code path asks for is_superuser: there is no superuser in production."""
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "duban").rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts  # AbstractUser's column, never read
        and "is_superuser" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
