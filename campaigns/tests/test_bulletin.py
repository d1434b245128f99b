"""The quarterly bulletin (季度通报): who issues it, what its figures cover, its cut-off and the
quarters it may describe.

Rules: PRODUCT.md (the 安委办 officer's tasks include bulletins); seed 002 四(四) "区安委会办公室按照
'月调度、季通报、年总结'要求…通报"; seed 000 四(三) "每季度通报整治进展情况"; RULES.md §4 (a county
bulletin prints 70 of 75 major hazards fixed as 93.33 %); DISPATCH_TABLE.md (facts are never in the
future). Expected figures are counted by hand from the hazards each test registers."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Sector
from campaigns.board import board, rate
from campaigns.bulletin import bulletin_docx
from core.testing import check_matrix, client_as
from documents.render import docx_text
from hazards import services as hs

TZ = ZoneInfo("Asia/Shanghai")
PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2026, 9, 30), safety_emergency="应急预案")


def at(y, m, d, hour=9, tick=False):
    return time_machine.travel(datetime.datetime(y, m, d, hour, 0, tzinfo=TZ), tick=tick)


def _major(world, persona, ent, sector="commerce"):
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code=sector),
                              description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                              deadline=datetime.date(2026, 9, 30), notify_people=False)


def _close(world, h):
    h = hs.submit_plan(world.user("enterprise"), h, plan=PLAN)
    hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
    h.refresh_from_db()
    return hs.accept(world.user("commerce_lead"), h, opinion="验收通过")


@pytest.fixture
def q3(world):
    """Registered on 2026-07-01: two major hazards at 鑫隆商贸 (光复道街道, one closed on 07-02), one at
    海河之星超市 (望海楼街道), one in 河东区 (another district). 河北区 by hand: 3 reported, 1 closed."""
    with at(2026, 7, 1):
        first = _major(world, "enterprise", world.ent_commerce)
        _major(world, "enterprise", world.ent_commerce)
        _major(world, "commerce", world.ent_commerce2)
        _major(world, "other_region", world.ent_other_region, sector="hazchem")
    with at(2026, 7, 2):
        _close(world, first)


# ---------------------------------------------------------------- who issues it

def test_only_a_committee_office_issues_the_quarterly_bulletin_on_the_page_the_download_and_the_api(client, world):
    """A department (sector-limited 住建委 or 商务局, or 应急局 of another district), a township office,
    an enterprise, an agency and a user without a unit get a 404 like the committee's other pages;
    anonymous users are sent to log in (page) or refused (API)."""
    others = {"commerce": 404, "housing": 404, "emergency": 404, "township": 404, "other_region": 404,
              "enterprise": 404, "agency": 404, "nobody": 404}
    with at(2026, 12, 3):
        for url in ("/campaigns/bulletin/?year=2026&quarter=3", "/campaigns/bulletin/?year=2026&quarter=3&download=1"):
            check_matrix(client, world, url, {"anon": "login", "committee": 200, "province": 200, **others})
        check_matrix(client, world, "/api/v1/bulletin/document/?year=2026&quarter=3",
                     {"anon": (401, 403), "committee": 200, "province": 200, **others})


def test_the_campaign_index_links_the_bulletin_for_committee_offices_only(client, world):
    client_as(client, world, "committee")
    assert "/campaigns/bulletin/" in client.get("/campaigns/").content.decode()
    for persona in ("commerce", "township"):
        client_as(client, world, persona)
        assert "/campaigns/bulletin/" not in client.get("/campaigns/").content.decode(), persona


# ---------------------------------------------------------------- what it counts

def test_a_district_bulletin_counts_every_major_hazard_of_its_district_and_none_of_another(client, world, q3):
    """By hand: 河北区 has 3 major hazards, 1 closed → 1/3 = 33.33 % (two decimals, RULES.md §4);
    the 河东区 hazard is not in it. Rows: 光复道 2 reported 1 closed 50.00 %, 望海楼 1 reported 0 closed."""
    with at(2026, 10, 10):
        client_as(client, world, "committee")
        text = docx_text(client.get("/campaigns/bulletin/", {"year": 2026, "quarter": 3, "download": 1}).content)
        rows = {i["name"]: i for i in client.get("/campaigns/bulletin/", {"year": 2026, "quarter": 3}).context["items"]}
    assert "截至2026年9月30日24时，河北区累计排查重大事故隐患3项，已整改销号1项，整改率33.33%。" in text
    assert (rows["光复道街道"]["total"], rows["光复道街道"]["closed"], rows["光复道街道"]["overall_rate"]) == (2, 1, "50.00")
    assert (rows["望海楼街道"]["total"], rows["望海楼街道"]["closed"], rows["望海楼街道"]["overall_rate"]) == (1, 0, "0.00")


def test_a_region_without_sub_regions_states_its_own_figures_not_zero(world, q3):
    """A township (光复道街道, no sub-regions, so no rows) has 2 major hazards, 1 closed: 50.00 %."""
    township = world.ent_commerce.region
    assert not township.children.exists()
    with at(2026, 10, 10):
        text = docx_text(bulletin_docx(township, "光复道街道", 2026, 3))
    assert "光复道街道累计排查重大事故隐患2项，已整改销号1项，整改率50.00%。" in text


def test_a_rate_of_nothing_prints_a_dash_and_never_100_percent(client, world):
    """0 of 0 is no rate: the bulletin's sentence and rows, the board's 到期整改率 show "—"."""
    assert rate(0, 0) is None
    with at(2026, 10, 10):
        text = docx_text(bulletin_docx(world.district, "河北区安委办", 2026, 3))
        client_as(client, world, "committee")
        page = client.get("/campaigns/bulletin/", {"year": 2026, "quarter": 3}).content.decode()
        board_page = client.get("/campaigns/board/").content.decode()
    assert "累计排查重大事故隐患0项，已整改销号0项，整改率—。" in text
    assert "100" not in text
    assert "100" not in page.split('data-testid="bulletin-as-of"')[1]
    assert "100.0" not in board_page and "<td>—</td>" in board_page
    assert all(i["rate"] == i["overall_rate"] == i["on_time_rate"] == "—" for i in board(world.district))


def test_rates_have_two_decimals_rounded_half_up_as_bulletins_print_them():
    """RULES.md §4: 70 of 75 → 93.33; 1 of 32 = 3.125 → 3.13 (half up, not 3.12)."""
    assert rate(70, 75) == Decimal("93.33") and str(rate(70, 75)) == "93.33"
    assert rate(1, 32) == Decimal("3.13")
    assert str(rate(3, 3)) == "100.00"


# ---------------------------------------------------------------- its cut-off and its quarters

def test_the_current_quarter_is_said_to_be_unfinished_while_the_clock_runs(client, world):
    """2026-12-03 with the clock running: Q4 2026 ends on 12-31, so the page and the Word file say
    "本季度尚未结束" and never "24时"; Q3 (ended 09-30) says 24时."""
    with at(2026, 12, 3, tick=True):
        client_as(client, world, "committee")
        page = client.get("/campaigns/bulletin/", {"year": 2026, "quarter": 4}).content.decode()
        text = docx_text(client.get("/campaigns/bulletin/", {"year": 2026, "quarter": 4, "download": 1}).content)
        past = client.get("/campaigns/bulletin/", {"year": 2026, "quarter": 3}).content.decode()
    assert "数据截至2026年12月3日（本季度尚未结束，为当前状态）" in page and "24时" not in page
    assert "截至2026年12月3日（本季度尚未结束，为当前状态）" in text and "24时" not in text
    assert "数据截至2026年9月30日24时" in past


@pytest.mark.parametrize("params,field", [
    ({"year": "2031", "quarter": "2"}, "year"),
    ({"year": "2027", "quarter": "1"}, "year"),
    ({"year": "2027"}, "year"),
    ({"year": "x"}, "year"),
    ({"year": "１９９９"}, "year"),  # full-width digits
    ({"year": "²"}, "year"),  # a digit to str.isdigit, not to int()
    ({"year": "9" * 30}, "year"),
    ({"year": "1999", "quarter": "1"}, "year"),
    ({"year": "2026", "quarter": "0"}, "quarter"),
    ({"year": "2026", "quarter": "5"}, "quarter"),
    ({"year": "2026", "quarter": "x"}, "quarter"),
    ({"year": "2026", "quarter": "²"}, "quarter"),
])
def test_a_quarter_not_begun_or_not_a_quarter_is_a_400_naming_its_field(client, world, params, field):
    """On 2026-12-03 (Q4 2026) a later quarter is a forecast, not a fact: refused, as is any value
    that is not a year 2000–2100 or a quarter 1–4; never a 500."""
    label = {"year": "年份", "quarter": "季度"}[field]
    with at(2026, 12, 3):
        client_as(client, world, "committee")
        for extra in ({}, {"download": "1"}):
            resp = client.get("/campaigns/bulletin/", {**params, **extra})
            # the 400 page, its reason naming the field
            assert resp.status_code == 400 and f'<p class="mb-4">{label}：' in resp.content.decode(), (params, extra)
        api = client.get("/api/v1/bulletin/document/", params)
        assert api.status_code == 400 and set(api.json()["errors"]) == {field}, api.content


def test_the_current_quarter_and_a_past_one_are_given(client, world):
    with at(2026, 12, 3):
        client_as(client, world, "committee")
        for params in ({}, {"year": "2026", "quarter": "4"}, {"year": "2026", "quarter": "1"}, {"year": "2025"}):
            assert client.get("/campaigns/bulletin/", params).status_code == 200, params
            assert client.get("/api/v1/bulletin/document/", params).status_code == 200, params
