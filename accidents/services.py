"""The only code that writes accidents. Each change: guard (workflow), one transaction,
compare-and-set on the accident's status, one event in the same transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from . import rules, workflow
from .acting import (  # noqa: F401  (re-exported: views and other apps ask accidents.services)
    CODE,
    _cas,
    _facts,
    _figures,
    _guard,
    _notify_government,
    _text,
    _writes,
    covers,
    is_approver,
    is_investigator,
    is_supervisor,
    may_report,
)
from .investigation import (  # noqa: F401  (re-exported)
    accept_measure,
    add_measure,
    add_responsibility,
    approve,
    escalate,
    extend_investigation,
    list_supervision,
    publish_evaluation,
    reject_measure,
    start_investigation,
    submit_measure,
    submit_report,
)
from .lessons import launch_lesson_check, record_lesson_result  # noqa: F401  (re-exported)
from .models import REPORTABLE_TYPES, TEXT_BOUNDS, Accident, CasualtyChange, Investigation

#: writer modules split out of this one (services are the only writers; see core/tests/test_writers.py),
#: re-exported here so callers keep using ``accidents.services``:
#: investigation.py: investigation, exposed-problem measures and the one-year evaluation
#: lessons.py: 举一反三 checks and their per-enterprise results
#: acting.py: who acts, and the guard / compare-and-set every accident writer shares
SERVICE_MODULES = ("acting", "investigation", "lessons")


# ---------------------------------------------------------------- report and 补报

def check_accident_type(value) -> str:
    """A reportable 事故类别 (GB 6441-1986 or 道路交通事故), else a refusal on the field."""
    if value in (None, ""):
        raise ServiceError("请选择事故类别（道路交通事故、火灾事故的伤亡人数补报期限为7日，其他为30日）。", "accident_type")
    if not isinstance(value, str) or value not in dict(REPORTABLE_TYPES):
        raise ServiceError(f"事故类别“{value}”无效，请从列表中选择。", "accident_type")
    return value


def report_accident(actor, *, region, place: str, enterprise=None, enterprise_name: str = "", sector,
                    accident_type: str = "", occurred_at: datetime.datetime, learned_at: datetime.datetime, deaths=0, injuries=0, loss=0,
                    summary: str, reported_at: datetime.datetime | None = None, source: str | None = None,
                    tip=None, concealed: bool = False, flag_note: str = "") -> Accident:
    """File an accident report (art. 9). The grade comes from the figures; 迟报 is set when the
    report comes after the deadline counted from when the principal learned of the accident. The
    accident type (事故类别) is required: it decides the 补报 window (art. 13)."""
    if region is None or region.level != "township":
        raise ServiceError("请选择事故发生地所在的乡镇（街道）。", "region")
    if sector is None:
        raise ServiceError("请选择行业领域。", "sector")
    accident_type = check_accident_type(accident_type)
    if enterprise is not None:
        if enterprise.region_id != region.pk:
            raise ServiceError("事故单位不在所选乡镇（街道）。", "enterprise")
        enterprise_name = enterprise.name
    enterprise_name = _text(enterprise_name, "enterprise_name", "事故单位名称", max_length=TEXT_BOUNDS["enterprise_name"])
    place = _text(place, "place", "事故地点", max_length=TEXT_BOUNDS["place"])
    summary = _text(summary, "summary", "事故简要经过")
    if not may_report(actor, enterprise=enterprise, region=region, sector=sector):
        raise NotPermitted("您无权报告该单位或该地区的事故。")
    now = timezone.now()
    reported_at = reported_at or now
    if occurred_at is None or occurred_at > now:
        raise ServiceError("事故发生时间不能晚于当前时间。", "occurred_at")
    if timezone.localtime(occurred_at).date() < rules.IN_FORCE_FROM:
        raise ServiceError(f"事故发生时间不能早于《生产安全事故报告和调查处理条例》施行之日（{rules.IN_FORCE_FROM:%Y年%-m月%-d日}）。",
                           "occurred_at")
    if learned_at is None or learned_at < occurred_at:
        raise ServiceError("接到报告时间不能早于事故发生时间。", "learned_at")
    if learned_at > reported_at:
        raise ServiceError("接到报告时间不能晚于报告时间。", "learned_at")
    deaths, injuries, loss = _figures(deaths, injuries, loss)
    grade = rules.grade_of(deaths, injuries, loss)
    occurred_on = timezone.localtime(occurred_at).date()
    hours = rules.days(CODE.REPORT_HOURS, occurred_on)  # the rules in force the day it occurred
    org = actor_org(actor)
    if source is None:
        source = Accident.Source.ENTERPRISE if org and org.kind == Organisation.Kind.ENTERPRISE else Accident.Source.GOVERNMENT
    accident = Accident(
        region=region, place=place, enterprise=enterprise, enterprise_name=enterprise_name, sector=sector,
        accident_type=accident_type, occurred_at=occurred_at, learned_at=learned_at, reported_at=reported_at,
        report_due_at=workflow.report_deadline(learned_at, hours), source=source, reported_by_org=org,
        deaths=deaths, injuries=injuries, loss=loss, summary=summary, grade=grade,
        late_report=workflow.is_late(learned_at, reported_at, hours), concealed=concealed, flag_note=flag_note,
        supplement_until=rules.supplement_until(accident_type, occurred_on),
        investigation_due=workflow.investigation_deadline(occurred_on, rules.days(CODE.INVESTIGATION_DAYS, occurred_on)),
        tip=tip, created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    accident.set_region_codes(region)
    with transaction.atomic():
        accident.save()
        CasualtyChange.objects.create(accident=accident, deaths=deaths, injuries=injuries, loss=loss, grade_after=grade,
                                      note="初报", by=accident.created_by)
        record(actor, "accident.reported", accident, to_state=accident.status,
               data={"grade": grade, "deaths": deaths, "injuries": injuries, "loss": str(loss),
                     "late": accident.late_report, "source": source, "accident_type": accident_type,
                     "supplement_until": accident.supplement_until.isoformat()})
        _notify_government(accident, "accident.reported", f"事故报告：{accident.enterprise_name}（{accident.get_grade_display()}）")
    return accident


def update_casualties(actor, accident: Accident, *, deaths, injuries, loss, note: str = "",
                      at: datetime.datetime | None = None) -> Accident:
    """补报 (art. 13): a change of the figures within the window (30 days; 7 for 道路交通事故 and
    火灾 — by the accident's type, ``rules.supplement_until``) re-grades the accident. Later changes
    are refused."""
    at = at or timezone.now()
    if timezone.localtime(at).date() > accident.supplement_until:
        raise ServiceError(f"已超过补报期限（{accident.supplement_until}），伤亡人数不再变更。", "deaths")
    if accident.status in (workflow.CLOSED, workflow.EVALUATED):
        raise ServiceError("事故已批复结案，不能再补报。", None)
    if not (may_report(actor, enterprise=accident.enterprise, region=accident.region, sector=accident.sector)
            or is_investigator(actor, accident)):
        raise NotPermitted("您无权补报该事故。")
    deaths, injuries, loss = _figures(deaths, injuries, loss)
    if (deaths, injuries, loss) == (accident.deaths, accident.injuries, accident.loss):
        raise ServiceError("伤亡人数和经济损失均未变化。", "deaths")
    note = _text(note, "note", "补报说明", max_length=TEXT_BOUNDS["supplement_note"])
    grade = rules.grade_of(deaths, injuries, loss)
    before = accident.grade
    with transaction.atomic():
        changes = {"deaths": deaths, "injuries": injuries, "loss": loss, "grade": grade}
        inv = getattr(accident, "investigation", None)
        if inv is not None:  # the investigating government follows the new grade (提级 kept)
            level = rules.authority_level(grade, inv.escalated)
            if level != inv.level:
                Investigation.objects.filter(pk=inv.pk).update(level=level, authority_name=rules.authority_name(accident.region, level))
                inv.level, inv.authority_name = level, rules.authority_name(accident.region, level)
        updated = Accident.objects.filter(pk=accident.pk, status=accident.status, deaths=accident.deaths,
                                          injuries=accident.injuries, loss=accident.loss).update(**changes)
        if updated != 1:
            raise StaleState()
        for k, v in changes.items():
            setattr(accident, k, v)
        CasualtyChange.objects.create(accident=accident, at=at, deaths=deaths, injuries=injuries, loss=loss,
                                      grade_before=before, grade_after=grade, note=note,
                                      by=actor if actor is not None and actor.is_authenticated else None)
        record(actor, "accident.supplemented", accident, note=note,
               data={"deaths": deaths, "injuries": injuries, "loss": str(loss), "grade_before": before, "grade": grade})
    return accident


def classify_accident(actor, accident: Accident, *, accident_type: str, note: str = "") -> Accident:
    """Record the 事故类别 of an accident reported before the type existed (未填写, migration
    accidents/0003). Its 补报 window is then the one of its type (art. 13, the rule in force on the
    day it occurred), replacing the date the old sector-keyed rule gave; 补报 already made stand.
    Once set, the type is not changed here. Who may: those who may 补报 the accident."""
    accident_type = check_accident_type(accident_type)
    if not (may_report(actor, enterprise=accident.enterprise, region=accident.region, sector=accident.sector)
            or is_investigator(actor, accident)):
        raise NotPermitted("您无权补录该事故的事故类别。")
    if accident.accident_type:
        raise ServiceError("该事故已填写事故类别，不能再次补录。", "accident_type")
    note = _text(note, "note", "补录说明", max_length=TEXT_BOUNDS["classify_note"], required=False)
    before = accident.supplement_until
    until = rules.supplement_until(accident_type, rules.occurred_on(accident))
    with transaction.atomic():
        if Accident.objects.filter(pk=accident.pk, accident_type="").update(accident_type=accident_type,
                                                                            supplement_until=until) != 1:
            raise StaleState()
        accident.accident_type, accident.supplement_until = accident_type, until
        record(actor, "accident.classified", accident, note=note,
               data={"accident_type": accident_type, "supplement_until_before": before.isoformat(),
                     "supplement_until": until.isoformat()})
    return accident


CORRECTABLE_STATES = (workflow.REPORTED, workflow.INVESTIGATING, workflow.REPORT_SUBMITTED)


def reclassify_accident(actor, accident: Accident, *, accident_type: str, reason: str) -> Accident:
    """更正事故类别: the reporter named the type within hours of the accident; the investigation
    establishes the facts (493号令 art. 25), so the investigating government may correct it, with
    its reason, until the investigation report is approved (from then the approved report is the
    record). The 补报 window becomes the new type's (art. 13, the rule in force on the day it
    occurred); 补报 already made stand. A report without a type is classified, not corrected."""
    accident_type = check_accident_type(accident_type)
    if not is_investigator(actor, accident):
        raise NotPermitted("只有负责事故调查的单位可以更正事故类别。")
    if not accident.accident_type:
        raise ServiceError("该事故尚未填写事故类别，请先补录事故类别。", "accident_type")
    if accident.status not in CORRECTABLE_STATES:
        raise ServiceError("事故调查报告已批复，事故类别以批复的调查报告为准，不能再更正。", "accident_type")
    if accident_type == accident.accident_type:
        raise ServiceError("新的事故类别与原事故类别相同。", "accident_type")
    reason = _text(reason, "reason", "更正理由", max_length=TEXT_BOUNDS["reclassify_reason"])
    before_type, before_until = accident.accident_type, accident.supplement_until
    until = rules.supplement_until(accident_type, rules.occurred_on(accident))
    with transaction.atomic():
        if Accident.objects.filter(pk=accident.pk, accident_type=before_type, status=accident.status).update(
                accident_type=accident_type, supplement_until=until) != 1:
            raise StaleState()
        accident.accident_type, accident.supplement_until = accident_type, until
        record(actor, "accident.reclassified", accident, note=reason,
               data={"accident_type_before": before_type, "accident_type": accident_type,
                     "supplement_until_before": before_until.isoformat(), "supplement_until": until.isoformat()})
    return accident


def set_flags(actor, accident: Accident, *, omitted: bool, false_report: bool, concealed: bool, note: str) -> Accident:
    """漏报/谎报/瞒报 findings (迟报 is computed). Only the investigating government."""
    if not is_investigator(actor, accident):
        raise NotPermitted("只有负责事故调查的单位可以认定漏报、谎报、瞒报。")
    note = _text(note, "flag_note", "认定说明", max_length=TEXT_BOUNDS["flag_note"])
    with transaction.atomic():
        changes = {"omitted_report": omitted, "false_report": false_report, "concealed": concealed, "flag_note": note}
        if Accident.objects.filter(pk=accident.pk, status=accident.status).update(**changes) != 1:
            raise StaleState()
        for k, v in changes.items():
            setattr(accident, k, v)
        record(actor, "accident.flags_set", accident, note=note, data={"flags": accident.flags})
    return accident


def record_concealed_from_tip(actor, tip, **fields) -> Accident:
    """A tip about a concealed accident, verified: the accident record is created flagged 瞒报
    and linked to the tip. The reward rule (lane law) reads ``concealed_accident_for_tip``."""
    from tips.models import Tip

    if tip.result not in (Tip.Result.TRUE, Tip.Result.PARTLY):
        raise ServiceError("举报尚未核查属实，不能据此登记瞒报事故。", "tip")
    if Accident.objects.filter(tip=tip).exists():
        raise ServiceError("该举报已登记事故。", "tip")
    fields.setdefault("region", tip.region)
    fields.setdefault("sector", tip.sector)
    fields.setdefault("enterprise", tip.enterprise)
    fields.setdefault("enterprise_name", tip.enterprise_name)
    # the note is shown to the accident's enterprise: no tip number or word of a tip (RULES.md §1
    # identity protection — the link lives on Accident.tip, which no enterprise page or answer shows)
    return report_accident(actor, source=Accident.Source.TIP, tip=tip, concealed=True,
                           flag_note=fields.pop("flag_note", "") or "经核查属实，事故单位瞒报。", **fields)


def concealed_accident_for_tip(tip) -> Accident | None:
    """For the reward rule: the verified concealed accident a tip revealed (grade, deaths), or None."""
    return Accident.objects.filter(tip=tip, concealed=True).first()
