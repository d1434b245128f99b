"""API routes of tips, included under /api/v1/."""

urlpatterns: list = []
