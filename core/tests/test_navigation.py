"""Each role's menu holds only what it may use, and every entry it shows opens for it."""

import re

import pytest

from core.testing import client_as

# Written from PRODUCT.md's personas, not from core.navigation: what each role works with.
EXPECTED = {
    "committee": {"隐患台账", "挂牌督办", "生产经营单位", "监督检查", "执法与信用", "举报奖励", "事故调查", "考评",
                  "主体责任", "风险分级", "调度统计", "判定标准"},
    "commerce": {"隐患台账", "挂牌督办", "生产经营单位", "监督检查", "执法与信用", "举报奖励", "主体责任", "风险分级",
                 "调度统计", "判定标准"},
    "township": {"隐患台账", "挂牌督办", "生产经营单位", "监督检查", "执法与信用", "举报奖励", "主体责任", "风险分级",
                 "调度统计", "判定标准"},
    "enterprise": {"隐患台账", "挂牌督办", "事故调查", "主体责任", "风险分级", "隐患统计报表", "判定标准"},
    "agency": {"隐患台账", "挂牌督办", "生产经营单位", "主体责任", "风险分级", "判定标准"},
}


def menu(html: str) -> dict[str, str]:
    block = re.search(r'data-testid="menu">(.*?)</ul>', html, re.S).group(1)
    return {label: href for href, label in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', block)}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_the_menu_shows_a_role_only_what_it_uses_and_every_entry_opens(client, world, persona):
    client_as(client, world, persona)
    entries = menu(client.get("/").content.decode())
    assert set(entries) >= EXPECTED[persona]
    if persona in ("enterprise", "agency"):
        assert not {"举报奖励", "监督检查", "执法与信用", "调度统计"} & set(entries)
    for label, href in entries.items():
        assert client.get(href).status_code == 200, (persona, label, href)


def test_someone_without_an_organisation_sees_no_menu_entries(client, world):
    client_as(client, world, "nobody")
    assert menu(client.get("/").content.decode()) == {}
