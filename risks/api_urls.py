"""API routes of risks, included under /api/v1/."""

urlpatterns: list = []
