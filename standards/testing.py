"""pytest helpers: the catalogue fixture (transactional tests flush the migration-loaded rows).

Use in a conftest.py:  ``from standards.testing import catalogue  # noqa: F401``
"""

import pytest


@pytest.fixture
def catalogue(db):
    """The committed catalogue, (re)loaded if a flush removed it. Returns {code: current Standard}."""
    from .loader import ensure_loaded
    from .models import Standard

    ensure_loaded()
    return {s.code: s for s in Standard.objects.current()}
