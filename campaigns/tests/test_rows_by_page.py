"""One way per dispatch row (docs/dispatch.md): for every row of sections 三 and 四, record its fact
through the one page that records it and see that row (and only the rows it feeds) move.
Expected deltas come from the printed table's definitions (DISPATCH_TABLE.md), not from the code."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Sector
from campaigns import dispatch as D
from campaigns import services as cs
from hazards import asof

START = datetime.date(2020, 1, 1)
SECTION_3_4 = ("3.1", "3.2", "3.3", "3.3_amount", "3.4", "3.5", "3.6", "3.7", "3.8", "3.8_dangerous_ops", "3.9", "3.10",
               "4.1", "4.2", "4.3", "4.4", "4.5", "4.5_anonymous", "4.6", "4.7", "4.8")


@pytest.fixture
def unit(world):
    cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district, start=START,
                       end=datetime.date(2030, 12, 31))
    return world.org("commerce")


def rows(unit) -> dict:
    values = D.unit_table(unit, asof.start_of(START), asof.now())
    return {code: values.get(code) for code in SECTION_3_4}


def moved(before, after) -> dict:
    return {code: (before[code], after[code]) for code in SECTION_3_4 if before[code] != after[code]}


def yesterday() -> str:
    return (asof.local_day(asof.now()) - datetime.timedelta(days=1)).isoformat()


def _case(world):
    from enforcement.tests.helpers import notified_case

    return notified_case(world)


def _decided_case(world, *, closed=False):
    """A case at 决定 (closed when asked) on a fine of the unit: measures follow the decision, a
    typical case the closing."""
    from enforcement import services
    from enforcement.tests.helpers import decided_case

    case = decided_case(world)
    if closed:
        services.advance(world.user("commerce"), case, "close")
    return case


def _parties(case):
    from enforcement.tests.helpers import entity, principal

    return entity(case), principal(case)


@pytest.mark.parametrize("kind,extra,code", [
    ("help_township", "township", "3.1"),
    ("help_enterprise", "enterprise", "3.2"),
    ("supervision", "target_organisation", "4.8"),
])
def test_visit_page_moves_its_row(client, world, unit, kind, extra, code):
    value = {"township": world.townships[0].pk, "enterprise": world.ent_commerce.pk,
             "target_organisation": world.org("township0").pk}[extra]
    client.force_login(world.user("commerce"))
    before = rows(unit)
    r = client.post("/inspections/visits/new/", {"kind": kind, "visited_on": yesterday(), extra: value, "content": "帮扶"})
    assert r.status_code == 302
    assert moved(before, rows(unit)) == {code: (0, 1)}


@pytest.mark.parametrize("kind,code", [("study", "4.1"), ("research", "4.2"), ("onsite", "4.3"), ("preach", "4.4")])
def test_activity_page_moves_its_row(client, world, unit, kind, code):
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post("/campaigns/activities/", {"kind": kind, "date": yesterday()}).status_code == 302
    assert moved(before, rows(unit)) == {code: (0, 1)}


def test_activity_page_media_and_inspectors(client, world, unit):
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert before["4.6"] is None and before["4.7"] is None  # manual until recorded
    assert client.post("/campaigns/activities/", {"kind": "media", "date": yesterday()}).status_code == 302
    assert client.post("/campaigns/activities/", {"kind": "inspectors", "date": yesterday(), "count": "3"}).status_code == 302
    assert moved(before, rows(unit)) == {"4.6": (None, True), "4.7": (None, 3)}


def test_supervision_is_not_a_second_way_on_the_activity_page(client, world, unit):
    client.force_login(world.user("commerce"))
    html = client.get("/campaigns/activities/").content.decode()
    assert 'value="supervision"' not in html
    before = rows(unit)
    assert client.post("/campaigns/activities/", {"kind": "supervision", "date": yesterday()}).status_code == 400
    from core.services import ServiceError

    with pytest.raises(ServiceError, match="督导检查"):
        cs.record_activity(world.user("commerce"), unit=unit, kind="supervision", date=datetime.date.today())
    assert moved(before, rows(unit)) == {}


def test_a_future_date_is_refused(client, world, unit):
    client.force_login(world.user("commerce"))
    tomorrow = (asof.local_day(asof.now()) + datetime.timedelta(days=1)).isoformat()
    before = rows(unit)
    assert client.post("/campaigns/activities/", {"kind": "study", "date": tomorrow}).status_code == 400
    assert client.post("/inspections/visits/new/", {"kind": "help_enterprise", "visited_on": tomorrow,
                                                    "enterprise": world.ent_commerce.pk, "content": "x"}).status_code == 400
    assert moved(before, rows(unit)) == {}


def test_penalties_move_3_3_and_the_double_penalty_3_4(client, world, unit):
    from enforcement.tests.helpers import article, order_to_correct

    case = _case(world)
    ent, principal = _parties(case)
    # 逾期未改正 presupposes the 责令限期改正 with its fine (101(五): 10万元 here) — already counted before
    order_to_correct(world, case, 101, "(五)", amount=100000)
    art = article(101, "(五)逾期")  # entity 10–20万元, persons 2–5万元
    client.force_login(world.user("commerce"))
    url = f"/enforcement/cases/{case.pk}/penalty/"
    before = rows(unit)
    assert client.post(url, {"penalty-party": ent.pk, "penalty-article": art.pk, "penalty-amount": "150000",
                             "penalty-decided_on": yesterday()}).status_code == 302
    # the unit was already a penalised party of this case (DISPATCH_TABLE.md: one per penalised party):
    # 3.3 stays, its amount grows
    assert moved(before, rows(unit)) == {"3.3_amount": (Decimal("10.0000"), Decimal("25.0000"))}
    mid = rows(unit)
    assert client.post(url, {"penalty-party": principal.pk, "penalty-article": art.pk, "penalty-amount": "30000",
                             "penalty-decided_on": yesterday()}).status_code == 302
    assert moved(mid, rows(unit)) == {"3.3": (1, 2), "3.3_amount": (Decimal("25.0000"), Decimal("28.0000")), "3.4": (0, 1)}


def test_transfer_moves_3_5(client, world, unit):
    case = _case(world)
    _, principal = _parties(case)
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post(f"/enforcement/cases/{case.pk}/transfer/", {
        "transfer-party": principal.pk, "transfer-reason": "涉嫌危险作业罪", "transfer-decided_on": yesterday(),
        "transfer-transfer_to": "天津市公安局河北分局"}).status_code == 302
    assert moved(before, rows(unit)) == {"3.5": (0, 1)}


def test_suspension_moves_3_6_by_its_decision_date(client, world, unit):
    from enforcement.models import Decision
    from enforcement.tests.helpers import suspension_article

    case = _case(world)
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post(f"/enforcement/cases/{case.pk}/suspension/", {
        "suspension-article": suspension_article().pk, "suspension-reason": "重大事故隐患未消除",
        "suspension-decided_on": yesterday()}).status_code == 302
    # a 责令停产停业整顿 is an administrative penalty of the unit (行政处罚法 第九条): 3.3 counts it too (no amount)
    assert moved(before, rows(unit)) == {"3.3": (0, 1), "3.6": (0, 1)}
    assert Decision.objects.get(kind="suspension").decided_on.isoformat() == yesterday()


def test_measure_moves_3_7(client, world, unit):
    case = _decided_case(world)
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post(f"/enforcement/cases/{case.pk}/measure/", {
        "measure-kind": "interview", "measure-note": "约谈主要负责人", "measure-date": yesterday()}).status_code == 302
    assert moved(before, rows(unit)) == {"3.7": (0, 1)}


def test_typical_case_moves_3_8(client, world, unit):
    case = _decided_case(world, closed=True)
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post(f"/enforcement/cases/{case.pk}/typical/", {
        "typical-title": "某商场锁闭安全出口案", "typical-summary": "案情简介", "typical-dangerous_ops": "on",
        "typical-published_on": asof.local_day(asof.now()).isoformat()}).status_code == 302  # closed today
    assert moved(before, rows(unit)) == {"3.8": (0, 1), "3.8_dangerous_ops": (0, 1)}


def test_accountability_page_moves_3_9(client, world, unit):
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post("/enforcement/facts/accountability/new/", {
        "acc-person_name": "张三", "acc-measure": "诫勉谈话", "acc-date": yesterday()}).status_code == 302
    assert moved(before, rows(unit)) == {"3.9": (0, 1)}


def test_notice_page_moves_3_10(client, world, unit):
    client.force_login(world.user("commerce"))
    before = rows(unit)
    assert client.post("/enforcement/facts/notice/new/", {
        "notice-target": world.org("township0").pk, "notice-kind": "notice", "notice-date": yesterday()}).status_code == 302
    assert moved(before, rows(unit)) == {"3.10": (0, 1)}


def test_reward_payment_moves_4_5(client, world, unit):
    from tips import services as ts
    from tips.models import RewardPolicy

    tip, _ = ts.submit_tip(None, region=world.ent_commerce.region, sector=Sector.objects.get(code="commerce"),
                           address="示范路1号", enterprise=world.ent_commerce, content="仓库堆放货物堵塞疏散通道，安全出口上锁。", anonymous=True)
    client.force_login(world.user("commerce"))
    base = f"/tips/{tip.pk}/"
    assert client.post(base + "accept/", {"note": "受理"}).status_code == 302
    assert client.post(base + "start_verification/", {"note": ""}).status_code == 302
    assert client.post(base + "verify/", {"result": "true", "note": "属实", "register": "on", "grade": "general",
                                          "description": "疏散通道堵塞"}).status_code == 302
    policy = RewardPolicy.objects.get(code="ordinary")
    assert client.post(base + "decide_reward/", {"line": "reporter", "policy": policy.pk}).status_code == 302
    reward = tip.rewards.get()
    client.force_login(world.user("commerce_lead"))
    assert client.post(base + f"rewards/{reward.pk}/approve/").status_code == 302
    client.force_login(world.user("commerce"))
    before = rows(unit)
    # paid today, the day of the approval (a payment may not be dated before its approval)
    today = asof.local_day(asof.now()).isoformat()
    assert client.post(base + f"rewards/{reward.pk}/pay/", {"paid_on": today, "method": "现金"}).status_code == 302
    reward.refresh_from_db()
    wan = (reward.amount / Decimal(10000)).quantize(Decimal("0.0001"))
    assert wan > 0
    assert moved(before, rows(unit)) == {"4.5": (Decimal("0.0000"), wan), "4.5_anonymous": (Decimal("0.0000"), wan)}


def test_late_fact_dated_before_a_frozen_submission_leaves_it_and_the_page_says_live_differs(client, world, unit):
    from campaigns.models import Campaign, Submission

    campaign = unit_campaign = Campaign.objects.get()
    client.force_login(world.user("commerce"))
    as_of = asof.start_of(asof.local_day(asof.now())).isoformat()  # today 00:00 Shanghai
    r = client.post("/campaigns/dispatch/submit/", {"unit": unit.pk, "as_of": as_of, "campaign": unit_campaign.pk})
    assert r.status_code == 302
    sub = Submission.objects.get(campaign=campaign)
    assert sub.values["4.1"] == 0
    # entered now, dated yesterday — before the submission's cut-off
    assert client.post("/campaigns/activities/", {"kind": "study", "date": yesterday()}).status_code == 302
    sub.refresh_from_db()
    assert sub.values["4.1"] == 0  # frozen
    page = client.get(f"/campaigns/submissions/{sub.pk}/").content.decode()
    assert 'data-testid="live-differs"' in page and "4.1 组织专题学习安全生产十五条硬措施：已报送 0，实时 1" in page
    live = client.get(r["Location"]).content.decode()
    assert 'data-testid="live-differs"' in live and 'data-testid="value-4.1">1<' in live


def test_township_rows_1_3_and_1_4_stay_blank(client, world, unit):
    from campaigns.models import Campaign, Submission

    township = world.org("township0")
    client.force_login(world.user("township"))
    html = client.get(f"/campaigns/dispatch/?unit={township.pk}").content.decode()
    assert 'name="row_1.3"' not in html and 'name="row_1.4"' not in html
    assert 'data-testid="blank-1.3"' in html and "（行业主管部门填写）" in html
    r = client.post("/campaigns/dispatch/submit/", {"unit": township.pk, "campaign": Campaign.objects.get().pk,
                                                    "row_1.3": "5", "row_1.4": "2"})
    assert r.status_code == 302
    sub = Submission.objects.get(unit=township)
    assert sub.values.get("1.3") is None and sub.values.get("1.4") is None


def test_a_note_longer_than_its_column_is_refused_on_the_page_not_cut(client, world, unit):
    from campaigns.models import Campaign, Submission

    campaign = Campaign.objects.get()
    client.force_login(world.user("commerce"))
    body = {"unit": unit.pk, "campaign": campaign.pk}
    r = client.post("/campaigns/dispatch/submit/", {**body, "note": "更" * 201})  # the column holds 200
    assert r.status_code == 400 and "说明不能超过200字（现为201字）" in r.content.decode()
    assert 'data-testid="form-errors" data-field="note">说明不能超过200字' in r.content.decode()  # named by its field
    assert not Submission.objects.exists()
    assert client.post("/campaigns/dispatch/submit/", {**body, "note": "更" * 200}).status_code == 302
    assert Submission.objects.get().note == "更" * 200
