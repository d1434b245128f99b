"""API routes of accidents, included under /api/v1/."""

from rest_framework.routers import DefaultRouter

from .api import AccidentViewSet, LessonCheckViewSet, MeasureViewSet

router = DefaultRouter()
router.register("accidents", AccidentViewSet, basename="accident")
router.register("accident-measures", MeasureViewSet, basename="accident-measure")
router.register("accident-lesson-checks", LessonCheckViewSet, basename="accident-lesson-check")
urlpatterns = router.urls
