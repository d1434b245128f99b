"""Applicability (sectors with parents + cross-cutting flags), revisions and key-list versions."""

import zlib

import pytest

from accounts.models import Sector
from core.services import NotPermitted, ServiceError
from enterprises import services as ent_services
from enterprises.validators import make_credit_code
from standards import services
from standards.applicability import applicable_items, applicable_key_lists, applicable_standards
from standards.models import Item, KeyInspectionList, Standard


def make(world, name, sectors, **flags):
    sec = [Sector.objects.get(code=c) for c in sectors]
    return ent_services.create_enterprise(None, name=name, credit_code=make_credit_code(f"91120105MC{zlib.crc32(name.encode()) % 10**7:07d}"),
                                          region=world.townships[0], sectors=sec, **flags)


def codes(qs):
    return {s.code for s in qs}


def test_several_sectors_and_parent_sector(world, catalogue):
    ent = make(world, "冶金机械测试", ["metallurgy", "machinery"])
    assert codes(applicable_standards(ent)) == {"GONGMAO-2023"}
    items = {i.code for i in applicable_items(ent)}
    assert "GONGMAO-2023-4-1" in items and "GONGMAO-2023-7-1" in items  # 冶金 + 机械 articles
    assert "GONGMAO-2023-5-1" not in items  # 有色 article does not apply
    assert "GONGMAO-2023-3-1" in items and "GONGMAO-2023-11-1" in items  # 管理类 + 专项类
    assert not any(i.startswith("GONGMAO-2017") for i in items)  # repealed version never applies
    assert all(i.counts for i in applicable_items(ent, counted_only=True))


def test_cross_cutting_flags(world, catalogue):
    plain = make(world, "纯商贸测试", ["commerce"])
    assert codes(applicable_standards(plain)) == {"GONGMAO-2023"}
    flagged = make(world, "全标志测试", ["commerce", "construction"], uses_hazchem=True, fire_key_unit=True,
                   uses_gas=True, has_special_equipment=True)
    assert codes(applicable_standards(flagged)) == {
        "GONGMAO-2023", "HOUSING-2024", "HAZCHEM-2017", "FIRE-GB35181-2025", "GAS-2023", "SPECIAL-EQUIP-GB45067-2024"}
    assert {k.sector.code for k in applicable_key_lists(flagged)} == {"commerce"}
    gas_only = make(world, "燃气测试", ["hospital"], uses_gas=True)
    assert codes(applicable_standards(gas_only)) == {"GAS-2023"}
    assert {k.sector.code for k in applicable_key_lists(gas_only)} == {"hospital"}


def test_revise_standard_creates_a_new_version_and_keeps_cited_items(world, catalogue):
    old = catalogue["HAZCHEM-2017"]
    cited = old.items.get(code="HAZCHEM-2017-1")
    with pytest.raises(NotPermitted):
        services.revise_standard(world.user("emergency"), old, note="x")
    new = services.revise_standard(world.user("admin"), old, note="措辞修订",
                                   item_changes={"HAZCHEM-2017-1": {"summary_zh": "新的自拟摘要：负责人未考核"}})
    assert (new.version, new.is_current) == (2, True)
    old.refresh_from_db()
    cited.refresh_from_db()
    assert not old.is_current and cited.standard_id == old.pk and cited.summary_zh.startswith("危化品")
    assert new.items.count() == 20 and new.items.get(code="HAZCHEM-2017-1").summary_zh.startswith("新的")
    assert Standard.objects.filter(code="HAZCHEM-2017", is_current=True).get() == new
    assert set(new.sectors.values_list("code", flat=True)) == {"hazchem"}
    with pytest.raises(ServiceError):
        services.revise_standard(world.user("admin"), old)  # not current any more
    with pytest.raises(ServiceError) as exc:
        services.revise_standard(world.user("admin"), new, item_changes={"NOPE-1": {"summary_zh": "x"}})
    assert exc.value.field == "item_changes"
    assert Item.objects.filter(code="HAZCHEM-2017-1").count() == 2


def test_revising_a_superseded_standard_moves_the_link(world, catalogue):
    new = services.revise_standard(None, catalogue["GONGMAO-2017"], note="数据修订")
    assert Standard.objects.get(code="GONGMAO-2023", is_current=True).supersedes == new


def test_key_list_new_version_only_by_competent_department(world, catalogue):
    commerce = Sector.objects.get(code="commerce")
    items = [{"summary_zh": "安全出口被锁闭或堵塞"}, {"summary_zh": "燃气报警器缺失", "summary_en": "No gas alarm"}]
    for persona in ("housing", "committee", "enterprise", "township"):
        with pytest.raises(NotPermitted):
            services.publish_key_list(world.user(persona), commerce, title="商贸重点检查事项", items=items)
    new = services.publish_key_list(world.user("commerce"), commerce, title="商贸重点检查事项（修订）", items=items,
                                    note="2026年修订")
    assert new.version == 2 and new.is_current and new.items.count() == 2
    assert new.organisation == world.org("commerce")
    assert KeyInspectionList.objects.filter(sector=commerce, is_current=True).get() == new
    assert KeyInspectionList.objects.get(sector=commerce, version=1).items.count() == 10
    with pytest.raises(ServiceError) as exc:
        services.publish_key_list(world.user("commerce"), commerce, title="x", items=[])
    assert exc.value.field == "items"
    long_english = [{"summary_zh": "燃气报警器缺失", "summary_en": "a" * 301}]  # the column holds 300: refused, not cut
    with pytest.raises(ServiceError) as exc:
        services.publish_key_list(world.user("commerce"), commerce, title="x", items=long_english)
    assert (exc.value.field, exc.value.message) == ("items", "英文摘要不能超过300个字符（现为301个）。")
    assert KeyInspectionList.objects.filter(sector=commerce).count() == 2
    # 应急管理局 has competence for 工贸 (parent) → may edit a 工贸 child list; commerce may not
    metallurgy = Sector.objects.get(code="metallurgy")
    assert services.publish_key_list(world.user("emergency"), metallurgy, title="冶金重点", items=items).version == 1
