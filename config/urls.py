from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import files as core_files
from core import ruletable_views
from core import views as core_views
from core.api import not_found as api_not_found
from core.pickers import picker_view
from supervision import public_views as supervision_public

APPS_WITH_PAGES = ["regions", "accounts", "enterprises", "standards", "hazards", "supervision", "inspections",
                   "enforcement", "tips", "obligations", "risks", "campaigns", "documents", "accidents", "assessment",
                   "jobs"]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("inbox/", core_views.inbox, name="inbox"),
    path("files/<slug:kind>/<int:pk>/", core_files.download, name="scoped_file"),  # core.files
    path("rules/", ruletable_views.index, name="ruletables"),
    path("rules/<slug:key>/", ruletable_views.table_rows, name="ruletable_rows"),
    path("rules/<slug:key>/<int:pk>/", ruletable_views.row_edit, name="ruletable_edit"),
    path("inbox/<int:pk>/read/", core_views.inbox_read, name="inbox_read"),
    path("pickers/<slug:name>/", picker_view, name="picker"),
    path("accounts/", include("accounts.auth_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    re_path(r"^api/(?!schema/|docs/)", api_not_found),  # unknown API paths: JSON 404 in Chinese
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("public/accidents/", include("accidents.public_urls")),
    path("public/", include("tips.public_urls")),
    path("public/supervision/", supervision_public.notice_board, name="supervision_public"),
]
urlpatterns += [path(f"{app}/", include(f"{app}.urls")) for app in APPS_WITH_PAGES]

admin.site.site_header = "清零 · 系统管理"
admin.site.site_title = "清零"
