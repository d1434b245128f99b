"""Writes to the catalogue: revising a standard (new version row) and publishing a new version of a
key inspection list. Old versions are never mutated, so citations (hazards → Item) stay valid."""

from django.db import transaction

from accounts.permissions import actor_org
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from . import permissions as perms
from .models import Article, Item, KeyInspectionItem, KeyInspectionList, Standard, Verified

STANDARD_FIELDS = ["title", "short_title", "issuer", "doc_number", "adopted", "published", "effective", "repealed",
                   "status", "cross_cutting", "source_note", "verified", "items_pending"]
ITEM_FIELDS = ["number", "official_ref", "summary_zh", "summary_en", "verified", "counts"]


def _check_summary(text, field) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError("摘要不能为空。", field)
    if len(text) > 200:
        raise ServiceError("摘要不能超过200个字符。", field)
    return text


def _check_english(text, field) -> str:
    text, limit = (text or "").strip(), KeyInspectionItem._meta.get_field("summary_en").max_length
    if len(text) > limit:  # refused, not cut (the column's length)
        raise ServiceError(f"英文摘要不能超过{limit}个字符（现为{len(text)}个）。", field)
    return text


def revise_standard(actor, standard: Standard, *, note: str = "", item_changes: dict | None = None,
                    **changes) -> Standard:
    """Create version+1 of ``standard`` with ``changes`` (standard fields) and ``item_changes``
    ({item code: {field: value}}); articles and items are copied, the old version stays as it was."""
    if actor is not None and not perms.can_revise_standard(actor):
        raise NotPermitted("只有系统管理员可以修订判定标准。")
    if not standard.is_current:
        raise ServiceError("只能修订当前版本。", "version")
    unknown = set(changes) - set(STANDARD_FIELDS)
    if unknown:
        raise ServiceError("不可修改的字段。", sorted(unknown)[0])
    item_changes = item_changes or {}
    items = list(standard.items.select_related("article").order_by("sort_order", "id"))
    codes = {i.code for i in items}
    for code, fields in item_changes.items():
        if code not in codes:
            raise ServiceError(f"条目“{code}”不属于该标准。", "item_changes")
        bad = set(fields) - set(ITEM_FIELDS)
        if bad:
            raise ServiceError("不可修改的条目字段。", sorted(bad)[0])
        if "summary_zh" in fields:
            fields["summary_zh"] = _check_summary(fields["summary_zh"], "summary_zh")
        if "verified" in fields and fields["verified"] not in Verified.values:
            raise ServiceError("核实状态无效。", "verified")
    if "status" in changes and changes["status"] not in Standard.Status.values:
        raise ServiceError("状态无效。", "status")
    with transaction.atomic():
        if Standard.objects.filter(pk=standard.pk, is_current=True).update(is_current=False) != 1:
            raise StaleState()
        new = Standard.objects.get(pk=standard.pk)
        sectors = list(standard.sectors.all())
        new.pk = None
        new.version = standard.version + 1
        new.is_current = True
        new.revision_note = note[:200]
        for f, v in changes.items():
            setattr(new, f, v)
        new.save()
        new.sectors.set(sectors)
        article_map = {}
        for art in standard.articles.order_by("sort_order", "id"):
            article_map[art.pk] = Article.objects.create(
                standard=new, number=art.number, title=art.title, category=art.category, sector=art.sector,
                sort_order=art.sort_order)
        copies = []
        for item in items:
            data = {f: getattr(item, f) for f in ITEM_FIELDS} | item_changes.get(item.code, {})
            copies.append(Item(standard=new, article=article_map[item.article_id], code=item.code,
                               sort_order=item.sort_order, **data))
        Item.objects.bulk_create(copies)
        Standard.objects.filter(supersedes=standard).update(supersedes=new)
        record(actor, "standard.revised", new, from_state=str(standard.version), to_state=str(new.version), note=note,
               data={"code": new.code, "changes": sorted(changes), "items": sorted(item_changes)})
    return new


def publish_key_list(actor, sector, *, title: str, items: list[dict], note: str = "",
                     source_note: str = "") -> KeyInspectionList:
    """Publish a new version of the sector's key inspection list (items: [{summary_zh, summary_en, code?}])."""
    if actor is not None and not perms.can_edit_key_list(actor, sector):
        raise NotPermitted("只有该行业的主管部门可以修订重点检查事项。")
    title = (title or "").strip()
    if not title:
        raise ServiceError("标题不能为空。", "title")
    if len(title) > 200:
        raise ServiceError("标题不能超过200个字符。", "title")
    if not items:
        raise ServiceError("至少需要一项检查事项。", "items")
    prefix = "KEY-" + sector.code.upper().replace("_", "-") + "-"
    cleaned = []
    for i, it in enumerate(items, 1):
        cleaned.append(KeyInspectionItem(code=(it.get("code") or f"{prefix}{i}")[:60], sort_order=i,
                                         summary_zh=_check_summary(it.get("summary_zh"), "items"),
                                         summary_en=_check_english(it.get("summary_en"), "items")))
    if len({c.code for c in cleaned}) != len(cleaned):
        raise ServiceError("检查事项编码重复。", "items")
    with transaction.atomic():
        current = KeyInspectionList.objects.filter(sector=sector, is_current=True).first()
        if current is not None and KeyInspectionList.objects.filter(pk=current.pk, is_current=True).update(
                is_current=False) != 1:
            raise StaleState()
        last = KeyInspectionList.objects.filter(sector=sector).order_by("-version").first()
        new = KeyInspectionList.objects.create(
            sector=sector, title=title, version=(last.version + 1) if last else 1, is_current=True,
            verified=Verified.REPORTED, source_note=source_note or (current.source_note if current else ""),
            note=note[:200], created_by=actor if actor is not None and actor.is_authenticated else None,
            organisation=actor_org(actor))
        for c in cleaned:
            c.key_list = new
        KeyInspectionItem.objects.bulk_create(cleaned)
        record(actor, "key_list.published", new, from_state=str(current.version) if current else "",
               to_state=str(new.version), note=note, data={"sector": sector.code, "items": len(cleaned)})
    return new
