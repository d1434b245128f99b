"""双报告: an enterprise reports a major hazard to a department responsible for it and to its
workers' congress. Split out of ``services`` (listed in its SERVICE_MODULES)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core.events import record
from core.services import ServiceError, StaleState

from . import workflow
from .acting import _require_kind
from .models import Hazard
from .services import _context, _transition


def report_departments(hazard: Hazard):
    """Departments a 双报告 may go to (分级属地: 向负有安全监管职责的有关部门报告): active
    departments of the hazard's county, city or province that are responsible for its sector — a
    comprehensive department (应急管理局) or one with a competence for the sector or a sector above it."""
    from django.db.models import Q

    from accounts.models import Sector

    sector_ids, sector = [], Sector.objects.filter(pk=hazard.sector_id).first()
    while sector is not None and sector.pk not in sector_ids:
        sector_ids.append(sector.pk)
        sector = sector.parent
    places = (Q(county_code=hazard.county_code, township_code="") | Q(county_code="", city_code=hazard.city_code)
              | Q(city_code="", province_code=hazard.province_code))
    return (Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, is_active=True).filter(places)
            .filter(Q(department_type__comprehensive=True) | Q(competences__sector_id__in=sector_ids))
            .distinct().order_by("province_code", "city_code", "county_code", "name"))


def report_hazard(actor, hazard: Hazard, *, department: Organisation | None = None, to_congress: bool = True,
                  note: str = "") -> Hazard:
    """双报告 (安全生产法 art. 41: a major hazard's status is reported to the department with safety
    duties AND to the 职工大会或者职工代表大会): the first report goes to a competent department — with
    the congress at once (``to_congress``) or not; the congress report may follow later, as its own
    dated event (``hazard.report_congress``; ``department`` then may be omitted or be the one already
    reported to). Each report keeps its first time (不予处罚 reads both): a report already on record
    is refused (无需重复报告)."""
    if hazard.reported_at is not None:
        return _report_congress_later(actor, hazard, department=department, to_congress=to_congress, note=note)
    if department is None or department.kind != Organisation.Kind.DEPARTMENT:
        raise ServiceError("请选择负有安全监管职责的部门。", "department")
    if not report_departments(hazard).filter(pk=department.pk).exists():
        raise ServiceError("报告部门须为对该隐患所属行业领域负有安全监管职责的属地部门（本县区、市或省级）。", "department")
    now = timezone.now()
    with transaction.atomic():
        updates = {"reported_to": department, "reported_at": now}
        if to_congress:
            updates["reported_to_congress_at"] = now
        hazard = _transition(actor, hazard, "report", _context(hazard, actor), note=note, updates=updates,
                             data={"department": department.pk, "department_name": department.name, "congress": to_congress})
    return hazard


def _already(hazard: Hazard) -> str:
    said = (f"该隐患已于{timezone.localtime(hazard.reported_at):%Y-%m-%d %H:%M}报告"
            f"{hazard.reported_to.name if hazard.reported_to_id else '主管部门'}")
    if hazard.reported_to_congress_at is not None:
        said += f"，已于{timezone.localtime(hazard.reported_to_congress_at):%Y-%m-%d %H:%M}报告职工代表大会"
    return said


def _report_congress_later(actor, hazard: Hazard, *, department, to_congress: bool, note: str) -> Hazard:
    """The department was told already: what is left is the congress (its own time, compare-and-set
    on the empty field, one event). Nothing left, or a second department named: refused — the first
    department report is the one that counts and is never overwritten."""
    if not to_congress or hazard.reported_to_congress_at is not None:
        raise ServiceError(f"{_already(hazard)}，无需重复报告。", "department")
    if department is not None and department.pk != hazard.reported_to_id:
        raise ServiceError(f"{_already(hazard)}，首次报告的部门不能变更；本次只能补报职工代表大会。", "department")
    kind = _require_kind(actor, hazard)
    reason = workflow.refusal(hazard.status, "report", kind, _context(hazard, actor))
    if reason:
        raise ServiceError(reason)
    with transaction.atomic():
        if Hazard.objects.filter(pk=hazard.pk, status=hazard.status, reported_at__isnull=False,
                                 reported_to_congress_at__isnull=True).update(reported_to_congress_at=timezone.now()) != 1:
            raise StaleState()
        hazard.refresh_from_db()
        record(actor, "hazard.report_congress", hazard, note=note, data={"congress": True})
    return hazard
