"""Deadline alerts of accidents (a plain function; the jobs lane schedules it, and the
``send_accident_alerts`` command runs it by hand). Each alert is sent once (dedupe key).

* 迟报: a report that came after the one-hour deadline → the county committee office;
* 补报: the window closes within 3 days → the reporting unit;
* investigation report due within 7 days or overdue → the investigating units;
* 批复 due within 3 days or overdue → the investigating units' leaders;
* evaluation due within 30 days or overdue → the investigating units;
* exposed-problem measure due within 7 days or overdue → the owner unit.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from core.notifications import notify

from . import workflow
from .models import Accident, InvestigationAuthority, Measure

WINDOWS = {"supplement": 3, "investigation": 7, "approval": 3, "evaluation": 30, "measure": 7}


def _users(org_ids, leaders_only=False):
    qs = get_user_model().objects.filter(membership__organisation_id__in=list(org_ids), is_active=True)
    roles = ("leader",) if leaders_only else ("officer", "leader", "principal", "safety_manager")
    return qs.filter(membership__role__in=roles)


def _investigating_orgs(accident) -> set[int]:
    """The offices told of an accident's deadlines: the county's committee office and comprehensive
    department (属地), and those of the government that investigates its grade (493号令 art. 19:
    较大 → the city, 重大 → the province; the State Council's are recorded by the province) — or of
    the investigation's own level once it exists (提级) — going up where that level has none on the
    platform (a municipality's 市辖区); plus the investigation's lead office."""
    from . import rules

    offices = Q(kind=Organisation.Kind.COMMITTEE) | Q(department_type__comprehensive=True)
    ids = set(Organisation.objects.filter(offices, region__code=accident.county_code).values_list("pk", flat=True))
    inv = getattr(accident, "investigation", None)
    try:
        level = rules.acting_level(inv.level if inv is not None and inv.level else rules.authority_level(accident.grade))
    except InvestigationAuthority.DoesNotExist:  # no authority row for the grade: the county's offices only
        level = "county"
    while level and level != "county":
        code = getattr(accident, f"{level}_code", "")
        found = set(Organisation.objects.filter(offices, region__code=code).values_list("pk", flat=True)) if code else set()
        if found:
            ids |= found
            break
        level = rules.UP.get(level) if rules.UP.get(level) != "state" else None
    if inv is not None and inv.lead_org_id:
        ids.add(inv.lead_org_id)
    return ids


def _send(kind, key, title, url, obj, users) -> int:
    n = 0
    for user in users:
        if notify(kind=f"accident.{kind}", dedupe_key=f"{key}:{user.pk}", title=title, url=url, obj=obj, user=user,
                  channels=("inapp", "email")):
            n += 1
    return n


def _due(deadline, today, window):
    if deadline is None or deadline > today + datetime.timedelta(days=window):
        return None
    return "overdue" if deadline < today else "due_soon"


def send_alerts(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    qs = Accident.objects.select_related("investigation", "reported_by_org")
    for a in qs.filter(late_report=True):
        sent += _send("late_report", f"acc:{a.pk}:late", f"事故{a.number}迟报（{a.enterprise_name}）",
                      f"/accidents/{a.pk}/", a, _users(_investigating_orgs(a)))
    for a in qs.exclude(status__in=(workflow.CLOSED, workflow.EVALUATED)).filter(supplement_until__gte=today):
        if a.reported_by_org_id and _due(a.supplement_until, today, WINDOWS["supplement"]):
            sent += _send("supplement_due", f"acc:{a.pk}:supp:{a.supplement_until}",
                          f"事故{a.number}伤亡人数补报期限将于{a.supplement_until}截止", f"/accidents/{a.pk}/", a,
                          _users([a.reported_by_org_id]))
    for a in qs.filter(status__in=(workflow.REPORTED, workflow.INVESTIGATING)):
        state = _due(a.investigation_due, today, WINDOWS["investigation"])
        if state:
            sent += _send(f"investigation_{state}", f"acc:{a.pk}:inv:{a.investigation_due}:{state}",
                          f"事故{a.number}调查报告{'已超期' if state == 'overdue' else '即将到期'}（{a.investigation_due}）",
                          f"/accidents/{a.pk}/", a, _users(_investigating_orgs(a)))
    for a in qs.filter(status=workflow.REPORT_SUBMITTED):
        state = _due(a.approval_due, today, WINDOWS["approval"])
        if state:
            sent += _send(f"approval_{state}", f"acc:{a.pk}:appr:{a.approval_due}:{state}",
                          f"事故{a.number}调查报告批复{'已超期' if state == 'overdue' else '即将到期'}（{a.approval_due}）",
                          f"/accidents/{a.pk}/", a, _users(_investigating_orgs(a), leaders_only=True))
    for a in qs.filter(status=workflow.CLOSED):
        state = _due(a.evaluation_due, today, WINDOWS["evaluation"])
        if state:
            sent += _send(f"evaluation_{state}", f"acc:{a.pk}:eval:{a.evaluation_due}:{state}",
                          f"事故{a.number}结案后整改评估{'已超期' if state == 'overdue' else '即将到期'}（{a.evaluation_due}）",
                          f"/accidents/{a.pk}/", a, _users(_investigating_orgs(a)))
    for m in Measure.objects.exclude(status=workflow.M_CLOSED).select_related("accident"):
        state = _due(m.deadline, today, WINDOWS["measure"])
        if state:
            sent += _send(f"measure_{state}", f"acc:m{m.pk}:{m.deadline}:{state}",
                          f"事故{m.accident.number}暴露问题整改措施{'已超期' if state == 'overdue' else '即将到期'}（{m.deadline}）",
                          f"/accidents/{m.accident_id}/", m.accident, _users([m.owner_org_id]))
    return sent
