"""Catalogue flags true to DOMAIN.md §1 (and §6 "open questions"): incomplete item lists are not
flagged complete; repealed standards carry their repeal date."""

import datetime

import pytest

from standards.models import Standard

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["ROAD-2023", "METAL-MINE-2022", "INLAND-SHIP-2024", "CIVIL-EXPLOSIVES-2023"])
def test_incomplete_item_lists_are_flagged(code):
    """DOMAIN.md §1: 道路运输 art. 3 only (5 items); 金属非金属矿山 "exact total not verified";
    内河船舶 "≥7"; 民爆 "≥9 (total not seen)" — none is complete."""
    std = Standard.objects.get(code=code, is_current=True)
    assert std.items_pending is True and std.expected_item_count is None


def test_every_repealed_standard_has_its_date():
    """DOMAIN.md §1 / STANDARDS.md §2: 工贸 2017 repealed 2023-05-15; 房屋市政 2022 repealed by
    建质规〔2024〕5号 (dated 2024-12-13)."""
    repealed = {s.code: s.repealed for s in Standard.objects.filter(status="repealed")}
    assert repealed["GONGMAO-2017"] == datetime.date(2023, 5, 15)
    assert repealed["HOUSING-2022"] == datetime.date(2024, 12, 13)
    assert all(repealed.values())


def test_list_page_says_incomplete(client, world):
    client.force_login(world.user("committee"))
    page = client.get("/standards/").content.decode()
    assert "已录入5项，条目不完整" in page
