"""Pages, documents and API behaviour beyond the matrix."""

from documents.render import docx_text
from enforcement import services

from .helpers import article, entity, major_hazard, notified_case, principal


def test_penalty_out_of_range_is_a_form_error(client, world):
    case = notified_case(world)
    client.force_login(world.user("commerce"))
    r = client.post(f"/enforcement/cases/{case.pk}/penalty/", {
        "penalty-party": entity(case).pk, "penalty-article": article(101, "(五)逾期").pk, "penalty-amount": "5"})
    assert r.status_code == 400
    assert 'data-field="amount"' in r.content.decode() and "100,000元至200,000元" in r.content.decode()
    r = client.post(f"/enforcement/cases/{case.pk}/penalty/", {"penalty-amount": "x"})
    assert r.status_code == 400
    assert client.post(f"/enforcement/cases/{case.pk}/bogus/", {}).status_code == 404


def test_open_case_page_and_banners(client, world):
    client.force_login(world.user("commerce"))
    h = major_hazard(world)
    r = client.post("/enforcement/cases/new/", {"enterprise": world.ent_commerce.pk, "title": ""})
    assert r.status_code == 400 and 'data-field="title"' in r.content.decode()
    r = client.post("/enforcement/cases/new/", {"enterprise": world.ent_commerce.pk, "title": "安全出口锁闭", "hazard": h.pk})
    assert r.status_code == 302
    from enforcement.models import Case

    case = Case.objects.get(title="安全出口锁闭")
    assert case.origin == f"hazards.hazard:{h.pk}"
    services.advance(world.user("commerce"), case, "investigate")
    services.advance(world.user("commerce"), case, "notify")
    assert 'data-testid="leniency"' in client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    art = article(101, "(五)逾期")
    services.decide_penalty(world.user("commerce"), case, party=entity(case), article=art, amount=100000)
    services.decide_penalty(world.user("commerce"), case, party=principal(case), article=art, amount=20000)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="double-penalty"' in page
    assert client.get("/enforcement/?stage=notified&q=安全出口").content.decode().count(case.number) == 1
    assert case.number not in client.get("/enforcement/?stage=closed").content.decode()


def test_enterprise_sees_own_decisions_read_only_without_transfers(client, world):
    case = notified_case(world)
    services.transfer(world.user("commerce"), case, party=principal(case), reason="危险作业", dangerous_ops=True)
    services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000)
    client.force_login(world.user("enterprise"))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "行政处罚" in page and "移送司法机关" not in page and "办理" not in page
    kinds = {d["kind"] for d in client.get("/api/v1/decisions/").json()["results"]}
    assert kinds == {"penalty"}
    client.force_login(world.user("enterprise_other"))
    assert client.get("/api/v1/decisions/").json()["results"] == []


def test_api_penalty_400_names_amount(client, world):
    case = notified_case(world)
    client.force_login(world.user("commerce"))
    r = client.post(f"/api/v1/cases/{case.pk}/penalties/", {"party": principal(case).pk, "article": article(94).pk,
                                                             "amount": "60000"}, content_type="application/json")
    assert r.status_code == 400 and "20,000元至50,000元" in r.json()["errors"]["amount"][0]
    r = client.post(f"/api/v1/cases/{case.pk}/penalties/", {"party": 999999, "article": article(94).pk, "amount": "30000"},
                    content_type="application/json")
    assert r.status_code == 400 and "party" in r.json()["errors"]


def _download(client, decision):
    r = client.get(f"/enforcement/decisions/{decision.pk}/document/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    return docx_text(r.content)


def test_documents_contain_the_facts(client, world):
    case = notified_case(world)
    p = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(101, "(五)逾期"),
                                amount="123456")
    s = services.order_suspension(world.user("commerce"), case, reason="重大事故隐患未消除")
    lenient = notified_case(world, hazard=major_hazard(world))
    n = services.decide_no_penalty(world.user("commerce"), lenient)
    client.force_login(world.user("enterprise"))
    text = _download(client, p)
    assert "行政处罚决定书" in text and "123,456.00元" in text and "第101条(五)逾期" in text
    assert world.ent_commerce.name in text and world.ent_commerce.credit_code in text and p.number in text
    text = _download(client, s)
    assert "责令停产停业整顿指令书" in text and "重大事故隐患未消除" in text
    text = _download(client, n)
    assert "不予行政处罚决定书" in text and "行政处罚法" in text
    t = services.transfer(world.user("commerce"), case, party=principal(case), reason="x")
    client.force_login(world.user("commerce"))
    assert client.get(f"/enforcement/decisions/{t.pk}/document/").status_code == 404


def test_credit_page_actions(client, world):
    listing = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="多次处罚")
    client.force_login(world.user("commerce"))
    assert client.post(f"/enforcement/credit/{listing.pk}/confirm/").status_code == 403
    client.force_login(world.user("commerce_lead"))
    assert client.post(f"/enforcement/credit/{listing.pk}/confirm/").status_code == 302
    client.force_login(world.user("enterprise"))
    r = client.post(f"/enforcement/credit/{listing.pk}/apply/", {"statement": ""})
    assert r.status_code == 400 and 'data-field="statement"' in r.content.decode()
    assert client.post(f"/enforcement/credit/{listing.pk}/apply/", {"statement": "已整改"}).status_code == 302
    client.force_login(world.user("other_region"))
    assert client.post(f"/enforcement/credit/{listing.pk}/approve/").status_code == 404
    client.force_login(world.user("emergency_lead"))
    assert client.post(f"/enforcement/credit/{listing.pk}/approve/").status_code == 302
    listing.refresh_from_db()
    assert listing.status == "repaired"
