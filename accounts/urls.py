from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/export.xlsx", views.organisation_export, name="organisation_export"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/competences/<int:competence_pk>/remove/", views.competence_remove, name="competence_remove"),
]
