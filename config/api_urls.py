"""/api/v1/: each app contributes its own ``api_urls.urlpatterns``."""

from django.urls import include, path

APPS = ["core", "regions", "accounts", "enterprises", "standards", "hazards", "supervision", "inspections",
        "enforcement", "tips", "obligations", "risks", "campaigns", "documents", "accidents", "assessment", "jobs"]

urlpatterns = [path("", include(f"{app}.api_urls")) for app in APPS]
