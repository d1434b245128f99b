import pytest


@pytest.fixture
def queued(settings, tmp_path):
    """Jobs go to the queue (not run inside the request) and their files to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = False
