from django.urls import path

from . import rule_views, views

app_name = "tips"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("export.xlsx", views.inbox_export, name="export"),
    path("hotline/", views.hotline, name="hotline"),
    path("rules/rewards/", rule_views.policy_list, name="rules_rewards"),
    path("rules/rewards/<slug:code>/edit/", rule_views.policy_edit, name="rules_reward_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/files/<int:att_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/rewards/<int:reward_pk>/<str:action>/", views.reward_act, name="reward_act"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
