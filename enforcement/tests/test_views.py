"""Pages, documents and API behaviour beyond the matrix."""

import datetime

from django.utils import timezone
from django.utils.html import strip_tags

from core.models import Event
from core.testing import check_matrix
from documents.render import docx_text
from enforcement import services
from enforcement.models import CreditListing

from .helpers import (
    article,
    entity,
    major_hazard,
    notified_case,
    order_to_correct,
    penalised,
    principal,
    suspension_article,
)


def test_penalty_out_of_range_is_a_form_error(client, world):
    case = notified_case(world)
    order_to_correct(world, case, 101, "(五)")
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
    why = "现场核查整改措施未落实，不适用不予处罚"  # the proposal stands: a fine on the unit says why not
    # the unit ordered to eliminate the hazard at once (the case was filed today) and fined under art. 102
    order_to_correct(world, case, 102, ordered=0, deadline=None, reason=why)
    # the principal under 102's 一案双罚 clause is fined for the unit's same act: the same reason is asked
    services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(102, "拒不执行"),
                            amount=50000, reason=why)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="double-penalty"' in page
    assert client.get("/enforcement/?stage=notified&q=安全出口").content.decode().count(case.number) == 1
    assert case.number not in client.get("/enforcement/?stage=closed").content.decode()


def test_enterprise_sees_own_decisions_read_only_without_transfers(client, world):
    case = notified_case(world)
    services.transfer(world.user("commerce"), case, party=principal(case), reason="危险作业", dangerous_ops=True, transfer_to="天津市公安局河北分局")
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
    order_to_correct(world, case, 101, "(五)")
    p = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(101, "(五)逾期"),
                                amount="123456")
    s = services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大事故隐患未消除")
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
    t = services.transfer(world.user("commerce"), case, party=principal(case), reason="x", transfer_to="天津市公安局河北分局")
    assert client.get(f"/enforcement/decisions/{t.pk}/document/").status_code == 404  # transfers hidden from the enterprise
    client.force_login(world.user("commerce"))
    assert "涉嫌犯罪案件移送书" in _download(client, t)  # the rest: test_transfer_document.py


def test_credit_page_actions(client, world):
    penalised(world)
    listing = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="多次处罚")
    client.force_login(world.user("commerce"))
    assert client.post(f"/enforcement/credit/{listing.pk}/confirm/").status_code == 403
    client.force_login(world.user("commerce_lead"))
    assert client.post(f"/enforcement/credit/{listing.pk}/confirm/").status_code == 302
    client.force_login(world.user("enterprise"))
    r = client.post(f"/enforcement/credit/{listing.pk}/apply/", {"statement": ""})
    assert r.status_code == 400 and 'data-field="statement"' in r.content.decode()
    r = client.post(f"/enforcement/credit/{listing.pk}/apply/", {"statement": "改" * 5001})  # core.text.TEXT_MAX
    assert r.status_code == 400 and "不能超过5000字（现为5001字）" in r.content.decode()
    assert not listing.repairs.exists()
    # the statement beside the button is cleaned as a form's text (a NUL was a 500 on PostgreSQL)
    assert client.post(f"/enforcement/credit/{listing.pk}/apply/", {"statement": " 已整改\x00\x0b完毕 "}).status_code == 302
    assert listing.repairs.get().statement == "已整改\n完毕"
    client.force_login(world.user("other_region"))
    assert client.post(f"/enforcement/credit/{listing.pk}/approve/").status_code == 404
    client.force_login(world.user("emergency_lead"))
    assert client.post(f"/enforcement/credit/{listing.pk}/approve/").status_code == 302
    listing.refresh_from_db()
    assert listing.status == "repaired"


def _listed(world, *, start, months=36):
    penalised(world)
    listing = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="多次处罚",
                                       start=start, duration_months=months)
    services.confirm_listing(world.user("commerce_lead"), listing)
    return listing


