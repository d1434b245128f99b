"""What is due and overdue for an enterprise, and the facts the inspectors' spot-check page
shows beside the nine questions of dispatch section 二 (rows 2.2–2.9).

``obligation_summary(enterprise, today)`` is the public entry point (inspections imports it);
``obligation_summaries(enterprises, today)`` computes many at once with one query per record
kind (the /obligations/ list), whatever the number of enterprises.
"""

import datetime
from collections import defaultdict

from . import rules
from .models import (
    EmergencyDrill,
    ObligationRule,
    Outsourcing,
    PrincipalCheck,
    ResponsibilityList,
    SafetyCostExtraction,
    SafetyOrganisation,
    SpecialWorker,
    StaffingRule,
    WorkPermit,
)
from .reference import ensure_defaults
from .rules import DUE, OK, OVERDUE
from .services import (
    certificate_problem,
    rule,
)

PERIOD_NAMES = {1: "每月", 3: "每季度", 6: "每半年", 12: "每年"}


def _period_name(months: int) -> str:
    return PERIOD_NAMES.get(months, f"每{months}个月")


def _by_enterprise(queryset) -> dict[int, list]:
    rows = defaultdict(list)
    for row in queryset:
        rows[row.enterprise_id].append(row)
    return rows


class Records:
    """The obligation records of a set of enterprises and the rule tables, one query each."""

    def __init__(self, enterprises, today: datetime.date):
        self._today = today  # every rule as in force on that day (core.ruletables)
        ids = [e.pk for e in enterprises]
        self.checks = _by_enterprise(PrincipalCheck.objects.filter(enterprise_id__in=ids))
        self.lists = _by_enterprise(ResponsibilityList.objects.filter(enterprise_id__in=ids, issued_on__lte=today))
        self.organisations = _by_enterprise(SafetyOrganisation.objects.filter(enterprise_id__in=ids, as_of__lte=today)
                                            .order_by("-as_of", "-id"))
        self.workers = _by_enterprise(SpecialWorker.objects.filter(enterprise_id__in=ids))
        since = today - datetime.timedelta(days=365)
        self.permits = _by_enterprise(WorkPermit.objects.filter(enterprise_id__in=ids, work_on__gte=since,
                                                                work_on__lte=today).prefetch_related("workers"))
        self.outsourcing = _by_enterprise(Outsourcing.objects.filter(enterprise_id__in=ids))
        self.drills = _by_enterprise(EmergencyDrill.objects.filter(enterprise_id__in=ids))
        self._costs_year = today.year - self.rule("cost_year_lag")
        self.costs = _by_enterprise(SafetyCostExtraction.objects.filter(enterprise_id__in=ids, year=self._costs_year))
        from accounts.models import Sector
        from core.ruletables import rows_in_force
        from enterprises.models import Enterprise

        # each sector's 应急演练周期 as in force on ``today`` (rule table "sector-drills"), one query
        # for the links, one for the sectors, one for their versions
        links = list(Enterprise.sectors.through.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "sector_id"))
        in_force = {s.pk: s.drill_months for s in
                    rows_in_force("sector-drills", Sector.objects.filter(pk__in={s for _, s in links}), today)}
        self.sector_drill_months = defaultdict(list)
        for ent_id, sector_id in links:
            if sector_id in in_force:  # a sector whose first version is later than ``today`` did not exist then
                self.sector_drill_months[ent_id].append(in_force[sector_id])
        if not StaffingRule.objects.exists():
            ensure_defaults()

        self.staffing_rules = rows_in_force("staffing", StaffingRule.objects.order_by("-min_employees"), today)

    _rules: dict[str, int] | None = None

    def rule(self, code: str) -> int:
        if self._rules is None:
            from core.ruletables import rows_in_force

            self._rules = {r.code: r.value for r in rows_in_force("obligations", ObligationRule.objects.all(), self._today)}
        if code not in self._rules:
            self._rules[code] = rule(code, self._today)  # creates the defaults when missing
        return self._rules[code]

    def principal_check_months(self, enterprise) -> int:
        return self.rule("principal_check_months_high_risk" if enterprise.high_risk else "principal_check_months")

    def principal_study_months(self, enterprise) -> int:
        """Seed 002 item 8: 专题研究 each quarter, each month in high-risk sectors."""
        return self.rule("principal_study_months_high_risk" if enterprise.high_risk else "principal_study_months")

    def drill_months_for(self, enterprise) -> int:
        months = self.sector_drill_months.get(enterprise.pk)
        return rules.drill_months(months) if months else self.rule("drill_months_default")

    def staffing_rule_for(self, enterprise):
        return next((r for r in self.staffing_rules
                     if r.high_risk == enterprise.high_risk and r.min_employees <= enterprise.employees), None)


