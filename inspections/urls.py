from django.urls import path

from .views import planning, records, recusal

app_name = "inspections"
urlpatterns = [
    path("", records.index, name="index"),
    path("records/export.xlsx", records.records_export, name="records_export"),
    path("records/new/", records.record_new, name="record_new"),
    path("records/<int:pk>/", records.record_detail, name="record"),
    path("records/<int:pk>/items/<int:item_pk>/", records.item_set, name="item_set"),
    path("records/<int:pk>/findings/", records.finding_add, name="finding_add"),
    path("records/<int:pk>/findings/<int:item_pk>/match/", records.finding_match, name="finding_match"),
    path("records/<int:pk>/sign/", records.sign, name="sign"),
    path("records/<int:pk>/answer-remaining/", records.answer_remaining, name="answer_remaining"),
    path("records/<int:pk>/addendum/", records.addendum, name="addendum"),
    path("records/<int:pk>/record.docx", records.record_docx, name="record_docx"),
    path("records/<int:pk>/orders/<int:item_pk>.docx", records.order_docx, name="order_docx"),
    path("recusal/", recusal.recusal, name="recusal"),
    path("plans/new/", planning.plan_new, name="plan_new"),
    path("plans/<int:pk>/", planning.plan_detail, name="plan"),
    path("redraws/<int:pk>/approve/", planning.redraw_decide, {"decision": "approve"}, name="redraw_approve"),
    path("redraws/<int:pk>/refuse/", planning.redraw_decide, {"decision": "refuse"}, name="redraw_refuse"),
    path("spot-checks/", planning.spot_checks, name="spot_checks"),
    path("spot-checks/export.xlsx", planning.spot_checks_export, name="spot_checks_export"),
    path("spot-checks/new/<int:enterprise_pk>/", planning.spot_check_new, name="spot_check_new"),
    path("visits/new/", planning.visit_new, name="visit_new"),
    path("visits/<int:pk>/", planning.visit_detail, name="visit"),
    path("reviews/new/", planning.review_new, name="review_new"),
    path("reviews/<int:pk>/", planning.review_detail, name="review"),
    path("reviews/<int:pk>/report.docx", planning.review_docx, name="review_docx"),
]