def test_the_credit_list_shows_each_listing_s_last_day_and_filters_by_term(client, world):
    """期满日期 is the stored last day; 期限=在期/已届满 splits at today (a listing whose last day is
    today is still in force); the enterprise's profile says until when it is listed."""
    today = timezone.localdate()
    running = _listed(world, start=today - datetime.timedelta(days=30))
    ended = _listed(world, start=today - datetime.timedelta(days=800), months=1)
    last_day = _listed(world, start=today, months=1)
    CreditListing.objects.filter(pk=last_day.pk).update(ends_on=today)
    client.force_login(world.user("commerce"))
    html = client.get("/enforcement/credit/").content.decode()
    assert "期满日期" in html
    ends = CreditListing.objects.get(pk=running.pk).ends_on
    assert f">{ends:%Y-%m-%d}" in _between(html, f'credit-ends-{running.pk}"', "</td>")
    assert "已届满" in _between(html, f'credit-ends-{ended.pk}"', "</td>")
    assert "已届满" not in _between(html, f'credit-ends-{last_day.pk}"', "</td>")

    def pks(term):
        r = client.get("/enforcement/credit/", {"term": term})
        assert r.status_code == 200
        return {row.pk for row in r.context["page_obj"]}

    assert pks("in_force") == {running.pk, last_day.pk}
    assert pks("ended") == {ended.pk}
    assert client.get("/enforcement/credit/", {"term": "bogus"}).status_code == 400
    client.force_login(world.user("enterprise"))
    profile = strip_tags(client.get(f"/enterprises/{world.ent_commerce.pk}/").content.decode())
    assert "严重失信主体" in profile and f"（至{ends:%Y-%m-%d}）" in profile


def _between(html, start, end):
    at = html.index(start)
    return html[at:html.index(end, at)]


def test_an_officer_moves_a_listing_out_of_the_list_once_its_term_has_ended(client, world):
    """期满移出 is offered to officers for listings past their last day only; before it the service
    refuses with the reason; afterwards the listing is expired, with its event."""
    today = timezone.localdate()
    running = _listed(world, start=today - datetime.timedelta(days=30))
    ended = _listed(world, start=today - datetime.timedelta(days=800), months=1)
    client.force_login(world.user("commerce"))
    html = client.get("/enforcement/credit/").content.decode()
    assert f'data-testid="expire-{ended.pk}"' in html and f'data-testid="expire-{running.pk}"' not in html
    r = client.post(f"/enforcement/credit/{running.pk}/expire/")
    assert r.status_code == 400 and "名单期限尚未届满" in r.content.decode()
    assert client.post(f"/enforcement/credit/{ended.pk}/expire/").status_code == 302
    assert CreditListing.objects.get(pk=ended.pk).status == "expired"
    assert Event.objects.filter(verb="credit.expired", object_id=ended.pk).count() == 1
    client.force_login(world.user("enterprise"))
    assert 'data-testid="expire-' not in client.get("/enforcement/credit/").content.decode()


def test_expiring_a_listing_is_open_to_its_region_s_officers_only(client, world):
    ended = _listed(world, start=timezone.localdate() - datetime.timedelta(days=800), months=1)
    url = f"/enforcement/credit/{ended.pk}/expire/"
    check_matrix(client, world, url, {"anon": "login", "enterprise": 403, "other_region": 404, "enterprise_other": 404,
                                      "agency": 404, "nobody": 404}, method="post")
    assert CreditListing.objects.get(pk=ended.pk).status == "listed"
    check_matrix(client, world, url, {"commerce": 302}, method="post")
    assert CreditListing.objects.get(pk=ended.pk).status == "expired"


def test_a_pending_repair_is_approved_or_denied_from_the_list(client, world):
    """准予修复 / 不予修复 appear only while a repair application waits, and then no second
    application form; a denial keeps the listing listed."""
    listing = _listed(world, start=timezone.localdate())
    client.force_login(world.user("emergency_lead"))
    html = client.get("/enforcement/credit/").content.decode()
    assert f'data-testid="deny-{listing.pk}"' not in html and 'name="statement"' in html
    client.force_login(world.user("enterprise"))
    assert client.post(f"/enforcement/credit/{listing.pk}/apply/", {"statement": "已整改"}).status_code == 302
    client.force_login(world.user("emergency_lead"))
    html = client.get("/enforcement/credit/").content.decode()
    assert f'data-testid="deny-{listing.pk}"' in html and f'data-testid="approve-{listing.pk}"' in html
    assert f'data-testid="repair-pending-{listing.pk}"' in html and 'name="statement"' not in html
    assert client.post(f"/enforcement/credit/{listing.pk}/deny/").status_code == 302
    listing.refresh_from_db()
    assert listing.status == "listed" and listing.repairs.get().status == "denied"
    assert f'data-testid="deny-{listing.pk}"' not in client.get("/enforcement/credit/").content.decode()
