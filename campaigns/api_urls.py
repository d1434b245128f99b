"""API routes of campaigns, included under /api/v1/."""

from django.urls import path

from .api import BulletinDocumentView, DispatchTableView

urlpatterns: list = [path("dispatch/", DispatchTableView.as_view(), name="dispatch-table"),
                     path("bulletin/document/", BulletinDocumentView.as_view(), name="bulletin-document")]
