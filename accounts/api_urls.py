from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import OrganisationViewSet, SectorViewSet, me

router = SimpleRouter()
router.register("sectors", SectorViewSet, basename="sector")
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = [path("me/", me, name="api-me")] + router.urls
