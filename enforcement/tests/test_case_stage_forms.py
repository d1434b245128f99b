"""The case page offers only what the procedure allows at the case's stage, to its handler only;
what happened is a timeline; the hazard the case came from is a link.

Expected sets are written here from the procedure of 行政处罚法 (立案 → 调查取证 → 告知 → 决定 →
执行 → 结案) and 安全生产法 — not read from enforcement.workflow.
"""

import re

from enforcement import services

from .helpers import article, entity, major_hazard


def offered(client, case) -> set[str]:
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    return set(re.findall(r'data-testid="action-form-([a-z_]+)"', html))


def advance_choices(client, case) -> list[str]:
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    select = re.search(r'name="advance-stage_action"[^>]*>(.*?)</select>', html, re.S)
    if not select:
        return []
    options = re.findall(r">([^<]+)</option>", select.group(1))
    assert options[0] == "请选择"  # a stage is moved by a choice, never by the first entry shown
    return options[1:]


def test_each_stage_offers_exactly_the_actions_the_procedure_allows(client, world):
    handler = world.user("commerce")
    client.force_login(handler)
    case = services.open_case(handler, enterprise=world.ent_commerce, title="未如实记录隐患排查治理情况", facts="台账缺失")
    # 立案: start the investigation, or 不予立案 with a reason; parties are being identified (the
    # principal, a person party from the enterprise's record, may get its identity number while open)
    assert offered(client, case) == {"advance", "party", "party_id"}
    assert advance_choices(client, case) == ["开始调查取证", "结案"]
    services.advance(handler, case, "investigate")
    # 调查取证: notify the findings, 撤案, add parties, transfer suspected crimes
    assert offered(client, case) == {"advance", "party", "party_id", "transfer"}
    assert advance_choices(client, case) == ["送达告知", "结案"]
    services.advance(handler, case, "notify")
    # 告知: decisions may be taken; the case cannot be moved on before one is taken
    assert offered(client, case) == {"penalty", "no_penalty", "suspension", "transfer", "party_id"}
    services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=30000)
    assert offered(client, case) == {"advance", "penalty", "no_penalty", "suspension", "transfer", "revoke", "party_id"}
    assert advance_choices(client, case) == ["作出决定"]
    services.advance(handler, case, "decide")
    # 决定: further decisions until execution starts, execution measures, exposure, credit list, 行业禁入 of the
    # principal (a party of the case)
    assert offered(client, case) == {"advance", "penalty", "no_penalty", "suspension", "transfer", "daily_fine",
                                     "correction", "resume", "measure", "listing", "ban", "revoke", "party_id"}
    assert advance_choices(client, case) == ["进入执行", "结案"]
    services.advance(handler, case, "execute")
    # 执行: no new decision; execution measures and follow-ups
    assert offered(client, case) == {"advance", "transfer", "daily_fine", "correction", "resume", "measure", "listing",
                                     "ban", "revoke", "party_id"}
    assert advance_choices(client, case) == ["结案"]
    services.advance(handler, case, "close")
    # 结案: only publication and credit follow-ups remain (and 撤销 of a decision, e.g. after 复议)
    assert offered(client, case) == {"measure", "listing", "ban", "typical", "revoke"}
    # each card is headed by its action's name — text, not a form control (公布典型案例's card was headed by
    # its own 标题 box: the template read ``form.title`` as the form's field of that name)
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    headings = dict(re.findall(r'data-testid="action-heading-([a-z_]+)">(.*?)</h3>', html, re.S))
    assert headings == {"measure": "曝光/约谈/联合惩戒", "listing": "提请列入失信名单", "typical": "公布典型案例",
                        "ban": "行业禁入", "revoke": "撤销决定"}


def test_nobody_but_the_handler_sees_any_action(client, world):
    handler = world.user("commerce")
    case = services.open_case(handler, enterprise=world.ent_commerce, title="未如实记录隐患排查治理情况", facts="台账缺失")
    for persona in ("committee", "emergency", "enterprise"):
        client.force_login(world.user(persona))
        assert offered(client, case) == set(), persona


def test_the_page_tells_what_happened_in_chinese_and_links_the_hazard(client, world):
    handler = world.user("commerce")
    hazard = major_hazard(world)
    case = services.open_case(handler, enterprise=world.ent_commerce, title="重大事故隐患未治理", facts="安全出口锁闭",
                              hazard=hazard)
    services.advance(handler, case, "investigate", note="现场检查")
    client.force_login(world.user("committee"))
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    timeline = html[html.index('data-testid="timeline"'):]
    assert "开始调查取证" in timeline and "现场检查" in timeline and "商务局 刘洋" in timeline
    assert "investigate" not in timeline and "case.opened" not in timeline
    assert f'href="/hazards/{hazard.pk}/" data-testid="hazard-link">{hazard.number}</a>' in html
    assert 'data-testid="breadcrumbs"' in html
