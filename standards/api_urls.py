"""API routes of standards, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import ItemViewSet, KeyInspectionListViewSet, StandardViewSet

router = SimpleRouter()
router.register("standards", StandardViewSet, basename="standard")
router.register("standard-items", ItemViewSet, basename="standard-item")
router.register("key-inspection-lists", KeyInspectionListViewSet, basename="key-inspection-list")
urlpatterns = router.urls
