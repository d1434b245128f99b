"""The time limits of a 移送司法机关, written from 《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号, 2020年修订):

* 第五条 决定批准的，应当在24小时内向同级公安机关移送 — the 回执 signed on the decision's day or the next;
* 第七条 不属于本机关管辖的，应当在24小时内转送有管辖权的机关，并书面告知移送案件的行政执法机关;
* 第八条 公安机关应当自接受……之日起3日内……进行审查 (and notifies 立案 / 不予立案 in writing);
* 第九条 可以自接到不予立案通知书之日起3日内，提请……复议 — an option: its window lapses, nothing is overdue;
* 第十一条 应当自接到立案通知书之日起3日内将涉案物品以及与案件有关的其他材料移交公安机关 — not recorded
  on the platform: a reminder of the date only.

The dates below are counted by hand from those articles (a calendar, not the module's constants)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils.html import strip_tags

from enforcement import services
from enforcement.models import TransferOutcome
from enforcement.transfer_clock import steps

from .test_transfer_outcome import POLICE, day, post, transferred  # noqa: F401 - the fixture

D = datetime.date


def outcome(received=None, kind="", notified=None, requested=None):
    return SimpleNamespace(received_on=received, outcome=kind, notified_on=notified,
                           reconsideration_requested_on=requested)


def table(result):
    return [(s.code, s.due, s.state) for s in result]


def test_before_the_receipt_only_the_transfer_runs_for_one_day():
    decided = D(2026, 11, 2)  # a Monday
    assert table(steps(decided, None, D(2026, 11, 2))) == [("transfer", D(2026, 11, 3), "open")]
    assert table(steps(decided, None, D(2026, 11, 3))) == [("transfer", D(2026, 11, 3), "open")]
    assert table(steps(decided, None, D(2026, 11, 4))) == [("transfer", D(2026, 11, 3), "overdue")]


@pytest.mark.parametrize("received, state, days_late", [
    (D(2026, 11, 2), "met", 0),   # the same day
    (D(2026, 11, 3), "met", 0),   # within 24 hours
    (D(2026, 11, 4), "late", 1),  # the third day
    (D(2026, 11, 9), "late", 6),
])
def test_the_receipt_meets_the_transfer_within_24_hours(received, state, days_late):
    [transfer, review] = steps(D(2026, 11, 2), outcome(received), D(2026, 11, 30))
    assert (transfer.code, transfer.done_on, transfer.state, transfer.days_late) == ("transfer", received, state, days_late)
    assert review.code == "review"


def test_the_police_review_three_days_from_the_receipt():
    received = D(2026, 11, 3)
    for today, state in [(D(2026, 11, 5), "open"), (D(2026, 11, 6), "open"), (D(2026, 11, 7), "overdue")]:
        assert table(steps(D(2026, 11, 2), outcome(received), today))[1] == ("review", D(2026, 11, 6), state)
    for notified, state in [(D(2026, 11, 6), "met"), (D(2026, 11, 8), "late")]:
        review = steps(D(2026, 11, 2), outcome(received, "filed", notified), D(2026, 11, 30))[1]
        assert (review.done_on, review.state) == (notified, state)


def test_a_case_forwarded_elsewhere_has_24_hours_and_no_review_here():
    result = steps(D(2026, 11, 2), outcome(D(2026, 11, 3), "forwarded", D(2026, 11, 5)), D(2026, 11, 30))
    assert table(result) == [("transfer", D(2026, 11, 3), "met"), ("forward", D(2026, 11, 4), "late")]


def test_not_filed_opens_three_days_to_ask_for_reconsideration_which_lapse_rather_than_fall_overdue():
    base = dict(received=D(2026, 11, 3), kind="not_filed", notified=D(2026, 11, 10))
    assert table(steps(D(2026, 11, 2), outcome(**base), D(2026, 11, 13)))[-1] == ("reconsideration", D(2026, 11, 13), "open")
    assert table(steps(D(2026, 11, 2), outcome(**base), D(2026, 11, 14)))[-1] == ("reconsideration", D(2026, 11, 13), "lapsed")
    assert steps(D(2026, 11, 2), outcome(**base, requested=D(2026, 11, 13)), D(2026, 11, 30))[-1].state == "met"
    assert steps(D(2026, 11, 2), outcome(**base, requested=D(2026, 11, 14)), D(2026, 11, 30))[-1].state == "late"


def test_filed_reminds_of_the_handover_three_days_from_the_notice():
    result = steps(D(2026, 11, 2), outcome(D(2026, 11, 2), "filed", D(2026, 11, 5)), D(2026, 12, 30))
    assert table(result) == [("transfer", D(2026, 11, 3), "met"), ("review", D(2026, 11, 5), "met"),
                             ("handover", D(2026, 11, 8), "reminder")]  # never "overdue": not recorded here


def test_the_model_and_the_clock_agree_on_a_late_reconsideration():
    """TransferOutcome.reconsideration_late (the event's ``late``) and the clock's 复议 step are one rule."""
    for requested, late in [(D(2026, 11, 13), False), (D(2026, 11, 14), True)]:
        row = TransferOutcome(received_on=D(2026, 11, 3), outcome="not_filed", notified_on=D(2026, 11, 10),
                              reconsideration_requested_on=requested)
        assert row.reconsideration_late is late
        assert (steps(D(2026, 11, 2), row, D(2026, 11, 30))[-1].state == "late") is late


@pytest.mark.django_db
def test_the_case_page_shows_the_limits_and_a_revoked_transfer_none(client, world, transferred):  # noqa: F811
    case, decision = transferred
    client.force_login(world.user("commerce"))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    due = decision.decided_on + datetime.timedelta(days=1)
    assert f'data-testid="transfer-clock-{decision.pk}"' in page
    assert f"移送公安机关（回执签收）（第五条）：期限 {due:%Y-%m-%d}" in strip_tags(page)
    assert 'data-step="transfer" data-state="overdue"' in page  # decided ten days ago, no 回执 yet
    assert post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ=POLICE,
                received_on=day(0)).status_code == 302
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-step="transfer" data-state="late"' in page and "逾期办理 9日" in page
    assert 'data-step="review" data-state="open"' in page and f"期限 {day(3):%Y-%m-%d}" in strip_tags(page)
    services.revoke_decision(world.user("commerce"), decision, reason="移送决定有误")
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'data-testid="transfer-clock-{decision.pk}"' not in page


@pytest.mark.django_db
def test_the_api_gives_the_same_limits_and_none_for_a_revoked_transfer_or_a_penalty(client, world, transferred):  # noqa: F811
    """GET /api/v1/decisions/{id}/ carries the case page's time limits (transfer_deadlines), dates counted by hand:
    decided ten days ago, the 回执 is due the next day; signed today it is 9 days late and the 审查 runs 3 days."""
    from core.testing import client_as

    case, decision = transferred
    client_as(client, world, "commerce")
    body = client.get(f"/api/v1/decisions/{decision.pk}/").json()
    assert body["transfer_deadlines"] == [{
        "code": "transfer", "label": "移送公安机关（回执签收）", "article": "第五条", "due": f"{day(-9):%Y-%m-%d}",
        "done_on": None, "state": "overdue", "state_label": "已逾期", "days_late": 0}]
    assert post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ=POLICE,
                received_on=day(0)).status_code == 302
    [transfer, review] = client.get(f"/api/v1/decisions/{decision.pk}/").json()["transfer_deadlines"]
    assert (transfer["state"], transfer["done_on"], transfer["days_late"]) == ("late", f"{day(0):%Y-%m-%d}", 9)
    assert (review["code"], review["article"], review["due"], review["state"]) == (
        "review", "第八条", f"{day(3):%Y-%m-%d}", "open")
    listed = {d["id"]: d for d in client.get(f"/api/v1/decisions/?case={case.pk}").json()["results"]}
    assert listed[decision.pk]["transfer_deadlines"][1]["code"] == "review"
    services.revoke_decision(world.user("commerce"), decision, reason="移送决定有误")
    assert client.get(f"/api/v1/decisions/{decision.pk}/").json()["transfer_deadlines"] == []


@pytest.mark.django_db
def test_the_schema_documents_the_limits_for_a_generated_client():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Decision"]["properties"]["transfer_deadlines"]
    step = schema["components"]["schemas"][field["items"]["$ref"].split("/")[-1]]
    assert field["type"] == "array" and field["readOnly"] is True
    assert set(step["required"]) >= {"code", "due", "done_on", "state", "days_late"}
    assert step["properties"]["done_on"]["nullable"] is True
