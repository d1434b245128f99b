"""API routes of obligations, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("obligations/checks", api.PrincipalCheckViewSet, basename="obligation-check")
router.register("obligations/lists", api.ListViewSet, basename="obligation-list")
router.register("obligations/staffing", api.StaffingViewSet, basename="obligation-staffing")
router.register("obligations/workers", api.WorkerViewSet, basename="obligation-worker")
router.register("obligations/permits", api.PermitViewSet, basename="obligation-permit")
router.register("obligations/outsourcing", api.OutsourcingViewSet, basename="obligation-outsourcing")
router.register("obligations/drills", api.DrillViewSet, basename="obligation-drill")
router.register("obligations/costs", api.CostViewSet, basename="obligation-cost")
urlpatterns = [path("obligations/summary/<int:pk>/", api.summary, name="obligation-summary")] + router.urls
