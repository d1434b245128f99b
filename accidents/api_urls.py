"""API routes of accidents, included under /api/v1/."""

from rest_framework.routers import DefaultRouter

from .api import AccidentViewSet

router = DefaultRouter()
router.register("accidents", AccidentViewSet, basename="accident")
urlpatterns = router.urls
