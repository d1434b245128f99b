"""Public pages without login (the tip form and tracking), under /public/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
