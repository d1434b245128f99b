"""Home-page cards of the tip inbox (government users only; enterprises never see tips)."""

from accounts.permissions import is_government

from . import workflow
from .models import Tip


def cards(user) -> list[dict]:
    if not is_government(user):
        return []
    qs = Tip.objects.visible_to(user)
    m = getattr(user, "membership", None)
    waiting = qs.extension_pending_for(m.organisation_id).count() if m else 0
    reviews = qs.review_pending_for(m.organisation_id).count() if m else 0
    return ([{"key": "tips_extensions", "title": "待审批延期", "value": waiting, "url": "/tips/?extension=true",
              "hint": "下级承办单位报请延长举报办理期限"}] if waiting else []) + (
        [{"key": "tips_reviews", "title": "待办理复查", "value": reviews, "url": "/tips/?review=true",
          "hint": "举报人对下级单位的办理结果申请复查"}] if reviews else []) + [
        {"key": "tips_open", "title": "在办举报", "value": qs.filter(status__in=workflow.OPEN_STATES).count(),
         "url": "/tips/?open=true", "hint": "待受理、核查中、待奖励"},
        {"key": "tips_new", "title": "待受理举报", "value": qs.filter(status=workflow.SUBMITTED).count(),
         "url": "/tips/?status=submitted", "hint": "请在期限内受理"},
    ]
