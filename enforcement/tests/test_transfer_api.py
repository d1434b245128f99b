"""The 公安机关's answer to a transfer through the API (POST /api/v1/decisions/{id}/transfer-receipt/,
transfer-outcome/, transfer-reconsideration/): the same writers, rules and refusals as the case page
(国务院令第310号 第七、八、九条, see test_transfer_outcome.py), one event each, a retry with the same values
answering the same decision without a second event, and the scope of a transfer: the handler writes, a
government user who sees the case but does not handle it is refused, an enterprise (transfers are hidden
from it), another sector's department, another region and anonymous do not find it."""

import pytest

from core.events import Event
from core.testing import check_matrix, client_as
from enforcement.models import TransferOutcome

from .test_transfer_outcome import POLICE, day, transferred  # noqa: F401 - the fixture

J = "application/json"


def url(decision, what):
    return f"/api/v1/decisions/{decision.pk}/transfer-{what}/"


def events(case, verb):
    return Event.objects.filter(object_id=case.pk, verb=verb).count()


@pytest.mark.django_db
def test_the_handler_records_receipt_outcome_and_reconsideration_each_once(client, world, transferred):  # noqa: F811
    case, decision = transferred
    client_as(client, world, "commerce")
    receipt = {"receiving_organ": POLICE, "received_on": f"{day(-8):%Y-%m-%d}"}
    r = client.post(url(decision, "receipt"), receipt, content_type=J)
    assert r.status_code == 200, r.content
    assert (r.json()["transfer_receiving_organ"], r.json()["transfer_received_on"]) == (POLICE, f"{day(-8):%Y-%m-%d}")
    assert [s["code"] for s in r.json()["transfer_deadlines"]] == ["transfer", "review"]
    assert client.post(url(decision, "receipt"), receipt, content_type=J).status_code == 200  # a retry
    assert events(case, "case.transfer_received") == 1
    r = client.post(url(decision, "outcome"), {"outcome": "not_filed", "notified_on": f"{day(-5):%Y-%m-%d}",
                                               "note": "公不立字〔2026〕12号"}, content_type=J)
    assert r.status_code == 200 and r.json()["transfer_outcome"] == "not_filed"
    assert r.json()["transfer_deadlines"][-1]["code"] == "reconsideration"
    r = client.post(url(decision, "reconsideration"), {"requested_on": f"{day(-1):%Y-%m-%d}"}, content_type=J)
    assert r.status_code == 200 and r.json()["transfer_reconsideration_requested_on"] == f"{day(-1):%Y-%m-%d}"
    assert r.json()["transfer_deadlines"][-1]["state"] == "late"  # 4 days after the notice: 第九条 gives 3
    row = TransferOutcome.objects.get(decision=decision)
    assert (row.receiving_organ, row.outcome, row.note, row.reconsideration_requested_on) == (
        POLICE, "not_filed", "公不立字〔2026〕12号", day(-1))
    assert [events(case, v) for v in ("case.transfer_received", "case.transfer_outcome",
                                      "case.transfer_reconsideration")] == [1, 1, 1]


@pytest.mark.django_db
@pytest.mark.parametrize("what, body, field, reason", [
    ("receipt", {"receiving_organ": POLICE, "received_on": "2099-01-01"}, "received_on", "回执签收日期不能晚于今天"),
    ("receipt", {"receiving_organ": POLICE}, "received_on", "该字段是必填项"),
    ("receipt", {"receiving_organ": "局" * 101, "received_on": "{d8}"}, "receiving_organ", "100"),
    ("receipt", {"receiving_organ": POLICE, "received_on": "{d20}"}, "received_on", "不能早于移送日期"),
    ("outcome", {"outcome": "filed", "notified_on": "{d5}"}, "outcome", "请先登记公安机关签收移送书回执"),
    ("outcome", {"outcome": "arrested", "notified_on": "{d5}"}, "outcome", "不是合法选项"),
    ("reconsideration", {"requested_on": "{d1}"}, "requested_on", "不予立案后，方可提请复议"),
])
def test_a_refusal_names_its_field_in_chinese_and_keeps_nothing(client, world, transferred, what, body, field, reason):  # noqa: F811
    case, decision = transferred
    body = {k: v.format(d8=f"{day(-8):%Y-%m-%d}", d20=f"{day(-20):%Y-%m-%d}", d5=f"{day(-5):%Y-%m-%d}",
                        d1=f"{day(-1):%Y-%m-%d}") for k, v in body.items()}
    client_as(client, world, "commerce")
    r = client.post(url(decision, what), body, content_type=J)
    assert r.status_code == 400, r.content
    assert any(reason in m for m in r.json()["errors"][field]), r.json()
    assert not TransferOutcome.objects.filter(decision=decision).exists()
    assert not Event.objects.filter(object_id=case.pk, verb__startswith="case.transfer_").exists()


@pytest.mark.django_db
def test_only_the_handler_writes_and_only_government_users_find_the_transfer(client, world, transferred):  # noqa: F811
    _case, decision = transferred
    body = {"receiving_organ": POLICE, "received_on": f"{day(-8):%Y-%m-%d}"}
    for what in ("receipt", "outcome", "reconsideration"):
        check_matrix(client, world, url(decision, what), {
            "anon": (401, 403), "enterprise": 404, "enterprise_other": 404, "other_region": 404, "agency": 404,
            "housing": 404, "committee": 403, "emergency": 403, "township": 403},
            method="post", data=body, content_type=J)
    assert not TransferOutcome.objects.filter(decision=decision).exists()


@pytest.mark.django_db
def test_a_revoked_transfer_takes_no_answer(client, world, transferred):  # noqa: F811
    from enforcement import services

    _case, decision = transferred
    services.revoke_decision(world.user("commerce"), decision, reason="移送决定有误")
    client_as(client, world, "commerce")
    r = client.post(url(decision, "receipt"), {"receiving_organ": POLICE, "received_on": f"{day(-8):%Y-%m-%d}"},
                    content_type=J)
    assert r.status_code == 400 and "已撤销" in r.json()["errors"]["decision"][0]
