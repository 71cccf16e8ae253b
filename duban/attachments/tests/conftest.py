import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every attachment test writes its files under its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT
