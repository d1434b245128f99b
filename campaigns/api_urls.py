"""API routes of campaigns, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import BulletinDocumentView, CampaignViewSet, DispatchTableView, SubmissionViewSet

router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("dispatch-submissions", SubmissionViewSet, basename="dispatch-submission")

urlpatterns: list = [path("dispatch/", DispatchTableView.as_view(), name="dispatch-table"),
                     path("bulletin/document/", BulletinDocumentView.as_view(), name="bulletin-document"),
                     *router.urls]
