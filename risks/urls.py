from django.urls import path

from . import views

app_name = "risks"
urlpatterns = [
    path("", views.point_list, name="list"),
    path("register.xlsx", views.register_xlsx, name="register_xlsx"),
    path("map/", views.risk_map, name="map"),
    path("enterprise/<int:pk>/add/", views.point_add, name="point_add"),
    path("points/<int:pk>/", views.point_detail, name="point"),
    path("points/<int:pk>/card.docx", views.point_card, name="card"),
]
