"""举一反三 checks: launched from an accident by the committee office, one result per enterprise
(hazards found go to the ledger). Part of the accident services (re-exported by
``accidents.services``, listed in its SERVICE_MODULES)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from .acting import _text, _writes
from .models import Accident

# ---------------------------------------------------------------- 举一反三

def launch_lesson_check(actor, accident: Accident, *, title: str, deadline: datetime.date, enterprises=None,
                        checklist: list[str] | None = None):
    """The committee office checks every operating enterprise of the accident's sector in its
    region (or a chosen set of them) against a checklist built from the exposed problems."""
    from enterprises.models import Enterprise

    from .models import LessonCheck, LessonTarget

    org = actor_org(actor)
    if actor is not None and not actor.is_superuser and not (
            org and org.kind == Organisation.Kind.COMMITTEE and _writes(actor)
            and accident.region.level_codes().get(org.region.level) == org.region.code):
        raise NotPermitted("只有事故发生地的安全生产委员会办公室可以发起举一反三检查。")
    title = _text(title, "title", "检查名称", max_length=150)
    if deadline is None or deadline < timezone.localdate():
        raise ServiceError("完成期限不能早于今天。", "deadline")
    items = [s.strip() for s in (checklist or []) if s and s.strip()]
    if not items:
        items = [f"{m.problem}（措施：{m.content}）" for m in accident.measures.all()]
    if not items:
        raise ServiceError("请先登记事故暴露问题，或填写检查清单。", "checklist")
    region = org.region if org is not None else accident.region
    pool = Enterprise.objects.filter(**{f"{region.level}_code": region.code}, status="operating")
    if enterprises is None:
        sector_ids = accident.sector.with_descendants()
        pool = pool.filter(sectors__in=sector_ids).distinct()
        if accident.enterprise_id:
            pool = pool.exclude(pk=accident.enterprise_id)
        chosen = list(pool)
    else:
        chosen = list(enterprises)
        allowed = set(pool.filter(pk__in=[e.pk for e in chosen]).values_list("pk", flat=True))
        if not chosen or any(e.pk not in allowed for e in chosen):
            raise ServiceError("所选单位须为本辖区内正常经营的单位。", "enterprises")
    if not chosen:
        raise ServiceError("本辖区内没有同行业领域的单位。", "enterprises")
    with transaction.atomic():
        check = LessonCheck(accident=accident, organisation=org, title=title, checklist=items, deadline=deadline,
                            created_by=actor if actor is not None and actor.is_authenticated else None)
        check.set_region_codes(region)
        check.save()
        LessonTarget.objects.bulk_create([LessonTarget(lesson=check, enterprise=e) for e in chosen])
        record(actor, "accident.lesson_check_launched", check, to_state=check.status,
               data={"accident": accident.pk, "targets": len(chosen), "items": len(items)})
    return check


def record_lesson_result(actor, target, *, note: str, hazards: list[dict] = ()):
    """Result of one enterprise's 举一反三 check; each hazard found is registered in the ledger
    with the channel 事故举一反三 and linked to the check (hence to the accident)."""
    from hazards import services as hazard_services
    from hazards.models import Hazard

    from .models import LessonTarget

    note = _text(note, "note", "检查情况", max_length=5000)
    if target.status != LessonTarget.Status.PENDING:
        raise ServiceError("该单位已完成检查。", None)
    if target.lesson.status != "open":
        raise ServiceError("该举一反三检查已结束。", None)
    with transaction.atomic():
        found = []
        for h in hazards:
            found.append(hazard_services.register_hazard(
                actor, enterprise=target.enterprise, sector=h.get("sector") or target.lesson.accident.sector,
                description=h.get("description", ""), grade=h.get("grade") or Hazard.Grade.GENERAL,
                channel=Hazard.Channel.ACCIDENT, deadline=h.get("deadline"), basis_reason=h.get("basis_reason", ""),
                source_reference=f"accidents.lessontarget:{target.pk}"))
        if LessonTarget.objects.filter(pk=target.pk, status=LessonTarget.Status.PENDING).update(
                status=LessonTarget.Status.CHECKED, note=note, checked_on=timezone.localdate(),
                checked_by=actor if actor is not None and actor.is_authenticated else None) != 1:
            raise StaleState()
        target.status = LessonTarget.Status.CHECKED
        target.note = note
        target.hazards.add(*found)
        record(actor, "accident.lesson_target_checked", target.lesson, note=note,
               data={"enterprise": target.enterprise_id, "hazards": [h.pk for h in found]})
        lesson = target.lesson
        if not lesson.targets.filter(status=LessonTarget.Status.PENDING).exists():  # last one: the check ends
            if type(lesson).objects.filter(pk=lesson.pk, status="open").update(status="closed") == 1:
                lesson.status = "closed"
                record(actor, "accident.lesson_check_closed", lesson, from_state="open", to_state="closed")
    return target
