"""API routes of hazards, included under /api/v1/."""

urlpatterns: list = []
