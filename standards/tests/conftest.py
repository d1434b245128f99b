from standards.testing import catalogue  # noqa: F401
