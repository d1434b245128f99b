from django.urls import path

from . import views, views_compulsion, views_facts

app_name = "enforcement"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("cases/export.xlsx", views.case_export, name="case_export"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("decisions/<int:pk>/document/", views.decision_document, name="decision_document"),
    path("decisions/<int:pk>/compulsion/new/", views_compulsion.compulsion_new, name="compulsion_new"),
    path("decisions/<int:pk>/compulsion/<int:mid>/lift/", views_compulsion.compulsion_lift, name="compulsion_lift"),
    path("decisions/<int:pk>/compulsion/<int:mid>/document.docx", views_compulsion.compulsion_document,
         name="compulsion_document"),
    path("credit/", views.credit_list, name="credit_list"),
    path("credit/<int:pk>/<slug:action>/", views.credit_action, name="credit_action"),
    path("typical/", views.typical_list, name="typical_list"),
    path("accountability/", views.accountability_list, name="accountability_list"),
    path("accountability/export.xlsx", views.accountability_export, name="accountability_export"),
    path("facts/<slug:what>/new/", views_facts.facts_new, name="facts_new"),
]
