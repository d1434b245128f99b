"""API routes of supervision, included under /api/v1/."""

urlpatterns: list = []
