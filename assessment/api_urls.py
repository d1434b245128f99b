"""API routes of assessment, included under /api/v1/."""

from rest_framework.routers import DefaultRouter

from .api import IndicatorSetViewSet, UnitAssessmentViewSet

router = DefaultRouter()
router.register("assessment-sets", IndicatorSetViewSet, basename="assessment-set")
router.register("assessments", UnitAssessmentViewSet, basename="assessment")
urlpatterns = router.urls
