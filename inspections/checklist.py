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
    lines = [{"standard_item": item, "text": f"{item.code} {item.summary_zh}"[:300]} for item in _standard_items(enterprise)]
    lines += [{"key_item": k, "text": f"【重点检查事项】{k.summary_zh}"[:300]} for k in _key_items(enterprise)]
    return lines
