"""API routes of obligations, included under /api/v1/."""

urlpatterns: list = []
