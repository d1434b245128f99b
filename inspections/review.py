"""Regulator batch review of rectified hazards (整改复查): import, tasks, conclusions."""

import io
import re

from django.db import transaction
from django.utils import timezone

from core.events import record as record_event
from core.intake import check_spreadsheet
from core.services import NotPermitted, ServiceError, StaleState
from core.uploads import accept as accept_upload

from .models import ReviewBatch, ReviewTask
from .services import _require_org, inspectors_of

NUMBER = re.compile(r"^(?:YH\d{0,6}-)?0*(\d+)$", re.I)


def parse_hazard_ids(data: bytes) -> list[int]:
    """Hazard ids from the first column of an xlsx (ids or numbers like YH120105-0000012)."""
    from openpyxl import load_workbook

    check_spreadsheet(data, "review.xlsx")  # limits before parsing
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the user's input error
        raise ServiceError("无法读取文件，请上传 xlsx 格式。", "file")
    ids, bad = [], []
    for i, row in enumerate(wb.active.iter_rows(values_only=True), start=1):
        cell = row[0] if row else None
        if cell is None or str(cell).strip() == "":
            continue
        m = NUMBER.match(str(cell).strip().replace(".0", "") if isinstance(cell, float) else str(cell).strip())
        if m:
            ids.append(int(m.group(1)))
        elif i > 1:  # a header row is allowed
            bad.append(i)
    if bad:
        raise ServiceError(f"第{'、'.join(map(str, bad[:10]))}行不是有效的隐患编号。", "file")
    if not ids:
        raise ServiceError("文件中没有隐患编号。", "file")
    return list(dict.fromkeys(ids))


def import_batch(actor, *, title: str, hazard_ids: list[int], inspector) -> ReviewBatch:
    from hazards.models import Hazard

    org = _require_org(actor)
    if inspector not in inspectors_of(org):
        raise ServiceError("复查人员须为本单位执法检查人员。", "inspector")
    visible = {h.pk: h for h in Hazard.objects.visible_to(actor).filter(pk__in=hazard_ids)}
    missing = [i for i in hazard_ids if i not in visible]
    if missing:
        raise ServiceError(f"以下隐患不存在或不在您的管辖范围内：{', '.join(map(str, missing[:10]))}", "file")
    with transaction.atomic():
        batch = ReviewBatch(organisation=org, title=(title or "").strip() or "整改复查", created_by=actor)
        batch.set_region_codes(org.region)
        batch.save()
        ReviewTask.objects.bulk_create([ReviewTask(batch=batch, hazard=visible[i], inspector=inspector) for i in hazard_ids])
        record_event(actor, "inspection.review_imported", batch, data={"hazards": hazard_ids})
    return batch


def conclude(actor, task: ReviewTask, *, conclusion: str, note: str, photo=None) -> ReviewTask:
    _require_org(actor)
    if task.inspector_id != actor.pk:
        raise NotPermitted("只有指派的复查人员可以填写复查结论。")
    if conclusion not in (ReviewTask.Conclusion.PASSED, ReviewTask.Conclusion.FAILED):
        raise ServiceError("复查结论无效。", "conclusion")
    if not (note or "").strip():
        raise ServiceError("请填写复查意见。", "note")
    if photo is not None:
        photo = accept_upload(photo, "review_photo").content  # core upload policy
    with transaction.atomic():
        won = ReviewTask.objects.filter(pk=task.pk, conclusion=ReviewTask.Conclusion.PENDING).update(
            conclusion=conclusion, note=note.strip(), reviewed_at=timezone.now())
        if won != 1:
            raise StaleState()
        task.refresh_from_db()
        if photo is not None:
            task.photo = photo
            task.save(update_fields=["photo"])
        record_event(actor, "inspection.reviewed", task.batch, data={"hazard": task.hazard_id, "conclusion": conclusion})
    return task
