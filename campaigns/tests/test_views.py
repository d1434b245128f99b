"""Pages, API, command and xlsx export of the dispatch table; permissions."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from campaigns.tables import unit_table
from core.testing import check_matrix, client_as

from .scenario import AS_OF_1, build


@pytest.fixture
def scen(world):
    return build(world)


def _q(as_of):
    return as_of.isoformat().replace("+", "%2B")


def test_page_api_and_command_agree(client, world, scen):
    unit = world.org("commerce")
    client_as(client, world, "commerce")
    page = client.get(f"/campaigns/dispatch/?unit={unit.pk}&as_of={_q(AS_OF_1)}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="value-1.1">3<' in html and 'data-testid="value-1.2">2<' in html
    assert "注：现场发现或通过检查动火" in html and "承包承租单位不具备安全生产条件" in html
    api = client.get(f"/api/v1/dispatch/?unit={unit.pk}&as_of={_q(AS_OF_1)}").json()
    out = io.StringIO()
    call_command("dispatch_table", "--unit", str(unit.pk), "--as-of", AS_OF_1.isoformat(), "--format", "json", stdout=out)
    cmd = json.loads(out.getvalue())
    assert cmd["values"] == api["values"]
    assert api["values"]["1.1"] == 3 and api["values"]["1.3"] == 1
    assert api["values"] == {k: unit_table(unit, AS_OF_1, scen["campaign"]).values.get(k) for k in api["values"]}


def test_command_xlsx_to_file_and_bad_unit(world, scen, tmp_path):
    from django.core.management.base import CommandError

    target = tmp_path / "t.xlsx"
    call_command("dispatch_table", "--unit", str(world.org("housing").pk), "--as-of", AS_OF_1.isoformat(),
                 "--format", "xlsx", "--output", str(target))
    ws = load_workbook(target).active
    assert ws["A2"].value == "单位：河北区住房和建设委员会"
    with pytest.raises(CommandError):
        call_command("dispatch_table", "--unit", "nope", "--format", "json")


def test_xlsx_export_reproduces_the_printed_layout(client, world, scen):
    client_as(client, world, "commerce")
    resp = client.get(f"/campaigns/dispatch/export/?unit={world.org('commerce').pk}&as_of={_q(AS_OF_1)}")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws["A1"].value == "重大事故隐患专项排查整治行动进展情况调度表"
    assert ws["A2"].value == "单位：河北区商务局" and ws["D2"].value == "时间：2026年3月15日"
    assert ws["A3"].value == "一、总体情况"
    assert ws["A4"].value == "1.1 企业自查发现的重大事故隐患" and ws["B4"].value == 3 and ws["C4"].value == "个"
    assert ws["D4"].value.startswith("1.2 ") and ws["E4"].value == 2
    assert ws["A5"].value.startswith("1.3 ") and ws["B5"].value == 1 and ws["E5"].value == 0
    assert ws["A6"].value.startswith("二、")
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("三、") for t in texts) and any(t.startswith("四、") for t in texts)
    assert any("3.3 行政处罚，行政处罚金额" in t for t in texts)
    assert any(t.startswith("2.7 外包外租安全管理混乱：") for t in texts)  # remark
    assert "备注：" in texts


def test_submit_through_the_page(client, world, scen):
    import time_machine

    client_as(client, world, "commerce")
    with time_machine.travel(AS_OF_1, tick=False):
        resp = client.post("/campaigns/dispatch/submit/", {"unit": world.org("commerce").pk, "as_of": "2026-03-15T12:00",
                                                          "campaign": scen["campaign"].pk, "row_4.7": "5",
                                                          "note": "更正\x00第4.7行\x0b"})
        assert resp.status_code == 302
        from campaigns.models import Submission

        assert Submission.objects.filter(unit=world.org("commerce")).latest("pk").note == "更正第4.7行"
        bad = client.post("/campaigns/dispatch/submit/", {"unit": world.org("commerce").pk, "as_of": "2026-03-15T12:00",
                                                         "campaign": scen["campaign"].pk, "row_4.7": "-1"})
        assert bad.status_code == 400 and "4.7" in bad.content.decode()
    client_as(client, world, "committee")
    resp = client.post("/campaigns/dispatch/submit/", {"unit": world.org("commerce").pk, "as_of": "2026-03-15T12:00",
                                                      "campaign": scen["campaign"].pk})
    assert resp.status_code == 403


def test_bad_as_of_is_400(client, world, scen):
    client_as(client, world, "commerce")
    assert client.get("/campaigns/dispatch/?as_of=yesterday").status_code == 400
    assert client.get("/api/v1/dispatch/?as_of=yesterday").status_code == 400
    assert client.get("/api/v1/dispatch/?campaign=abc").status_code == 400


def test_dispatch_permissions(client, world, scen):
    unit = world.org("commerce").pk
    check_matrix(client, world, f"/campaigns/dispatch/?unit={unit}", {
        "anon": "login", "committee": 200, "commerce": 200, "commerce_lead": 200, "housing": 404, "emergency": 404,
        "township": 404, "other_region": 404, "enterprise": 404, "agency": 404, "nobody": 404, "admin": 200})
    check_matrix(client, world, "/campaigns/dispatch/", {
        "committee": 200, "housing": 200, "township": 200, "enterprise": 404, "nobody": 404, "other_region": 200})
    check_matrix(client, world, f"/api/v1/dispatch/?unit={unit}", {
        "anon": (401, 403), "committee": 200, "commerce": 200, "housing": 404, "other_region": 404, "enterprise": 404})
    check_matrix(client, world, f"/campaigns/dispatch/export/?unit={unit}", {
        "committee": 200, "commerce": 200, "housing": 404, "other_region": 404, "enterprise": 404})
    check_matrix(client, world, "/campaigns/dispatch/rollup/", {
        "anon": "login", "committee": 200, "commerce": 404, "township": 404, "other_region": 404, "enterprise": 404})
    check_matrix(client, world, "/campaigns/dispatch/remind/", {
        "committee": 302, "commerce": 404, "enterprise": 404}, method="post", data={"campaign": scen["campaign"].pk})
    check_matrix(client, world, "/campaigns/activities/", {
        "committee": 200, "commerce": 200, "township": 200, "enterprise": 404, "agency": 404, "nobody": 404})
    for url in ("/campaigns/", "/campaigns/stats/", "/campaigns/board/"):
        check_matrix(client, world, url, {"anon": "login", "committee": 200, "commerce": 200, "township": 200,
                                          "other_region": 200, "enterprise": 404, "agency": 404, "nobody": 404})
    # the quarterly bulletin is the committee office's (PRODUCT.md; seed 002 四(四) 区安委会办公室…季通报)
    check_matrix(client, world, "/campaigns/bulletin/", {
        "anon": "login", "committee": 200, "province": 200, "commerce": 404, "housing": 404, "township": 404,
        "other_region": 404, "enterprise": 404, "agency": 404, "nobody": 404})


def test_other_region_cannot_see_this_districts_submissions(client, world, scen):
    import time_machine

    from campaigns import services as cs

    with time_machine.travel(AS_OF_1, tick=False):
        sub = cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=scen["campaign"], as_of=AS_OF_1)
    check_matrix(client, world, f"/campaigns/submissions/{sub.pk}/", {
        "committee": 200, "commerce": 200, "housing": 404, "other_region": 404, "enterprise": 404})


def test_rollup_page_never_shows_a_grand_sum(client, world, scen):
    client_as(client, world, "committee")
    html = client.get(f"/campaigns/dispatch/rollup/?as_of={_q(AS_OF_1)}").content.decode()
    assert "区级部门合计" in html and "街道合计" in html and "全区实时重算" in html
    assert 'data-testid="live-1.3">2<' in html
    assert "总计" not in html


def test_activity_form(client, world):
    client_as(client, world, "township")
    resp = client.post("/campaigns/activities/", {"kind": "inspectors", "date": "2026-01-05"})
    assert resp.status_code == 400 and "技术检查员人数" in resp.content.decode()
    resp = client.post("/campaigns/activities/", {"kind": "inspectors", "date": "2026-01-05", "count": "4"})
    assert resp.status_code == 302


def test_committee_picks_units_and_home_card(client, world, scen):
    client_as(client, world, "committee")
    html = client.get("/campaigns/dispatch/").content.decode()
    assert "光复道街道办事处" in html and "河北区商务局" in html
    client_as(client, world, "commerce")
    assert "本周调度表" in client.get("/").content.decode()
    client_as(client, world, "enterprise")
    assert "本周调度表" not in client.get("/").content.decode()


def test_a_department_that_leads_no_sector_gets_its_table_with_section_one_at_zero(client, world, scen):
    """A department whose competences name no sector to lead (a new one, not yet configured, or one
    that only takes part) has no hazard in its section 一: its table shows 0 there — page, API and
    xlsx — instead of failing on the empty sector list (it answered 500)."""
    from accounts.models import Competence

    unit = world.org("commerce")
    before = client_as(client, world, "commerce").get(f"/api/v1/dispatch/?unit={unit.pk}&as_of={_q(AS_OF_1)}").json()
    assert before["values"]["1.1"] == 3  # the scenario's hazards are in its sectors
    Competence.objects.filter(department=unit, role=Competence.Role.LEAD).delete()
    assert unit.lead_sector_ids() == set()
    page = client.get(f"/campaigns/dispatch/?unit={unit.pk}&as_of={_q(AS_OF_1)}")
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("1.1", "1.2", "1.3", "1.4"):
        assert f'data-testid="value-{code}">0<' in html
    api = client.get(f"/api/v1/dispatch/?unit={unit.pk}&as_of={_q(AS_OF_1)}")
    assert api.status_code == 200
    assert [api.json()["values"][c] for c in ("1.1", "1.2", "1.3", "1.4")] == [0, 0, 0, 0]
    # what the unit itself did (sections 二 to 四) does not depend on the sectors it leads
    assert {k: v for k, v in api.json()["values"].items() if not k.startswith("1.")} == \
        {k: v for k, v in before["values"].items() if not k.startswith("1.")}
    xlsx = client.get(f"/campaigns/dispatch/export/?unit={unit.pk}&as_of={_q(AS_OF_1)}")
    assert xlsx.status_code == 200
    load_workbook(io.BytesIO(xlsx.content))


def test_a_reminder_retried_with_its_idempotency_key_answers_the_first_answer(client, world, scen):
    """POST /api/v1/campaigns/{id}/remind/ answers the reporting week (a date): with an Idempotency-Key the
    answer is stored and a retry gets it back, the same JSON — never a 500 because a date is not JSON."""
    client_as(client, world, "committee")
    url = f"/api/v1/campaigns/{scen['campaign'].pk}/remind/"
    first = client.post(url, content_type="application/json", HTTP_IDEMPOTENCY_KEY="remind-1")
    again = client.post(url, content_type="application/json", HTTP_IDEMPOTENCY_KEY="remind-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert first.json()["week"] == json.loads(json.dumps(first.json()))["week"]


def test_a_unit_or_campaign_that_is_no_id_is_refused_not_a_500(client, world, scen):
    client_as(client, world, "commerce")
    form = {"unit": world.org("commerce").pk, "as_of": "2026-03-15T12:00", "campaign": scen["campaign"].pk}
    for unit in ("²", "\x00", "０１"):  # a digit to str.isdigit, no id; NUL; full-width digits
        assert client.post("/campaigns/dispatch/submit/", {**form, "unit": unit}).status_code == 404
    # not an id: 400 naming it (campaign_or_404, as the table's ?campaign=); none named: 400 asking for one
    for campaign, reason in (("abc", "无效的专项行动编号"), ("²", "无效的专项行动编号"), ("\x00", "无效的专项行动编号"),
                             ("0", "无效的专项行动编号"), ("", "请选择专项行动")):
        r = client.post("/campaigns/dispatch/submit/", {**form, "campaign": campaign})
        assert r.status_code == 400 and reason in r.content.decode(), campaign
    client_as(client, world, "committee")
    for campaign, reason in (("abc", "无效的专项行动编号"), ("²", "无效的专项行动编号"), ("\x00", "无效的专项行动编号"),
                             ("", "请选择专项行动")):
        r = client.post("/campaigns/dispatch/remind/", {"campaign": campaign})
        assert r.status_code == 400 and reason in r.content.decode(), campaign
    assert client.post("/campaigns/dispatch/remind/", {"campaign": 999999}).status_code == 404  # none of one's: 404
