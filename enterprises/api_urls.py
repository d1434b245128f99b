"""API routes of enterprises, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import EnterpriseViewSet
from .api_engagements import EngagementViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("engagements", EngagementViewSet, basename="engagement")
urlpatterns = router.urls
