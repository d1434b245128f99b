"""一案双罚 after an accident (seed 000 三(三)2(1)② "对企业和企业主要负责人实行“一案双罚”"): the unit
under 安全生产法 art. 114 by the accident grade, its principal under art. 95 — "上一年年收入" 40 % /
60 % / 80 % / 100 % for 一般 / 较大 / 重大 / 特别重大 (DOMAIN.md §5.1) — and other heads / safety
managers under art. 96's accident part, 20–50 % of that income. Expected amounts are hand counts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Sector
from core.services import ServiceError
from enforcement import dispatch, services
from enforcement.models import Decision, PenaltyArticle

from .helpers import article, entity, notified_case, principal


def _case(world, **kw):
    return notified_case(world, title="发生一般生产安全事故", **kw)


def test_the_catalogue_has_the_principal_s_accident_fine_by_grade(db):
    """DOMAIN.md §5.1, art. 95: 40 / 60 / 80 / 100 % of last year's income, the principal only."""
    rows = {a.item: a for a in PenaltyArticle.objects.filter(article=95)}
    assert {item: (a.income_percent_min, a.income_percent_max, a.accident_grade, a.party_roles)
            for item, a in rows.items()} == {
        "(一)": (40, 40, "general", "principal"), "(二)": (60, 60, "larger", "principal"),
        "(三)": (80, 80, "major", "principal"), "(四)": (100, 100, "especially_major", "principal")}
    accident_96 = PenaltyArticle.objects.get(article=96, item="事故")
    assert (accident_96.income_percent_min, accident_96.income_percent_max) == (20, 50)
    assert accident_96.roles() == {"other_head", "safety_manager"}


def test_unit_under_114_and_principal_under_95_is_one_double_penalty_of_40_percent(world):
    """一般事故: the unit 30万 (art. 114(一), 30–100万); the principal 40 % of 100,000 = 40,000 (art. 95(一)),
    the amount following from the income. Dispatch: 3.3 = 2 decisions, 34.0000 万元; 3.4 = 1."""
    handler = world.user("commerce")
    case = _case(world)
    services.decide_penalty(handler, case, party=entity(case), article=article(114, "(一)"), amount=300000)
    d = services.decide_penalty(handler, case, party=principal(case), article=article(95, "(一)"), amount=None,
                                income=100000)
    assert (d.amount, d.income) == (Decimal("40000.00"), Decimal("100000.00"))
    assert services.is_double_penalty(case)
    today = timezone.localdate()
    rows = dispatch.unit_rows(world.org("commerce"), today - datetime.timedelta(days=1), today)
    assert (rows["3.3"], rows["3.3_amount"], rows["3.4"]) == (2, Decimal("34.0000"), 1)


def test_the_share_is_the_law_s_and_the_income_is_required(world):
    handler = world.user("commerce")
    case = _case(world)
    with pytest.raises(ServiceError) as exc:  # no income: nothing to take the share of
        services.decide_penalty(handler, case, party=principal(case), article=article(95, "(一)"), amount=40000)
    assert exc.value.field == "income"
    with pytest.raises(ServiceError, match="40%") as exc:  # 50,000 is not 40 % of 100,000
        services.decide_penalty(handler, case, party=principal(case), article=article(95, "(一)"), amount=50000,
                                income=100000)
    assert exc.value.field == "amount"
    with pytest.raises(ServiceError) as exc:  # the principal only
        services.decide_penalty(handler, case, party=entity(case), article=article(95, "(一)"), amount=40000,
                                income=100000)
    assert exc.value.field == "article"
    d = services.decide_penalty(handler, case, party=principal(case), article=article(95, "(二)"), amount="60000",
                                income="100000")  # 较大: 60 % (no accident linked: the clause names the grade)
    assert d.amount == Decimal("60000.00")
    assert not Decision.objects.filter(article__item="(一)", article__article=95).exists()


