"""API routes of supervision, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import ListingViewSet

router = SimpleRouter()
router.register("listings", ListingViewSet, basename="listing")
urlpatterns = router.urls
