from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.set_list, name="sets"),
    path("new/", views.set_create, name="set_create"),
    path("<int:pk>/", views.set_detail, name="set"),
    path("<int:pk>/summary.xlsx", views.summary_xlsx, name="summary"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/computation/", views.computation, name="computation"),
    path("<int:pk>/<str:action>/", views.set_action, name="set_action"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("sheets/<int:pk>/report.docx", views.report_docx, name="report"),
    path("sheets/<int:pk>/debrief/", views.debrief, name="debrief"),
    path("scores/<int:pk>/adjust/", views.adjust, name="adjust"),
]
