from django.urls import path

from .views import detail, importing, ledger, register

app_name = "hazards"
urlpatterns = [
    path("", ledger.ledger, name="ledger"),
    path("export.xlsx", ledger.export, name="export"),
    path("new/", register.register, name="register"),
    path("import/", importing.import_page, name="import"),
    path("import/<int:pk>/run/", importing.import_run, name="import_run"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/actions/<str:action>/", detail.act, name="act"),
    path("<int:pk>/attachments/", detail.upload, name="upload"),
    path("<int:pk>/attachments/<int:att_pk>/", detail.download, name="download"),
    path("<int:pk>/attachments/<int:att_pk>/thumb.jpg", detail.thumbnail, name="thumbnail"),
]
