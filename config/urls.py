from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views
from core.api import not_found as api_not_found

APPS_WITH_PAGES = ["regions", "accounts", "enterprises", "standards", "hazards", "supervision", "inspections",
                   "enforcement", "tips", "obligations", "risks", "campaigns", "documents"]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("inbox/", core_views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", core_views.inbox_read, name="inbox_read"),
    path("accounts/", include("accounts.auth_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    re_path(r"^api/(?!schema/|docs/)", api_not_found),  # unknown API paths: JSON 404 in Chinese
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("public/", include("tips.public_urls")),
]
urlpatterns += [path(f"{app}/", include(f"{app}.urls")) for app in APPS_WITH_PAGES]

admin.site.site_header = "清零 · 系统管理"
admin.site.site_title = "清零"
