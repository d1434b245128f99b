"""A region never moves: its code says where it lies (GB/T 2260: 2/4/6/9 digits, beginning with its
parent's code), and every row placed in the tree carries the level codes of its place, which
scoping filters on. Moving a region in the admin, or by loading a file that re-parents it, left
those rows under the old county — seen by its officials, hidden from the new county's."""

import csv

import pytest

from core.models import ChangeLog
from core.testing import admin_change_data, client_as
from regions.loader import TEST_FILE, load_regions, read_rows
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_an_existing_region_keeps_its_code_level_and_parent_in_the_admin(client, world):
    township = Region.objects.get(code="120105001")
    other_county = Region.objects.get(code="120102")
    client_as(client, world, "admin")
    url = f"/admin/regions/region/{township.pk}/change/"
    data = admin_change_data(world.user("admin"), township)
    assert not {"code", "level", "parent", "path"} & set(data)  # shown, not editable
    data.update(name="光复道街道（更正）", code="120102099", parent=str(other_county.pk), level="county",
                path="12/1201/120102/120102099")
    assert client.post(url, data).status_code == 302
    township.refresh_from_db()
    assert (township.code, township.level, township.parent_id, township.path) == (
        "120105001", "township", Region.objects.get(code="120105").pk, "12/1201/120105/120105001")
    assert township.name == "光复道街道（更正）"  # a name is still corrected, with a change log
    assert ChangeLog.objects.filter(object_type="regions.region", object_id=str(township.pk)).exists()


def _add(client, **data):
    return client.post("/admin/regions/region/add/", data)


def test_a_new_township_is_placed_under_its_county_with_the_path_derived(client, world):
    client_as(client, world, "admin")
    county = Region.objects.get(code="120105")
    r = _add(client, code="120105099", name="新设街道", level="township", parent=str(county.pk))
    assert r.status_code == 302, r.content.decode()[:2000]
    new = Region.objects.get(code="120105099")
    assert new.path == "12/1201/120105/120105099"
    assert new.level_codes() == {"province": "12", "city": "1201", "county": "120105", "township": "120105099"}


@pytest.mark.parametrize("data, field, message", [
    ({"code": "120102099", "level": "township", "parent": "120105"}, "code", "区划代码须以上级区划代码120105开头"),
    ({"code": "12010599", "level": "township", "parent": "120105"}, "code", "乡级区划代码须为9位数字"),
    ({"code": "１２０１０５０９９", "level": "township", "parent": "120105"}, "code", "乡级区划代码须为9位数字"),
    ({"code": "120105099", "level": "township", "parent": "1201"}, "parent", "上级须为县级区划"),
    ({"code": "120105099", "level": "township", "parent": ""}, "parent", "上级须为县级区划"),
    ({"code": "13", "level": "province", "parent": "12"}, "parent", "省级区划没有上级"),
], ids=["another county's code", "too short", "full-width digits", "a city as parent", "no parent", "a province under another"])
def test_a_new_region_that_does_not_fit_the_tree_is_refused_on_its_field(client, world, data, field, message):
    client_as(client, world, "admin")
    before = Region.objects.count()
    parent = Region.objects.get(code=data["parent"]).pk if data["parent"] else ""
    r = _add(client, **{**data, "parent": str(parent), "name": "新设"})
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors
    assert message in "".join(errors.get(field, [])), errors
    assert Region.objects.count() == before


def _write(tmp_path, rows):
    path = tmp_path / "regions.tsv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["code", "name", "level", "parent_code"], delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_region_file_that_moves_a_region_is_refused_whole(tmp_path, world):
    rows = read_rows(TEST_FILE)
    for r in rows:
        if r["code"] == "120105001":
            r["parent_code"] = "120102"  # moved to 河东区 with its old code
        if r["code"] == "120105002":
            r["name"] = "望海楼街道（新名）"  # a rename in the same file is not applied either
    before = list(Region.objects.order_by("code").values_list("code", "name", "parent_id", "path"))
    with pytest.raises(ValueError, match="120105001：区划代码须以上级区划代码120102开头"):
        load_regions(_write(tmp_path, rows))
    assert list(Region.objects.order_by("code").values_list("code", "name", "parent_id", "path")) == before


def test_a_region_file_whose_codes_do_not_fit_the_tree_is_refused(tmp_path, world):
    rows = read_rows(TEST_FILE) + [{"code": "120102099", "name": "错位街道", "level": "township", "parent_code": "120105"}]
    with pytest.raises(ValueError, match="120102099：区划代码须以上级区划代码120105开头"):
        load_regions(_write(tmp_path, rows))
    assert not Region.objects.filter(code="120102099").exists()


def test_a_region_file_still_renames_and_adds(tmp_path, world):
    rows = read_rows(TEST_FILE)
    for r in rows:
        if r["code"] == "120105002":
            r["name"] = "望海楼街道（新名）"
    rows.append({"code": "120105099", "name": "新设街道", "level": "township", "parent_code": "120105"})
    result = load_regions(_write(tmp_path, rows))
    assert (result["created"], result["updated"]) == (1, 1)
    assert Region.objects.get(code="120105002").name == "望海楼街道（新名）"
    assert Region.objects.get(code="120105099").path == "12/1201/120105/120105099"
