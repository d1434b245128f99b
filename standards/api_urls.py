"""API routes of standards, included under /api/v1/."""

urlpatterns: list = []
