"""Where officials find the units under a 责令停产停业整顿 and under 强制措施 enforcing it: the case list's filters
``suspended`` (停产停业整顿中) and ``compulsion`` (强制措施未解除) — page, export and API share them — and two
home cards linking there. In force, by the law: a 责令停产停业整顿 until an effective 复产复查决定 lifts it after
review (安全生产法 第六十五条第一款第（三）项: "重大事故隐患排除后，经审查同意，方可恢复生产经营") or it is
revoked; a 强制措施 until the department lifts it (第七十条). The expected cases below are written from how each
was built, not read back from the query under test."""

import io

import pytest
from openpyxl import load_workbook

from core.testing import client_as, exported
from enforcement import services
from enforcement.models import Decision
from hazards import services as hz

from .helpers import decided_case, major_hazard, notified_case, suspension_article
from .test_suspension_compulsion import _compel

pytestmark = pytest.mark.django_db


def _suspend(world, case):
    return services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大事故隐患未消除")


def _found(world, ent):
    return major_hazard(world, actor="commerce", ent=ent, report=False, plan=False)


@pytest.fixture
def cases(world):
    """Six cases of the commerce bureau, each in a known state (a unit is suspended once at a time)."""
    ents = world.enterprises  # 0–5: the district's 商贸 units; 0 is the 'enterprise' persona's own
    built = {}
    hazard = major_hazard(world)
    built["resumed"] = notified_case(world, hazard=hazard, title="已复产")
    _suspend(world, built["resumed"])
    services.advance(world.user("commerce"), built["resumed"], "decide")
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hz.accept(world.user("commerce"), hazard, opinion="合格")
    services.resume(world.user("commerce"), built["resumed"], reason="复查合格")
    built["suspended"] = notified_case(world, ent=ents[0], title="停产中")  # the same unit, suspended again
    _suspend(world, built["suspended"])
    built["revoked"] = notified_case(world, ent=ents[1], title="停产决定已撤销")
    services.revoke_decision(world.user("commerce"), _suspend(world, built["revoked"]), reason="事实认定有误")
    # 强制措施 are for a unit with a major hazard not yet eliminated (第七十条): the department found one at each
    built["compelled"] = notified_case(world, ent=ents[2], title="停止供电中", hazard=_found(world, ents[2]))
    _compel(world, _suspend(world, built["compelled"]))
    built["compulsion_lifted"] = notified_case(world, ent=ents[3], title="强制措施已解除", hazard=_found(world, ents[3]))
    lifted = _compel(world, _suspend(world, built["compulsion_lifted"]))
    services.lift_suspension_measures(world.user("commerce"), lifted, note="已停止生产")
    built["fined"] = decided_case(world, ent=ents[4], title="仅罚款")
    return built


def _titles(cases, *keys):
    return sorted(cases[k].title for k in keys)


IN_FORCE = ("suspended", "compelled", "compulsion_lifted")


def test_the_case_list_filters_the_suspensions_in_force_and_the_measures_in_force(client, world, cases):
    client_as(client, world, "commerce")
    for query, expected in (("suspended=true", IN_FORCE), ("compulsion=true", ("compelled",)),
                            ("suspended=false", ("revoked", "resumed", "fined")),
                            ("compulsion=false", ("suspended", "revoked", "resumed", "compulsion_lifted", "fined"))):
        api = client.get(f"/api/v1/cases/?{query}&page_size=100").json()
        assert sorted(c["title"] for c in api["results"]) == _titles(cases, *expected), query
        page = client.get(f"/enforcement/?{query}").content.decode()
        assert [k for k in cases if f">{cases[k].title}<" in page] == [k for k in cases if k in expected], query
        name, value = query.split("=")
        _job, content = exported(client, "/enforcement/cases/export.xlsx", {name: value})
        sheet = load_workbook(io.BytesIO(content)).active
        assert sorted(r[2] for r in sheet.iter_rows(min_row=2, values_only=True)) == _titles(cases, *expected), query
    # the services' own reading of a case agrees (the 复产 finds the suspension it lifts this way)
    assert {k for k in cases if services.suspension_in_force(cases[k]) is not None} == set(IN_FORCE)


def test_the_home_cards_count_them_in_the_user_s_scope_and_link_to_the_list(client, world, cases):
    client_as(client, world, "commerce")
    page = client.get("/").content.decode()
    assert 'href="/enforcement/?suspended=true"' in page and 'href="/enforcement/?compulsion=true"' in page
    from enforcement.home import cards

    shown = {c["key"]: c["value"] for c in cards(world.user("commerce"))}
    assert shown == {"enforcement_suspended": 3, "enforcement_compulsion": 1}
    # the unit sees its own (suspended again after a 复产); another region, sector and unit see none of them
    assert {c["key"]: c["value"] for c in cards(world.user("enterprise"))} == {"enforcement_suspended": 1}
    for persona in ("other_region", "housing", "enterprise_other"):
        assert cards(world.user(persona)) == [], persona
        client_as(client, world, persona)
        assert "/enforcement/?suspended=true" not in client.get("/").content.decode()


def test_nothing_in_force_shows_no_card(world):
    from enforcement.home import cards

    case = notified_case(world)
    decision = _suspend(world, case)
    assert [c["key"] for c in cards(world.user("commerce"))] == ["enforcement_suspended"]
    services.revoke_decision(world.user("commerce"), decision, reason="事实认定有误")
    assert cards(world.user("commerce")) == []
    assert Decision.objects.suspensions_in_force().count() == 0
