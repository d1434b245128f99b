"""API routes of documents, included under /api/v1/."""

urlpatterns: list = []
