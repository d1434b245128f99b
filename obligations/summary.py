"""What is due and overdue for an enterprise, and the facts the inspectors' spot-check page
shows beside the nine questions of dispatch section 二 (rows 2.2–2.9).

``obligation_summary(enterprise, today)`` is the public entry point (inspections imports it).
"""

import datetime

from . import rules
from .models import (
    EmergencyDrill,
    Outsourcing,
    PrincipalCheck,
    ResponsibilityList,
    SafetyCostExtraction,
    SafetyOrganisation,
    SpecialWorker,
    WorkPermit,
)
from .rules import DUE, OK, OVERDUE
from .services import (
    certificate_problem,
    drill_months_for,
    principal_check_months,
    principal_study_months,
    rule,
    staffing_rule_for,
)

PERIOD_NAMES = {1: "每月", 3: "每季度", 6: "每半年", 12: "每年"}


def _period_name(months: int) -> str:
    return PERIOD_NAMES.get(months, f"每{months}个月")


def obligation_summary(enterprise, today: datetime.date | None = None) -> dict:
    """Facts about one enterprise's obligations on ``today``.

    Keys: principal_studied, principal_led_checks, duty_list (分管负责人职责清单), all_staff_list,
    institution_staff_ok (+ staffing_problems), uncertified_on_permits (list of messages),
    outsourcing_chaotic (+ chaotic_outsourcing), drills_ok (+ drill_months, last_drill_on),
    cost_extraction_ok (+ cost_shortfall), questions (dispatch row → True when a problem),
    items (dashboard rows: key, title, status ok|due|overdue, detail, deadline).
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    items: list[dict] = []

    def item(key, title, status, detail, deadline=None):
        items.append({"key": key, "title": title, "status": status, "detail": detail, "deadline": deadline})

    # Principal-led checks and studies.
    check_months = principal_check_months(enterprise)
    checks = PrincipalCheck.objects.filter(enterprise=enterprise)
    check_dates = list(checks.filter(kind=PrincipalCheck.Kind.CHECK).values_list("held_on", flat=True))
    check_status, check_end = rules.periodic_status(check_dates, today, check_months)
    item("principal_check", "主要负责人带队检查", check_status,
         f"{_period_name(check_months)}至少一次" + ("（高危行业）" if enterprise.high_risk else ""), check_end)
    study_months = principal_study_months(enterprise)
    study_dates = list(checks.filter(kind=PrincipalCheck.Kind.STUDY).values_list("held_on", flat=True))
    study_status, study_end = rules.periodic_status(study_dates, today, study_months)
    item("principal_study", "主要负责人专题研究", study_status, f"{_period_name(study_months)}至少一次", study_end)

    # Responsibility lists.
    kinds = set(ResponsibilityList.objects.filter(enterprise=enterprise, issued_on__lte=today)
                .values_list("kind", flat=True))
    for kind, label in ResponsibilityList.Kind.choices:
        item(f"list_{kind}", label, OK if kind in kinds else OVERDUE, "已制定" if kind in kinds else "尚未制定")

    # Safety organisation and staff.
    org = SafetyOrganisation.objects.filter(enterprise=enterprise, as_of__lte=today).order_by("-as_of", "-id").first()
    staffing = staffing_rule_for(enterprise)
    if org is None:
        staffing_problems = ["未填报安全管理机构和人员"]
    else:
        rule_data = rules.Staffing(staffing.institution_required, staffing.full_time_min,
                                   staffing.any_manager_min) if staffing else None
        staffing_problems = rules.staffing_problems(rule_data, org.has_institution, org.full_time_managers,
                                                    org.part_time_managers)
    item("staffing", "安全管理机构和人员", OVERDUE if staffing_problems else OK,
         "；".join(staffing_problems) or "符合配备要求")

    # Special-operation certificates.
    alert_days = rule("certificate_alert_days_first")
    expiring = expired = 0
    for worker in SpecialWorker.objects.filter(enterprise=enterprise):
        status = rules.certificate_status(worker.expires_on, worker.review_due_on, today, alert_days)
        expiring += status == DUE
        expired += status == OVERDUE
    cert_status = OVERDUE if expired else (DUE if expiring else OK)
    item("certificates", "特种作业操作证", cert_status, f"已过期或逾期未复审{expired}人，{alert_days}日内到期{expiring}人")

    uncertified = []
    since = today - datetime.timedelta(days=365)
    for permit in WorkPermit.objects.filter(enterprise=enterprise, work_on__gte=since, work_on__lte=today).prefetch_related("workers"):
        for worker in permit.workers.all():
            problem = certificate_problem(worker, permit.operation, permit.work_on)
            if problem:
                uncertified.append(f"{permit.number}：{problem}")
    if uncertified:
        item("permits", "作业票人员持证", OVERDUE, "；".join(uncertified[:3]))

    # Outsourcing and leasing.
    chaotic = [o for o in Outsourcing.objects.filter(enterprise=enterprise) if o.active_on(today) and o.chaotic]
    if chaotic:
        item("outsourcing", "外包外租安全管理", OVERDUE,
             "；".join(f"{o.counterpart}：缺{'、'.join(o.missing_conditions)}" for o in chaotic[:3]))

    # Emergency drills.
    months = drill_months_for(enterprise)
    drill_dates = list(EmergencyDrill.objects.filter(enterprise=enterprise).values_list("held_on", flat=True))
    drill_status, drill_end = rules.periodic_status(drill_dates, today, months)
    last_drill = max((d for d in drill_dates if d <= today), default=None)
    item("drills", "应急演练", drill_status, f"{_period_name(months)}至少一次；最近一次：{last_drill or '无'}", drill_end)

    # Safety-cost extraction for the previous year.
    year = today.year - rule("cost_year_lag")
    costs = list(SafetyCostExtraction.objects.filter(enterprise=enterprise, year=year))
    shortfall = None
    if not costs:
        cost_status, cost_detail = DUE, f"{year}年度安全生产费用提取情况未填报"
    elif any(c.below_required for c in costs):
        shortfall = sum((c.required_amount - c.amount) for c in costs if c.below_required)
        cost_status, cost_detail = OVERDUE, f"{year}年度提取金额低于规定标准，差额{shortfall:,.2f}元"
    else:
        cost_status, cost_detail = OK, f"{year}年度已按规定提取"
    item("costs", "安全生产费用提取", cost_status, cost_detail)

    facts = {
        "enterprise": enterprise.pk,
        "today": today,
        "principal_check_months": check_months,
        "principal_led_checks": check_status != OVERDUE,
        "principal_studied": study_status != OVERDUE,
        "duty_list": ResponsibilityList.Kind.DEPUTY in kinds,
        "all_staff_list": ResponsibilityList.Kind.ALL_STAFF in kinds,
        "institution_staff_ok": not staffing_problems,
        "staffing_problems": staffing_problems,
        "uncertified_on_permits": uncertified,
        "outsourcing_chaotic": bool(chaotic),
        "chaotic_outsourcing": [str(o) for o in chaotic],
        "drill_months": months,
        "last_drill_on": last_drill,
        "drills_ok": drill_status != OVERDUE,
        "cost_extraction_ok": cost_status == OK,
        "cost_shortfall": shortfall,
        "items": items,
        "due": sum(1 for i in items if i["status"] == DUE),
        "overdue": sum(1 for i in items if i["status"] == OVERDUE),
    }
    facts["questions"] = {
        "2.2": not facts["principal_studied"],
        "2.3": not facts["principal_led_checks"],
        "2.4": not facts["duty_list"],
        "2.5": not facts["institution_staff_ok"],
        "2.6": bool(uncertified),
        "2.7": facts["outsourcing_chaotic"],
        "2.8": not facts["drills_ok"],
        "2.9": not facts["cost_extraction_ok"],
    }
    return facts
