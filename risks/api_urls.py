"""API routes of risks, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("risks/points", api.RiskPointViewSet, basename="risk-point")
router.register("risks/assessments", api.AssessmentViewSet, basename="risk-assessment")
router.register("risks/band-tables", api.BandTableViewSet, basename="risk-band-table")
urlpatterns = router.urls
