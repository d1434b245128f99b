"""Writers of what follows a case's decisions and of the committee offices' oversight records: 曝光 / 约谈 /
联合惩戒 of an enterprise, 典型执法案例 (published once the case is closed; withdrawn when the outcome it
published is revoked), 责任倒查 of officials and 约谈 / 通报 of subordinate offices. Guard, one transaction, one
event in the same transaction. Split out of ``enforcement.services`` by responsibility (listed in its
SERVICE_MODULES, re-exported there, so callers keep using ``enforcement.services``); the actor and stage checks
are that module's."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core import idnumber
from core.events import record
from core.services import ServiceError

from . import services
from .models import Accountability, Case, Decision, EnterpriseMeasure, OversightNotice, TypicalCase


def add_measure(actor, *, enterprise, kind: str, date: datetime.date | None = None, note: str = "",
                case: Case | None = None) -> EnterpriseMeasure:
    """曝光 / 约谈 / 联合惩戒 of an enterprise. Under a case it is one of the case's actions: for its
    handlers only (as on the case's page), wherever the enterprise is now — it stays with the case,
    where the case was filed. Without a case the enterprise must be in the writer's jurisdiction."""
    if case is not None:
        org = services._government_writer(actor, kinds=("department", "committee"))
        services._require_handler(actor, case)
        if case.enterprise_id != enterprise.pk:
            raise ServiceError("该案件的当事单位不是本单位。", "case")
        services._check_form_stage(case, "measure", "曝光、约谈或联合惩戒（须在作出决定之后）")
    else:
        org = services._government_writer(actor, enterprise, kinds=("department", "committee"))
    if kind not in EnterpriseMeasure.Kind.values:
        raise ServiceError("措施类型无效。", "kind")
    date = services._decided_on(date)
    if case is not None:
        services._not_before(date, case.opened_on, "日期", "立案日期", "date")
    with transaction.atomic():
        m = EnterpriseMeasure.objects.create(enterprise=enterprise, case=case, kind=kind, date=date,
                                             note=note, organisation=services._acting_org(org, case), created_by=services._user(actor),
                                             **(case or enterprise).region_codes())
        record(actor, f"enforcement.{kind}", enterprise, note=note, data={"measure": m.pk})
    return m


def outcome_in_force(case: Case) -> bool:
    """The case has an enforcement outcome a typical case can publish: an administrative penalty in force, or a
    移送司法机关 in force (the 危险作业罪 cases seed 000 ⑤ names are transfers)."""
    return case.decisions.filter(kind__in=(*services.PENALTY_KINDS, Decision.Kind.TRANSFER),
                                 status=Decision.Status.EFFECTIVE).exists()


TYPICAL_WITHDRAWAL_REASON = "所公布的处理决定已撤销"


def withdraw_unfounded_typical(actor, case: Case) -> list[int]:
    """The case's published typical cases whose outcome was revoked (no penalty or transfer in force any more):
    withdrawn (撤回) today, kept, with an event of their own on the case; the ids (the revocation's event names
    them too). Inside the revocation's transaction."""
    if outcome_in_force(case):
        return []
    published = list(TypicalCase.objects.filter(case=case, withdrawn_on__isnull=True).values_list("pk", flat=True))
    if published:
        today = timezone.localdate()
        TypicalCase.objects.filter(pk__in=published, withdrawn_on__isnull=True).update(
            withdrawn_on=today, withdrawal_reason=TYPICAL_WITHDRAWAL_REASON)
        record(actor, "case.typical_withdrawn", case, note=TYPICAL_WITHDRAWAL_REASON,
               data={"typical": published, "withdrawn_on": today.isoformat()})
    return published


def publish_typical(actor, case: Case, *, title: str, summary: str, dangerous_ops: bool = False,
                    published_on: datetime.date | None = None) -> TypicalCase:
    """公布典型执法案例 (seed 000 三(三)2(1)⑤ "根据监管执法情况 … 公布安全生产典型执法案例（含危险作业罪）"):
    of a closed case (FORM_STAGES["typical"]) with an enforcement outcome in force — an administrative
    penalty, or a 移送司法机关 (the 危险作业罪 cases the seed names are transfers)."""
    services._require_handler(actor, case)
    services._check_form_stage(case, "typical", "公布典型执法案例（须在结案之后）")
    if not outcome_in_force(case):
        raise ServiceError("本案没有已生效的行政处罚或移送司法机关决定，不能作为典型执法案例公布。", "title")
    if not (title or "").strip():
        raise ServiceError("请填写标题。", "title")
    if not (summary or "").strip():
        raise ServiceError("请填写案例简介。", "summary")
    published_on = services._decided_on(published_on)
    services._not_before(published_on, case.closed_on, "公布日期", "结案日期", "published_on")
    with transaction.atomic():
        t = TypicalCase.objects.create(enterprise=case.enterprise, case=case, title=title.strip(), summary=summary,
                                       dangerous_ops=bool(dangerous_ops), published_on=published_on,
                                       organisation=services._decision_org(actor, case), **case.region_codes())
        record(actor, "case.published", case, data={"typical": t.pk, "dangerous_ops": t.dangerous_ops})
    return t


# ---------------------------------------------------------------- accountability and notices

def _gov_org(actor) -> Organisation:
    org = services._government_writer(actor, kinds=("department", "committee"))
    if org is None:
        raise ServiceError("超级用户须以单位身份登记。", "organisation")
    return org


def record_accountability(actor, *, person_name: str, measure: str, date: datetime.date | None = None,
                          person_position: str = "", reason: str = "", case: Case | None = None,
                          id_number: str = "") -> Accountability:
    """责任倒查: an official held accountable; ``id_number`` the person's 公民身份号码 when known
    (row 3.9 counts persons by it, core.idnumber)."""
    org = _gov_org(actor)
    if not (person_name or "").strip():
        raise ServiceError("请填写被问责人。", "person_name")
    if not (measure or "").strip():
        raise ServiceError("请填写问责方式。", "measure")
    id_number = idnumber.clean(id_number)
    with transaction.atomic():
        row = Accountability(person_name=person_name.strip(), person_position=person_position, measure=measure,
                             reason=reason, date=services._decided_on(date), case=case, organisation=org, id_number=id_number)
        row.set_region_codes(org.region)
        row.save()
        record(actor, "enforcement.accountability", row,
               data={"person": row.person_name, "id_number": idnumber.masked(id_number)})
    return row


def record_notice(actor, *, target: Organisation, kind: str, date: datetime.date | None = None,
                  reason: str = "") -> OversightNotice:
    """约谈 / 通报 a township office or a department of the actor's region."""
    org = _gov_org(actor)
    if target is None or target.kind not in (Organisation.Kind.TOWNSHIP, Organisation.Kind.DEPARTMENT):
        raise ServiceError("对象须为街道（乡镇）或部门。", "target")
    if not Organisation.objects.visible_to(actor).filter(pk=target.pk).exists():
        raise ServiceError("对象单位不在您的辖区内。", "target")
    if kind not in OversightNotice.Kind.values:
        raise ServiceError("方式无效。", "kind")
    with transaction.atomic():
        row = OversightNotice(target=target, kind=kind, date=services._decided_on(date), reason=reason, organisation=org)
        row.set_region_codes(org.region)
        row.save()
        record(actor, f"enforcement.notice_{kind}", row, data={"target": target.pk})
    return row
