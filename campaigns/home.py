"""Home-page card: has the user's unit submitted this week's dispatch table?"""

from django.utils import timezone

from accounts.permissions import actor_org

from .dispatch import week_of
from .models import Submission


def cards(user) -> list[dict]:
    org = actor_org(user)
    if org is None or not org.is_government:
        return []
    from .tables import campaign_for

    now = timezone.now()
    done = Submission.objects.filter(unit=org, week=week_of(now)).exists()
    campaign = campaign_for(org, now)
    hint = campaign.deadline_label if campaign else "暂无专项行动"
    return [{"key": "dispatch_week", "title": "本周调度表", "value": "已报送" if done else "未报送",
             "url": f"/campaigns/dispatch/?unit={org.pk}", "hint": hint}]
