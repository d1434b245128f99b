"""API routes of enterprises, included under /api/v1/."""

urlpatterns: list = []
