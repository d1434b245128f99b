from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/history/", views.enterprise_history, name="history"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/contacts/", views.enterprise_contacts, name="contacts"),
    path("<int:pk>/close/", views.enterprise_close, name="close"),
    path("<int:pk>/reopen/", views.enterprise_reopen, name="reopen"),
    path("<int:pk>/engagements/new/", views.engagement_create, name="engagement_create"),
    path("<int:pk>/engagements/<int:eid>/end/", views.engagement_end, name="engagement_end"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/export.xlsx", views.engagement_export, name="engagements_export"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/jobs/", views.import_jobs, name="import_jobs"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/run/", views.import_run, name="import_run"),
]
