from django.urls import path

from .views import detail, importing, ledger, register, site_orders

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
    path("<int:pk>/site-orders/new/", site_orders.order_new, name="site_order_new"),
    path("<int:pk>/site-orders/<int:oid>/lift/", site_orders.order_lift, name="site_order_lift"),
    path("<int:pk>/site-orders/<int:oid>/document.docx", site_orders.order_document, name="site_order_document"),
    path("<int:pk>/site-orders/<int:oid>/compulsion/new/", site_orders.compulsion_new, name="compulsion_new"),
    path("<int:pk>/site-orders/<int:oid>/compulsion/<int:mid>/lift/", site_orders.compulsion_lift,
         name="compulsion_lift"),
    path("<int:pk>/site-orders/<int:oid>/compulsion/<int:mid>/document.docx", site_orders.compulsion_document,
         name="compulsion_document"),
]
