"""API routes of tips, included under /api/v1/."""

from rest_framework.routers import DefaultRouter

from .api import TipViewSet

router = DefaultRouter()
router.register("tips", TipViewSet, basename="tip")
urlpatterns = router.urls
