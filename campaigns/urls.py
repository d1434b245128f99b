from django.urls import path

from . import views, views_board, views_campaigns, views_cockpit, views_reports

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views_campaigns.campaign_new, name="campaign_new"),
    path("<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("dispatch/", views.dispatch_table, name="dispatch"),
    path("dispatch/submit/", views.dispatch_submit, name="dispatch_submit"),
    path("dispatch/export/", views.dispatch_export, name="dispatch_export"),
    path("dispatch/rollup/", views.rollup_view, name="rollup"),
    path("dispatch/remind/", views.remind, name="remind"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("activities/", views.activities, name="activities"),
    path("stats/", views_board.stats, name="stats"),
    path("board/", views_board.board_view, name="board"),
    path("cockpit/", views_cockpit.cockpit_view, name="cockpit"),
    path("bulletin/", views_board.bulletin, name="bulletin"),
    path("reports/", views_reports.reports, name="reports"),
]
