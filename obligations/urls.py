from django.urls import path

from . import views

app_name = "obligations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.obligation_export, name="export"),
    path("enterprise/<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("enterprise/<int:pk>/add/<slug:kind>/", views.add_record, name="add"),
    path("enterprise/<int:pk>/remark/", views.add_remark, name="remark"),
]
