"""API routes of hazards, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import HazardViewSet

router = SimpleRouter()
router.register("hazards", HazardViewSet, basename="hazard")
urlpatterns = router.urls
