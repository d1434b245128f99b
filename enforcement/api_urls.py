"""API routes of enforcement, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import CaseViewSet, CreditListingViewSet, DecisionViewSet, TypicalCaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("credit-listings", CreditListingViewSet, basename="credit-listing")
router.register("typical-cases", TypicalCaseViewSet, basename="typical-case")
urlpatterns = router.urls
