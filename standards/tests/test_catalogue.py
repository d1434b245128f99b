"""The catalogue loaded by the data migration / load_standards: counts, links, idempotence."""

import json

import pytest
from django.core.management import call_command

from standards.loader import CATALOGUE_FILE, load_standards
from standards.models import Article, Item, KeyInspectionList, Standard

DATA = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["standards"]
EXPECTED = {s["code"]: s["expected_item_count"] for s in DATA if s["expected_item_count"] is not None}
DOCUMENTED = {
    "HAZCHEM-2017": 20, "FIREWORKS-2017": 20, "GONGMAO-2023": 64, "GONGMAO-2017": 59, "HOUSING-2024": 53,
    "HOUSING-2022": 34, "GAS-2023": 22, "COAL-2020": 15, "COAL-REG-2024": 17, "FISHING-2022": 8,
    "WATER-PASSENGER-2017": 6,
}


def test_expected_counts_match_the_documented_ones():
    assert {k: EXPECTED[k] for k in DOCUMENTED} == DOCUMENTED


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_counted_items_of_every_standard_with_an_expected_count(catalogue, code):
    std = catalogue[code]
    assert std.items.filter(counts=True).count() == EXPECTED[code] == std.expected_item_count


def test_every_standard_and_item_of_the_file_is_loaded(catalogue):
    assert set(catalogue) == {s["code"] for s in DATA}
    assert Item.objects.filter(standard__is_current=True).count() == sum(
        len(a["items"]) for s in DATA for a in s["articles"])


def test_gongmao_2023_structure_catch_all_and_supersession(catalogue):
    std = catalogue["GONGMAO-2023"]
    assert std.items.count() == 65
    catch_all = std.items.get(counts=False)
    assert catch_all.article.category == Article.Category.CATCHALL
    assert std.supersedes == catalogue["GONGMAO-2017"]
    assert catalogue["GONGMAO-2017"].status == Standard.Status.REPEALED
    assert list(catalogue["GONGMAO-2017"].superseded_by.all()) == [std]
    assert catalogue["HOUSING-2024"].supersedes == catalogue["HOUSING-2022"]
    assert std.articles.get(number="4").sector.code == "metallurgy"
    assert set(std.sectors.values_list("code", flat=True)) >= {"industry_trade", "commerce", "metallurgy"}


def test_pending_and_cross_cutting_flags(catalogue):
    assert catalogue["FIRE-GB35181-2025"].items_pending and catalogue["FIRE-GB35181-2025"].cross_cutting
    assert catalogue["FIRE-GB35181-2025"].items.count() == 0
    assert {c for c, s in catalogue.items() if s.cross_cutting} == {
        "HAZCHEM-2017", "GAS-2023", "FIRE-GB35181-2025", "SPECIAL-EQUIP-GB45067-2024"}


def test_key_inspection_lists_loaded(catalogue):
    lists = {k.sector.code: k for k in KeyInspectionList.objects.current().select_related("sector")}
    assert lists["commerce"].items.count() == 10
    assert set(lists) == {"commerce", "tourism", "self_built_housing", "campus", "hospital", "laboratory", "emerging"}


def test_loader_is_idempotent_and_the_command_reloads_after_a_wipe(catalogue):
    n_std, n_items = Standard.objects.count(), Item.objects.count()
    assert load_standards() == {"standards": 0, "items": 0, "key_lists": 0}
    assert (Standard.objects.count(), Item.objects.count()) == (n_std, n_items)
    Standard.objects.update(supersedes=None)
    Item.objects.all().delete()
    Article.objects.all().delete()
    Standard.objects.all().delete()
    KeyInspectionList.objects.all().delete()
    call_command("load_standards", stdout=open("/dev/null", "w"))
    assert (Standard.objects.count(), Item.objects.count()) == (n_std, n_items)
    call_command("load_standards", stdout=open("/dev/null", "w"))
    assert (Standard.objects.count(), Item.objects.count()) == (n_std, n_items)
