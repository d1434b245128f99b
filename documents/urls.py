from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("hazards/<int:pk>/report.docx", views.hazard_report, name="hazard_report"),
    path("listings/<int:pk>/notice.docx", views.listing_notice, name="listing_notice"),
    path("hazards/reports.zip", views.hazard_reports_batch, name="hazard_reports_batch"),
    path("hazards/<int:pk>/acceptance.docx", views.hazard_acceptance, name="hazard_acceptance"),
]