def test_other_heads_and_safety_managers_are_fined_20_to_50_percent_after_an_accident(world):
    """Art. 96 (accident): 20–50 % of 100,000 = 20,000–50,000; the officer fixes the amount in it."""
    handler = world.user("commerce")
    case = _case(world, parties=[("safety_manager", "张安全")])
    manager = case.parties.get(role="safety_manager")
    art = article(96, "事故")
    for amount in (None, Decimal("19999"), Decimal("50001")):  # none (a range, not a share), below, above
        with pytest.raises(ServiceError) as exc:
            services.decide_penalty(handler, case, party=manager, article=art, amount=amount, income=100000)
        assert exc.value.field == "amount"
    with pytest.raises(ServiceError):
        services.decide_penalty(handler, case, party=principal(case), article=art, amount=30000, income=100000)
    assert services.decide_penalty(handler, case, party=manager, article=art, amount=30000,
                                   income=100000).amount == Decimal("30000.00")


def _linked_general_accident(world, case):
    """A 一般事故 (one serious injury) of the case's enterprise, its investigation report submitted,
    the principal's penalty linked to the case (accidents.Responsibility.case)."""
    from accidents import services as acs

    ent = world.ent_commerce
    occurred = timezone.now() - datetime.timedelta(hours=3)
    a = acs.report_accident(world.user("enterprise"), region=ent.region, place="仓库二层", enterprise=ent,
                            sector=Sector.objects.get(code="commerce"), accident_type="object_strike",
                            occurred_at=occurred, learned_at=occurred + datetime.timedelta(minutes=10),
                            reported_at=occurred + datetime.timedelta(minutes=30), injuries=1,
                            summary="仓库货架倒塌，砸伤作业人员。")
    assert a.grade == "general"
    acs.start_investigation(world.user("committee"), a, leader_name="张组长", members="应急局、公安分局、总工会")
    acs.submit_report(world.user("committee"), a, cause="违章作业", nature="责任事故", technical_chapter="货架超载",
                      management_chapter="安全培训缺失")
    acs.add_responsibility(world.user("committee"), a, kind="person_penalty", subject="主要负责人",
                           measure="处上一年年收入百分之四十的罚款", case=case)
    return a


def test_a_linked_accident_gives_the_grade(world):
    """The case is linked to a 一般事故: 95(二) (较大) and 114(二) do not apply; 95(一) does."""
    handler = world.user("commerce")
    case = _case(world)
    _linked_general_accident(world, case)
    for party, art, amount in ((principal(case), article(95, "(二)"), 60000),
                               (entity(case), article(114, "(二)"), 1000000)):
        with pytest.raises(ServiceError, match="一般事故") as exc:
            services.decide_penalty(handler, case, party=party, article=art, amount=amount, income=100000)
        assert exc.value.field == "article"
    d = services.decide_penalty(handler, case, party=principal(case), article=article(95, "(一)"), amount=None,
                                income=100000)
    assert d.amount == Decimal("40000.00")


def test_the_case_page_takes_the_income_and_shows_it(client, world):
    case = _case(world)
    client.force_login(world.user("commerce"))
    r = client.post(f"/enforcement/cases/{case.pk}/penalty/", {
        "penalty-party": principal(case).pk, "penalty-article": article(95, "(一)").pk, "penalty-amount": "",
        "penalty-income": "100000"})
    assert r.status_code == 302, r.content.decode()[:800]
    assert case.decisions.get().amount == Decimal("40000.00")
    assert "上一年年收入100000" in client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    r = client.post(f"/enforcement/cases/{case.pk}/penalty/", {
        "penalty-party": principal(case).pk, "penalty-article": article(95, "(三)").pk, "penalty-amount": ""})
    assert r.status_code == 400 and 'data-field="income"' in r.content.decode()


def test_the_api_takes_the_income(client, world):
    case = _case(world)
    client.force_login(world.user("commerce"))
    r = client.post(f"/api/v1/cases/{case.pk}/penalties/", {"party": principal(case).pk,
                                                            "article": article(95, "(一)").pk, "income": "100000"},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    assert (r.json()["amount"], r.json()["income"]) == ("40000.00", "100000.00")
