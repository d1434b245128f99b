"""API routes of campaigns, included under /api/v1/."""

from django.urls import path

from .api import DispatchTableView

urlpatterns: list = [path("dispatch/", DispatchTableView.as_view(), name="dispatch-table")]
