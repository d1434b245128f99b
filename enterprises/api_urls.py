"""API routes of enterprises, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import EnterpriseViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
urlpatterns = router.urls
