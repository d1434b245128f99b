"""API routes of campaigns, included under /api/v1/."""

urlpatterns: list = []
