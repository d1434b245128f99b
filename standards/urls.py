from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.standard_list, name="list"),
    path("<int:pk>/", views.standard_detail, name="detail"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("key-lists/", views.key_list_list, name="key_list_list"),
    path("key-lists/<int:pk>/", views.key_list_detail, name="key_list_detail"),
    path("key-lists/<int:pk>/revise/", views.key_list_revise, name="key_list_revise"),
]
