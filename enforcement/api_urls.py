"""API routes of enforcement, included under /api/v1/."""

urlpatterns: list = []
