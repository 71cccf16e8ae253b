import pytest

from duban.jobs import registry

from .sample_jobs import SAMPLE_KIND, create_units


@pytest.fixture
def sample_job_kind():
    """Registers the sample job for one test, then removes it (the registry test sees real kinds only)."""
    registry.register_job(SAMPLE_KIND)(create_units)
    yield create_units
    registry.JOBS.pop(SAMPLE_KIND, None)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT
