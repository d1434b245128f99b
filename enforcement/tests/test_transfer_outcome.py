"""What the 公安机关 did with a 移送司法机关 decision, recorded on the case page and shown in the API.

The rules come from 《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号, 2020年修订): 第七条 — the
公安机关 signs the 回执 of the 移送书 (a case outside its jurisdiction it forwards to the organ that has
it, telling the transferring organ in writing); 第八条 — it notifies the transferring organ in writing
of 立案 or 不予立案; 第九条 — on a 不予立案 notice the transferring organ may within 3 days (from receiving
the notice) ask that 公安机关 to 复议. A request later than 3 days is recorded (it happened) and the case
page warns. Nothing of this is earlier than the transfer, later than today, or in an order the law
does not give (a notice before the 回执, a 复议 before the notice). Transfers are hidden from enterprise
users: so is all of this (page, timeline, actions, API).
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from core.events import Event
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as
from enforcement import services
from enforcement.models import Decision, TransferOutcome

from .helpers import article, entity, notified_case, principal

POLICE = "天津市公安局河北分局"


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def transferred(world):
    """商务局's case on 鑫隆商贸 at 告知: its principal transferred ten days ago for 危险作业罪."""
    handler = world.user("commerce")
    case = notified_case(world)
    decision = services.transfer(handler, case, party=principal(case), reason="关闭报警装置动火作业",
                                 dangerous_ops=True, decided_on=day(-10), transfer_to="天津市公安局河北分局")
    return case, decision


def events(case, verb):
    return list(Event.objects.filter(object_id=case.pk, verb=verb).order_by("pk"))


def url(case, action):
    return f"/enforcement/cases/{case.pk}/{action}/"


def post(client, case, action, **values):
    return client.post(url(case, action), {f"{action}-{k}": v for k, v in values.items()})


# ---------------------------------------------------------------- the happy paths, through the page

def test_receipt_then_filed_through_the_page_each_event_once_and_the_page_says_it(client, world, transferred):
    case, decision = transferred
    client.force_login(world.user("commerce"))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "尚未登记回执" in page
    assert 'data-testid="action-form-transfer_receipt"' in page
    # nothing to record an outcome of yet, nothing to ask 复议 of
    assert 'data-testid="action-form-transfer_outcome"' not in page
    assert 'data-testid="action-form-reconsideration"' not in page

    r = post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ=POLICE, received_on=day(-9))
    assert r.status_code == 302, r.content.decode()[:2000]
    again = post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ=POLICE, received_on=day(-9))
    assert again.status_code == 302
    [received] = events(case, "case.transfer_received")
    assert received.data == {"decision": decision.pk, "receiving_organ": POLICE, "received_on": day(-9).isoformat()}

    r = post(client, case, "transfer_outcome", decision=decision.pk, outcome="filed", notified_on=day(-7),
             note="津公河刑立字〔2024〕12号")
    assert r.status_code == 302, r.content.decode()[:2000]
    post(client, case, "transfer_outcome", decision=decision.pk, outcome="filed", notified_on=day(-7),
         note="津公河刑立字〔2024〕12号")
    [outcome] = events(case, "case.transfer_outcome")
    assert outcome.data == {"decision": decision.pk, "outcome": "filed", "notified_on": day(-7).isoformat()}

    row = TransferOutcome.objects.get(decision=decision)
    assert (row.receiving_organ, row.received_on, row.outcome, row.notified_on) == (POLICE, day(-9), "filed", day(-7))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    police = page[page.index(f'data-testid="transfer-police-{decision.pk}"'):]
    police = strip_tags(police[:police.index("</td>")])
    assert POLICE in police and f"{day(-9):%Y-%m-%d} 签收回执" in police
    assert f"{day(-7):%Y-%m-%d} 书面通知立案" in police and "津公河刑立字〔2024〕12号" in police
    assert 'data-testid="action-form-reconsideration"' not in page  # 立案: nothing to ask 复议 of


@pytest.mark.parametrize("notified, requested, late", [
    (-5, -3, False),  # two days after the notice
    (-5, -2, False),  # the third day: still within 第九条's 3 days
    (-5, -1, True),   # the fourth day: late, recorded, warned
])
def test_not_filed_then_reconsideration_warned_only_after_three_days(client, world, transferred, notified, requested, late):
    case, decision = transferred
    client.force_login(world.user("commerce"))
    assert post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ=POLICE,
                received_on=day(-8)).status_code == 302
    assert post(client, case, "transfer_outcome", decision=decision.pk, outcome="not_filed",
                notified_on=day(notified)).status_code == 302
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "书面通知不予立案" in page and 'data-testid="action-form-reconsideration"' in page
    r = post(client, case, "reconsideration", decision=decision.pk, requested_on=day(requested), result="")
    assert r.status_code == 302, r.content.decode()[:2000]
    assert TransferOutcome.objects.get(decision=decision).reconsideration_requested_on == day(requested)
    [ev] = events(case, "case.transfer_reconsideration")
    assert ev.data["requested_on"] == day(requested).isoformat() and ev.data["late"] is late
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f"{day(requested):%Y-%m-%d} 提请复议" in strip_tags(page)
    # the warning is the time limits' line of the 复议 (enforcement.transfer_clock): late, or asked in time
    assert ('data-step="reconsideration" data-state="late"' in page) is late
    assert ('data-step="reconsideration" data-state="met"' in page) is not late
    # the result, when it comes, is recorded with the same day: one more event; the same again, none
    services.request_reconsideration(world.user("commerce"), decision, requested_on=day(requested), result="维持不予立案")
    services.request_reconsideration(world.user("commerce"), decision, requested_on=day(requested), result="维持不予立案")
    assert len(events(case, "case.transfer_reconsideration")) == 2
    assert "复议结果：维持不予立案" in client.get(f"/enforcement/cases/{case.pk}/").content.decode()


def test_forwarded_is_an_outcome_too(world, transferred):
    case, decision = transferred
    handler = world.user("commerce")
    services.record_transfer_receipt(handler, decision, receiving_organ=POLICE, received_on=day(-9))
    row = services.record_transfer_outcome(handler, decision, outcome="forwarded", notified_on=day(-9),
                                           note="转送天津市公安局交通安全管理局")
    assert row.get_outcome_display() == "转送有管辖权的机关"
    with pytest.raises(ServiceError) as err:  # 复议 answers a 不予立案 only
        services.request_reconsideration(handler, decision, requested_on=day(-8))
    assert err.value.field == "requested_on"


def test_the_police_answer_is_recorded_after_the_case_is_closed(client, world, transferred):
    """The police answer on their own time; the closed case takes it (as it takes 撤销 and measures)."""
    case, decision = transferred
    handler = world.user("commerce")
    services.advance(handler, case, "decide")
    services.advance(handler, case, "close")
    client.force_login(handler)
    assert post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ=POLICE,
                received_on=day(-9)).status_code == 302
    assert post(client, case, "transfer_outcome", decision=decision.pk, outcome="not_filed",
                notified_on=day(-4)).status_code == 302
    assert post(client, case, "reconsideration", decision=decision.pk, requested_on=day(-3)).status_code == 302
    assert TransferOutcome.objects.get(decision=decision).reconsideration_requested_on == day(-3)


# ---------------------------------------------------------------- refusals, each with its field

def _received(world, decision, on=-8):
    return services.record_transfer_receipt(world.user("commerce"), decision, receiving_organ=POLICE, received_on=day(on))


def _not_filed(world, decision, on=-5):
    _received(world, decision)
    return services.record_transfer_outcome(world.user("commerce"), decision, outcome="not_filed", notified_on=day(on))


def _refused(call, field):
    with pytest.raises(ServiceError) as err:
        call()
    assert err.value.field == field, (err.value.field, err.value.message)
    assert err.value.message and not err.value.message.isascii()  # a Chinese reason
    return err.value.message


@pytest.mark.parametrize("organ, on, field", [
    ("局" * 101, -8, "receiving_organ"),  # blank is the transfer's own 公安机关 (test_transfer_to.py)
    (POLICE, 1, "received_on"),    # tomorrow
    (POLICE, -11, "received_on"),  # the day before the transfer
    (POLICE, None, "received_on"),
])
def test_a_receipt_is_refused(world, transferred, organ, on, field):
    _case, decision = transferred
    _refused(lambda: services.record_transfer_receipt(world.user("commerce"), decision, receiving_organ=organ,
                                                      received_on=None if on is None else day(on)), field)
    assert not TransferOutcome.objects.exists()


def test_a_receipt_on_the_day_of_the_transfer_is_taken(world, transferred):
    _case, decision = transferred
    assert _received(world, decision, on=-10).received_on == day(-10)


def test_an_outcome_is_refused_before_the_receipt_and_before_the_day_it_was_signed(world, transferred):
    case, decision = transferred
    handler = world.user("commerce")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-5)), "outcome")
    _received(world, decision, on=-8)
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-9)),
             "notified_on")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(1)),
             "notified_on")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-11)),
             "notified_on")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="dismissed", notified_on=day(-5)),
             "outcome")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=None),
             "notified_on")
    assert TransferOutcome.objects.get(decision=decision).outcome == ""
    assert events(case, "case.transfer_outcome") == []
    # the notice on the day the 回执 was signed is taken; the 回执 cannot then move after it
    services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-8))
    _refused(lambda: services.record_transfer_receipt(handler, decision, receiving_organ=POLICE, received_on=day(-7)),
             "received_on")


def test_reconsideration_only_after_not_filed_and_not_before_its_notice(world, transferred):
    _case, decision = transferred
    handler = world.user("commerce")
    ask = lambda on: lambda: services.request_reconsideration(handler, decision, requested_on=day(on))  # noqa: E731
    _refused(ask(-2), "requested_on")  # nothing recorded
    _received(world, decision)
    _refused(ask(-2), "requested_on")  # a 回执, no notice
    services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-5))
    _refused(ask(-2), "requested_on")  # 立案: nothing to ask 复议 of
    services.record_transfer_outcome(handler, decision, outcome="not_filed", notified_on=day(-5))
    _refused(ask(-6), "requested_on")  # before the notice
    _refused(ask(1), "requested_on")   # tomorrow
    assert TransferOutcome.objects.get(decision=decision).reconsideration_requested_on is None
    ask(-5)()  # the day of the notice
    # once 复议 is asked, the 不予立案 it answers stays, and its notice cannot move after the request
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-5)), "outcome")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="not_filed", notified_on=day(-4)),
             "notified_on")


def test_only_the_handler_records_it(world, transferred):
    _case, decision = transferred
    for who in ("emergency", "committee", "township", "housing", "enterprise"):
        with pytest.raises(NotPermitted):
            services.record_transfer_receipt(world.user(who), decision, receiving_organ=POLICE, received_on=day(-8))
    _received(world, decision)
    with pytest.raises(NotPermitted):
        services.record_transfer_outcome(world.user("emergency"), decision, outcome="filed", notified_on=day(-5))
    services.record_transfer_outcome(world.user("commerce"), decision, outcome="not_filed", notified_on=day(-5))
    with pytest.raises(NotPermitted):
        services.request_reconsideration(world.user("emergency"), decision, requested_on=day(-4))
    row = TransferOutcome.objects.get(decision=decision)
    assert (row.outcome, row.reconsideration_requested_on) == ("not_filed", None)


def test_a_revoked_transfer_or_another_decision_is_refused(world, transferred):
    case, decision = transferred
    handler = world.user("commerce")
    _not_filed(world, decision)
    fine = services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=30000)
    _refused(lambda: services.record_transfer_receipt(handler, fine, receiving_organ=POLICE, received_on=day(-1)),
             "decision")
    services.revoke_decision(handler, decision, reason="经审查不构成犯罪，撤回移送")
    decision.refresh_from_db()
    _refused(lambda: services.record_transfer_receipt(handler, decision, receiving_organ="另一公安机关",
                                                      received_on=day(-8)), "decision")
    _refused(lambda: services.record_transfer_outcome(handler, decision, outcome="filed", notified_on=day(-5)), "decision")
    _refused(lambda: services.request_reconsideration(handler, decision, requested_on=day(-4)), "decision")
    row = TransferOutcome.objects.get(decision=decision)
    assert (row.receiving_organ, row.outcome, row.reconsideration_requested_on) == (POLICE, "not_filed", None)


def test_the_page_shows_a_refusal_on_its_field_and_keeps_nothing(client, world, transferred):
    case, decision = transferred
    _received(world, decision, on=-8)
    client.force_login(world.user("commerce"))
    r = post(client, case, "transfer_outcome", decision=decision.pk, outcome="filed", notified_on=day(-9))
    html = r.content.decode()
    assert r.status_code == 400
    assert 'data-field="notified_on"' in html and "书面通知日期不能早于回执签收日期" in html
    assert TransferOutcome.objects.get(decision=decision).outcome == ""
    assert events(case, "case.transfer_outcome") == []
    # a revoked transfer is not offered: the form refuses it on the decision field
    services.revoke_decision(world.user("commerce"), decision, reason="撤回移送")
    r = post(client, case, "transfer_receipt", decision=decision.pk, receiving_organ="另一公安机关", received_on=day(-8))
    assert r.status_code == 400 and 'data-field="decision"' in r.content.decode()
    assert TransferOutcome.objects.get(decision=decision).receiving_organ == POLICE


# ---------------------------------------------------------------- who may record it

# 商务局's case on 鑫隆商贸 (商贸, 光复道街道). Another sector / region / township does not see the case
# (404); the enterprise sees its case but not its transfers (404); 综合监管 (应急局), the 安委办 and the
# township see the case and the transfer but only its handler acts (403, as for 登记当事人身份号码).
WHO = {
    "anon": "login",
    "housing": 404, "other_region": 404, "township_other": 404,
    "enterprise": 404, "enterprise_safety": 404, "enterprise_other": 404, "agency": 404, "nobody": 404,
    "emergency": 403, "committee": 403, "township": 403,
}


@pytest.mark.parametrize("action", ["transfer_receipt", "transfer_outcome", "reconsideration"])
def test_who_may_record_the_police_answer_on_the_page(client, world, transferred, action):
    case, decision = transferred
    data = {"transfer_receipt": dict(receiving_organ="另一公安机关", received_on=day(-7)),
            "transfer_outcome": dict(outcome="filed", notified_on=day(-4)),
            "reconsideration": dict(requested_on=day(-4), result="撤销不予立案决定")}[action]
    _not_filed(world, decision)
    before = list(TransferOutcome.objects.values())
    count = Event.objects.count()
    check_matrix(client, world, url(case, action), WHO, method="post",
                 data={f"{action}-{k}": v for k, v in {"decision": decision.pk, **data}.items()})
    assert list(TransferOutcome.objects.values()) == before and Event.objects.count() == count
    client_as(client, world, "commerce")  # the handler: the same POST is taken
    assert client.post(url(case, action), {f"{action}-{k}": v for k, v in {"decision": decision.pk, **data}.items()}
                       ).status_code == 302


def timeline_entries(client, case) -> int:
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    return html[html.index('data-testid="timeline"'):].count('data-testid="event-verb"')


