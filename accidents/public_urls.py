from django.urls import path

from . import views

app_name = "accidents_public"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
