from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.listing_list, name="list"),
    path("export.xlsx", views.listing_export, name="export"),
    path("board/", views.board, name="board"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.listing_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.listing_action, name="action"),
]
