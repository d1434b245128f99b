"""API routes of jobs, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import JobViewSet

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
urlpatterns = router.urls
