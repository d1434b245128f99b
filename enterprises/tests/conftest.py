import pytest

from standards.testing import catalogue  # noqa: F401


@pytest.fixture(autouse=True)
def _media_and_sync_import(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = True
