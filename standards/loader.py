"""Load the committed catalogue (data/catalogue.json, data/key_inspection_items.json).

Idempotent: a standard (by code) or key list (by sector) that already exists is left alone, so
revisions made in the application are never overwritten. Used by the data migration (with the
historical models), the ``load_standards`` command and tests that flush the database
(``ensure_loaded()`` is a cheap no-op when the catalogue is present).
"""

import datetime
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE = DATA / "catalogue.json"
KEY_ITEMS_FILE = DATA / "key_inspection_items.json"

# Our reading of 工贸 art.4–10 (industry articles per sub-sector), used to narrow checklists.
ARTICLE_SECTORS = {
    ("GONGMAO-2023", "4"): "metallurgy", ("GONGMAO-2023", "5"): "nonferrous",
    ("GONGMAO-2023", "6"): "building_materials", ("GONGMAO-2023", "7"): "machinery",
    ("GONGMAO-2023", "8"): "light_industry", ("GONGMAO-2023", "9"): "textile", ("GONGMAO-2023", "10"): "tobacco",
    ("GONGMAO-2017", "METALLURGY"): "metallurgy", ("GONGMAO-2017", "NONFERROUS"): "nonferrous",
    ("GONGMAO-2017", "BUILDING-MATERIALS"): "building_materials", ("GONGMAO-2017", "MACHINERY"): "machinery",
    ("GONGMAO-2017", "LIGHT-INDUSTRY"): "light_industry", ("GONGMAO-2017", "TEXTILE"): "textile",
    ("GONGMAO-2017", "TOBACCO"): "tobacco", ("GONGMAO-2017", "COMMERCE"): "commerce",
}


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def read_catalogue() -> list[dict]:
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["standards"]


def read_key_lists() -> list[dict]:
    return json.loads(KEY_ITEMS_FILE.read_text(encoding="utf-8"))


def _models(apps):
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    get = apps.get_model
    return (get("standards", "Standard"), get("standards", "Article"), get("standards", "Item"),
            get("standards", "KeyInspectionList"), get("standards", "KeyInspectionItem"), get("accounts", "Sector"))


def load_standards(apps=None) -> dict:
    """Create every missing standard and key list. Returns {"standards": n, "items": n, "key_lists": n}."""
    Standard, Article, Item, KeyList, KeyItem, Sector = _models(apps)
    sectors = {s.code: s for s in Sector.objects.all()}
    data = read_catalogue()
    existing = set(Standard.objects.values_list("code", flat=True))
    created = {"standards": 0, "items": 0, "key_lists": 0}
    by_code = {}
    for std in data:
        if std["code"] in existing:
            continue
        row = Standard.objects.create(
            code=std["code"], version=1, is_current=True, title=std["title"], short_title=std["short_title"],
            issuer=std["issuer"], doc_number=std["doc_number"] or "", adopted=_date(std["adopted"]),
            published=_date(std["published"]), effective=_date(std["effective"]), repealed=_date(std["repealed"]),
            status=std["status"], cross_cutting=std["cross_cutting"], source_note=std["source_note"],
            verified=std["verified"], items_pending=std["items_pending"],
            expected_item_count=std["expected_item_count"],
        )
        row.sectors.set([sectors[c] for c in std["sectors"] if c in sectors])
        by_code[std["code"]] = row
        created["standards"] += 1
        items = []
        order = 0
        for a_i, art in enumerate(std["articles"]):
            sector_code = ARTICLE_SECTORS.get((std["code"], art["number"]))
            article = Article.objects.create(
                standard=row, number=art["number"], title=art["title"] or "", category=art["category"],
                sector=sectors.get(sector_code) if sector_code else None, sort_order=a_i,
            )
            for it in art["items"]:
                order += 1
                items.append(Item(
                    standard=row, article=article, code=it["code"], number=it["number"],
                    official_ref=it["official_ref"] or "", summary_zh=it["summary_zh"], summary_en=it["summary_en"],
                    verified=it["verified"], counts=it["counts"], sort_order=order,
                ))
        Item.objects.bulk_create(items)
        created["items"] += len(items)
    for std in data:
        if std["code"] in by_code and std["supersedes"]:
            old = Standard.objects.filter(code=std["supersedes"], is_current=True).first()
            if old is not None:
                Standard.objects.filter(pk=by_code[std["code"]].pk).update(supersedes=old)

    have_lists = set(KeyList.objects.values_list("sector__code", flat=True))
    for lst in read_key_lists():
        if lst["sector"] in have_lists or lst["sector"] not in sectors:
            continue
        key_list = KeyList.objects.create(
            sector=sectors[lst["sector"]], title=lst["title"], version=lst["version"], is_current=True,
            verified=lst["verified"], source_note=lst["source_note"],
        )
        KeyItem.objects.bulk_create([
            KeyItem(key_list=key_list, code=it["code"], summary_zh=it["summary_zh"], summary_en=it["summary_en"],
                    sort_order=i)
            for i, it in enumerate(lst["items"], 1)
        ])
        created["key_lists"] += 1
    return created


def ensure_loaded() -> None:
    """Cheap check for tests and commands: load only when the catalogue is missing."""
    from accounts.reference import load_reference_data

    from .models import KeyInspectionList, Standard

    codes = {s["code"] for s in read_catalogue()}
    if set(Standard.objects.values_list("code", flat=True).distinct()) >= codes and KeyInspectionList.objects.exists():
        return
    load_reference_data()
    load_standards()
