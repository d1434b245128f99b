"""API routes of core, included under /api/v1/."""

urlpatterns: list = []
