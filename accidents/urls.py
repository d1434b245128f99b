from django.urls import path

app_name = "accidents"
urlpatterns: list = []