def test_the_enterprise_never_sees_the_transfer_nor_the_police_answer(client, world, transferred):
    case, decision = transferred
    seen = {}
    for persona in ("enterprise", "commerce"):
        seen[persona] = timeline_entries(client_as(client, world, persona), case)
    handler = world.user("commerce")
    _received(world, decision)
    services.record_transfer_outcome(handler, decision, outcome="not_filed", notified_on=day(-5),
                                     note="津公河不立字〔2024〕3号")
    services.request_reconsideration(handler, decision, requested_on=day(-1), result="维持原决定")
    # the handler's timeline has the three records; the enterprise's has none of them
    assert timeline_entries(client_as(client, world, "commerce"), case) == seen["commerce"] + 3
    for persona in ("enterprise", "enterprise_safety"):
        client_as(client, world, persona)
        page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
        assert page.count(case.number) and POLICE not in page and "公安机关处理情况" not in page
        assert "复议" not in page and "不予立案" not in page and "维持原决定" not in page
        assert timeline_entries(client, case) == seen["enterprise"]
        assert client.get(f"/api/v1/decisions/{decision.pk}/").status_code == 404
        ids = [d["id"] for d in client.get("/api/v1/decisions/").json()["results"]]
        assert decision.pk not in ids


# ---------------------------------------------------------------- the API

FIELDS = ("transfer_receiving_organ", "transfer_received_on", "transfer_outcome", "transfer_notified_on",
          "transfer_outcome_note", "transfer_reconsideration_requested_on", "transfer_reconsideration_result")


@pytest.mark.parametrize("persona", ["commerce", "emergency", "committee", "township"])
def test_the_api_gives_government_users_the_police_answer(client, world, transferred, persona):
    case, decision = transferred
    client_as(client, world, persona)
    before = client.get(f"/api/v1/decisions/{decision.pk}/").json()
    assert {f: before[f] for f in FIELDS} == dict.fromkeys(FIELDS)  # nothing recorded yet: all null
    _not_filed(world, decision, on=-5)
    services.request_reconsideration(world.user("commerce"), decision, requested_on=day(-4), result="维持不予立案")
    got = client.get(f"/api/v1/decisions/{decision.pk}/").json()
    assert {f: got[f] for f in FIELDS} == {
        "transfer_receiving_organ": POLICE, "transfer_received_on": day(-8).isoformat(),
        "transfer_outcome": "not_filed", "transfer_notified_on": day(-5).isoformat(), "transfer_outcome_note": None,
        "transfer_reconsideration_requested_on": day(-4).isoformat(), "transfer_reconsideration_result": "维持不予立案",
    }
    listed = {d["id"]: d for d in client.get(f"/api/v1/decisions/?kind={Decision.Kind.TRANSFER}").json()["results"]}
    assert listed[decision.pk]["transfer_outcome"] == "not_filed"


def test_the_schema_documents_the_fields_read_only_and_nullable(client, world):
    import yaml

    client_as(client, world, "admin")
    schema = yaml.safe_load(client.get("/api/schema/").content)
    props = schema["components"]["schemas"]["Decision"]["properties"]
    for f in FIELDS:
        assert props[f].get("readOnly") and props[f].get("nullable"), (f, props[f])
        assert "未登记为 null" in props[f]["description"], f


def test_a_transfer_with_the_police_answer_cannot_be_deleted_out_from_under_it(world):
    """The police's answer is kept as long as its transfer (PROTECT, as every decision's own links):
    deleting the decision directly is refused, the answer stays."""
    from django.db.models import ProtectedError

    handler = world.user("commerce")
    case = notified_case(world)
    decision = services.transfer(handler, case, party=principal(case), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    services.record_transfer_receipt(handler, decision, receiving_organ="天津市公安局河北分局",
                                     received_on=timezone.localdate())
    with pytest.raises(ProtectedError):
        decision.delete()
    assert TransferOutcome.objects.filter(decision=decision).exists()
