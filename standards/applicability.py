"""Which standards, items and key inspection lists apply to an enterprise.

* its sectors and their parents (工贸 children → the 工贸 standard);
* cross-cutting standards through its flags (工贸 art.2): hazchem, fire (GB 35181), gas, special equipment.
Only current, in-force versions apply.
"""

from django.db.models import Q

from enterprises.queries import sector_ids_with_ancestors

from .models import Item, KeyInspectionList, Standard

FLAG_SECTORS = {
    "uses_hazchem": "hazchem",
    "fire_key_unit": "fire",
    "uses_gas": "gas",
    "has_special_equipment": "special_equipment",
}


def cross_cutting_sector_codes(enterprise) -> list[str]:
    return [code for flag, code in FLAG_SECTORS.items() if getattr(enterprise, flag, False)]


def applicable_standards(enterprise):
    """Current in-force standards for the enterprise's sectors (with parents) + flagged cross-cutting ones."""
    return standards_for(enterprise.sectors.all(), cross_cutting_sector_codes(enterprise))


def standards_for(sectors, flagged_codes):
    """``applicable_standards`` of an enterprise with these sectors and cross-cutting sector codes."""
    sector_ids = sector_ids_with_ancestors(sectors)
    condition = Q(sectors__in=sector_ids)
    if flagged_codes:
        condition |= Q(cross_cutting=True, sectors__code__in=flagged_codes)
    ids = Standard.objects.in_force().filter(condition).values("pk")
    return Standard.objects.filter(pk__in=ids).order_by("code")


def applicable_items(enterprise, counted_only: bool = False):
    """Items of the applicable standards. Industry articles tied to one sub-sector (工贸 art.4 冶金 …)
    apply only to enterprises in that sub-sector."""
    qs = items_for(list(enterprise.sectors.all()), cross_cutting_sector_codes(enterprise))
    return qs.filter(counts=True) if counted_only else qs


def items_for(sectors, flagged_codes):
    """``applicable_items`` of an enterprise with these sectors (Sector objects) and cross-cutting
    sector codes — what a batch (an import) computes once per combination, not per enterprise."""
    own = [s.pk for s in sectors]
    return (Item.objects.filter(standard__in=standards_for(sectors, flagged_codes))
            .filter(Q(article__sector__isnull=True) | Q(article__sector__in=own))
            .select_related("standard", "article").order_by("standard__code", "sort_order"))


def applicable_key_lists(enterprise):
    """Current key inspection lists of the enterprise's sectors (with parents)."""
    sector_ids = sector_ids_with_ancestors(enterprise.sectors.all())
    return KeyInspectionList.objects.current().filter(sector_id__in=sector_ids).select_related("sector")
