"""双报告: an enterprise reports a major hazard to a department responsible for it and to its
workers' congress. Split out of ``services`` (listed in its SERVICE_MODULES)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core.services import ServiceError

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


def report_hazard(actor, hazard: Hazard, *, department: Organisation, to_congress: bool = True, note: str = "") -> Hazard:
    """双报告: the enterprise reports a major hazard to its competent department and its workers' congress."""
    if department.kind != Organisation.Kind.DEPARTMENT:
        raise ServiceError("请选择负有安全监管职责的部门。", "department")
    if hazard.reported_at is not None:
        # the first report is the one that counts (不予处罚 reads its time): kept, never overwritten
        raise ServiceError(f"该隐患已于{timezone.localtime(hazard.reported_at):%Y-%m-%d %H:%M}报告"
                           f"{hazard.reported_to.name if hazard.reported_to_id else '主管部门'}，无需重复报告。", "department")
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
