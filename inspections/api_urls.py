"""API routes of inspections, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspections/plans", api.PlanViewSet, basename="inspection-plan")
router.register("inspections/draws", api.DrawViewSet, basename="inspection-draw")
router.register("inspections/redraw-requests", api.RedrawRequestViewSet, basename="inspection-redraw-request")
router.register("inspections/records", api.RecordViewSet, basename="inspection-record")
router.register("inspections/lines", api.ChecklistLineViewSet, basename="inspection-line")
router.register("inspections/findings", api.FindingViewSet, basename="inspection-finding")
router.register("inspections/spot-checks", api.SpotCheckViewSet, basename="inspection-spot-check")
router.register("inspections/visits", api.VisitViewSet, basename="inspection-visit")
router.register("inspections/reviews", api.ReviewBatchViewSet, basename="inspection-review")
urlpatterns = router.urls
