"""The checklist of an inspection record: the enterprise's applicable standard items and its
sectors' 重点检查事项. Uses the standards app's applicability helpers when present."""

from django.db.models import Q


def _standard_items(enterprise):
    for module in ("standards.services", "standards.applicability", "standards.selectors"):
        try:
            mod = __import__(module, fromlist=["applicable_items"])
        except ImportError:
            continue
        fn = getattr(mod, "applicable_items", None)
        if fn is not None:
            return list(fn(enterprise))
    from standards.models import Item

    sector_ids = list(enterprise.sectors.values_list("pk", flat=True))
    parents = list(enterprise.sectors.exclude(parent=None).values_list("parent_id", flat=True))
    return list(Item.objects.filter(standard__is_current=True, standard__sectors__in=sector_ids + parents)
                .filter(Q(article__sector__isnull=True) | Q(article__sector__in=sector_ids))
                .distinct().order_by("standard__code", "sort_order", "pk"))


def _key_items(enterprise):
    from standards.models import KeyInspectionItem

    try:
        from standards.applicability import applicable_key_lists

        lists = list(applicable_key_lists(enterprise))
    except ImportError:
        from standards.models import KeyInspectionList

        sector_ids = set(enterprise.sectors.values_list("pk", flat=True)) | set(
            enterprise.sectors.exclude(parent=None).values_list("parent_id", flat=True))
        lists = list(KeyInspectionList.objects.filter(is_current=True, sector_id__in=sector_ids))
    return list(KeyInspectionItem.objects.filter(key_list__in=lists).order_by("key_list_id", "sort_order", "pk"))


def lines_for(enterprise) -> list[dict]:
    """RecordItem field values (standard_item / key_item / text), in checklist order."""
    lines = [{"standard_item": item, "text": str(item)[:300]} for item in _standard_items(enterprise)]
    lines += [{"key_item": k, "text": f"【重点检查事项】{k.summary_zh}"[:300]} for k in _key_items(enterprise)]
    return lines


def groups_for(record, rows):
    """The record's lines grouped for the inspector, most relevant first.

    ``rows`` are (item, form) pairs in checklist order. Order of the groups: standards of the
    enterprise's own sectors, then its sectors' 重点检查事项, then cross-cutting standards (gas, fire,
    hazardous chemicals … apply to many sectors through their flags), then lines added on site.
    """
    own = set(record.enterprise.sectors.values_list("pk", flat=True))
    own |= set(record.enterprise.sectors.exclude(parent=None).values_list("parent_id", flat=True))
    standard_sectors = {}
    groups: dict = {}
    for item, form in rows:
        if item.standard_item_id:
            std = item.standard_item.standard
            if std.pk not in standard_sectors:
                standard_sectors[std.pk] = set(std.sectors.values_list("pk", flat=True))
            relevant = bool(standard_sectors[std.pk] & own)
            key = ("std", std.pk)
            rank, title = (0 if relevant else 2), std.short_title or std.title
        elif item.key_item_id:
            key, rank, title = ("key",), 1, "重点检查事项"
        else:
            key, rank, title = ("site",), 3, "现场发现的其他问题"
        group = groups.setdefault(key, {"title": title, "rank": rank, "rows": [], "answered": 0})
        group["rows"].append((item, form))
        group["answered"] += item.result != "pending"
    ordered = sorted(groups.values(), key=lambda g: (g["rank"], g["title"]))
    for g in ordered:
        g["relevant"] = g["rank"] < 2
    return ordered