def obligation_summaries(enterprises, today: datetime.date | None = None) -> dict[int, dict]:
    """``obligation_summary`` for each enterprise (by pk), with a constant number of queries."""
    from django.utils import timezone

    today = today or timezone.localdate()
    enterprises = list(enterprises)
    records = Records(enterprises, today)
    return {e.pk: _summary(e, today, records) for e in enterprises}


def obligation_summary(enterprise, today: datetime.date | None = None) -> dict:
    """Facts about one enterprise's obligations on ``today``.

    Keys: principal_studied, principal_led_checks, duty_list (分管负责人职责清单), all_staff_list,
    institution_staff_ok (+ staffing_problems), uncertified_on_permits (list of messages),
    outsourcing_chaotic (+ chaotic_outsourcing), drills_ok (+ drill_months, last_drill_on),
    cost_extraction_ok (+ cost_shortfall), questions (dispatch row → True when a problem),
    items (dashboard rows: key, title, status ok|due|overdue, detail, deadline).
    """
    return obligation_summaries([enterprise], today)[enterprise.pk]


def _summary(enterprise, today: datetime.date, records: Records) -> dict:
    items: list[dict] = []

    def item(key, title, status, detail, deadline=None):
        items.append({"key": key, "title": title, "status": status, "detail": detail, "deadline": deadline})

    # Principal-led checks and studies.
    check_months = records.principal_check_months(enterprise)
    checks = records.checks.get(enterprise.pk, [])
    check_dates = [c.held_on for c in checks if c.kind == PrincipalCheck.Kind.CHECK]
    check_status, check_end = rules.periodic_status(check_dates, today, check_months)
    item("principal_check", "主要负责人带队检查", check_status,
         f"{_period_name(check_months)}至少一次" + ("（高危行业）" if enterprise.high_risk else ""), check_end)
    study_months = records.principal_study_months(enterprise)
    study_dates = [c.held_on for c in checks if c.kind == PrincipalCheck.Kind.STUDY]
    study_status, study_end = rules.periodic_status(study_dates, today, study_months)
    item("principal_study", "主要负责人专题研究", study_status, f"{_period_name(study_months)}至少一次", study_end)

    # Responsibility lists.
    kinds = {row.kind for row in records.lists.get(enterprise.pk, [])}
    for kind, label in ResponsibilityList.Kind.choices:
        item(f"list_{kind}", label, OK if kind in kinds else OVERDUE, "已制定" if kind in kinds else "尚未制定")

    # Safety organisation and staff.
    org = next(iter(records.organisations.get(enterprise.pk, [])), None)
    staffing = records.staffing_rule_for(enterprise)
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
    alert_days = records.rule("certificate_alert_days_first")
    expiring = expired = 0
    for worker in records.workers.get(enterprise.pk, []):
        status = rules.certificate_status(worker.expires_on, worker.review_due_on, today, alert_days)
        expiring += status == DUE
        expired += status == OVERDUE
    cert_status = OVERDUE if expired else (DUE if expiring else OK)
    item("certificates", "特种作业操作证", cert_status, f"已过期或逾期未复审{expired}人，{alert_days}日内到期{expiring}人")

    uncertified = []
    for permit in records.permits.get(enterprise.pk, []):
        for worker in permit.workers.all():
            problem = certificate_problem(worker, permit.operation, permit.work_on)
            if problem:
                uncertified.append(f"{permit.number}：{problem}")
    if uncertified:
        item("permits", "作业票人员持证", OVERDUE, "；".join(uncertified[:3]))

    # Outsourcing and leasing.
    chaotic = [o for o in records.outsourcing.get(enterprise.pk, []) if o.active_on(today) and o.chaotic]
    if chaotic:
        item("outsourcing", "外包外租安全管理", OVERDUE,
             "；".join(f"{o.counterpart}：缺{'、'.join(o.missing_conditions)}" for o in chaotic[:3]))

    # Emergency drills.
    months = records.drill_months_for(enterprise)
    drill_dates = [d.held_on for d in records.drills.get(enterprise.pk, [])]
    drill_status, drill_end = rules.periodic_status(drill_dates, today, months)
    last_drill = max((d for d in drill_dates if d <= today), default=None)
    item("drills", "应急演练", drill_status, f"{_period_name(months)}至少一次；最近一次：{last_drill or '无'}", drill_end)

    # Safety-cost extraction for the previous year.
    year = records._costs_year
    costs = records.costs.get(enterprise.pk, [])
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
