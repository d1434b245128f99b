from django.urls import path

from . import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_list, name="list"),
    path("new/", views.report, name="report"),
    path("from-tip/<int:tip_pk>/", views.from_tip, name="from_tip"),
    path("lessons/", views.lesson_list, name="lessons"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/targets/<int:pk>/", views.lesson_result, name="lesson_result"),
    path("measures/<int:pk>/<str:action>/", views.measure_act, name="measure_act"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
