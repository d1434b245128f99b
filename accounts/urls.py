from django.urls import path

from . import user_views, views

app_name = "accounts"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/export.xlsx", views.organisation_export, name="organisation_export"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/competences/<int:competence_pk>/remove/", views.competence_remove, name="competence_remove"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user_detail"),
    path("users/<int:pk>/deactivate/", user_views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", user_views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
]
