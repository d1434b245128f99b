"""责令停产停业整顿 names its legal basis, as the law words it.

* 行政处罚法 (2021) 第九条: 责令停产停业 is an administrative penalty; 第五十九条: the decision states the
  违法事实 and the 法律依据 (and, (五), how to seek 行政复议 or 行政诉讼).
* 安全生产法 (2021) — the clauses that order it (DOMAIN.md §5.1): art. 94 "逾期未改正的，处……，责令生产
  经营单位停产停业整顿"; arts. 97 and 101 "逾期未改正的，责令停产停业整顿，并处……"; art. 99 "……；情节
  严重的，责令停产停业整顿"; art. 102 "生产经营单位拒不执行的，责令停产停业整顿". The first sentences of
  arts. 97, 101, 102 ("责令限期改正，处……罚款") and arts. 95, 96, 114 (fines) do not.
* 行政处罚法 第三十三条: once the unit is not punished for the act (不予行政处罚), no penalty of it
  follows in the same case — nor a 不予处罚 after a penalty.
* 安全生产法 第六十五条第一款第（三）项: "重大事故隐患排除后，经审查同意，方可恢复生产经营和使用" — the
  basis of a 复产 decision.
"""

import datetime
import io
import re

import pytest
from django.utils import timezone
from docx import Document

from core import ruletables
from core.events import events_for
from core.immutable import maintenance
from core.models import RuleVersion
from core.services import ServiceError
from enforcement import rules, services
from enforcement.models import Decision, PenaltyArticle
from enterprises.models import Enterprise

from .helpers import article, entity, major_hazard, notified_case, order_to_correct

pytestmark = pytest.mark.django_db

#: the rows of the catalogue whose text orders 责令停产停业整顿 — read from the sentences quoted above,
#: not from enforcement.catalogue
ORDERS_SUSPENSION = {(94, "逾期"), (97, "(五)逾期"), (99, "(四)"), (101, "(四)逾期"), (101, "(五)逾期"), (102, "拒不执行")}


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _suspend(world, case, art, **kw):
    return services.order_suspension(world.user("commerce"), case, article=art, reason="重大事故隐患未消除，存在现实危险",
                                     **kw)


def _nothing_written(case):
    assert not case.decisions.filter(kind=Decision.Kind.SUSPENSION).exists()
    assert Enterprise.objects.get(pk=case.enterprise_id).status == Enterprise.Status.OPERATING
    assert not [e for e in events_for(case) if e.verb == "case.suspension"]


def test_the_clauses_that_order_a_suspension_are_flagged_and_no_other():
    flagged = set(PenaltyArticle.objects.filter(suspension=True).values_list("article", "item"))
    assert flagged == ORDERS_SUSPENSION


def test_every_version_of_every_clause_carries_the_flag_as_the_law_has_it_since_2021():
    """The flag is versioned with the clause (core.ruletables): version 1 of each row has it."""
    for row in PenaltyArticle.objects.all():
        v1 = RuleVersion.objects.get(table="penalty-articles", row_id=row.pk, version=1)
        assert v1.values["suspension"] == str((row.article, row.item) in ORDERS_SUSPENSION), row
        then = ruletables.in_force("penalty-articles", row, datetime.date(2021, 9, 1))
        assert then.suspension is ((row.article, row.item) in ORDERS_SUSPENSION)


def test_a_suspension_without_a_clause_is_refused_and_nothing_is_written(world):
    case = notified_case(world)
    with pytest.raises(ServiceError) as err:
        _suspend(world, case, None)
    assert err.value.field == "article" and "法律依据" in err.value.message and "第五十九条" in err.value.message
    _nothing_written(case)


@pytest.mark.parametrize("num,item", [(102, ""), (101, "(四)"), (97, "(五)"), (96, ""), (114, "(一)")])
def test_a_clause_that_does_not_order_a_suspension_is_refused(world, num, item):
    case = notified_case(world)
    with pytest.raises(ServiceError) as err:
        _suspend(world, case, article(num, item))
    assert err.value.field == "article"
    assert f"第{num}条{item}" in err.value.message and "未规定责令停产停业整顿" in err.value.message
    assert "第三十七条" not in err.value.message  # no version of it ever did: not a question of which law applies
    _nothing_written(case)


def test_a_serious_case_under_art_99_needs_no_earlier_order_and_the_clause_is_on_the_decision(world):
    case = notified_case(world)
    d = _suspend(world, case, article(99, "(四)"))
    assert (d.kind, d.article, d.party, d.act_on) == ("suspension", article(99, "(四)"), entity(case), case.opened_on)
    assert Enterprise.objects.get(pk=case.enterprise_id).status == Enterprise.Status.SUSPENDED
    ev = [e for e in events_for(case) if e.verb == "case.suspension"]
    assert len(ev) == 1 and ev[0].data["article"] == "《中华人民共和国安全生产法》第99条(四)"


def test_refusing_the_order_to_eliminate_presupposes_that_order(world):
    """Art. 102: "拒不执行的，责令停产停业整顿" — without the 责令消除 in the case there is nothing refused."""
    case = notified_case(world)
    with pytest.raises(ServiceError) as err:
        _suspend(world, case, article(102, "拒不执行"))
    assert err.value.field == "article" and "先行责令改正" in err.value.message
    _nothing_written(case)


@pytest.mark.parametrize("deadline,ok", [(0, False), (-1, True)])
def test_refusal_is_found_only_after_the_orders_deadline(world, deadline, ok):
    """Ordered on day -20 to eliminate the hazard by ``deadline``: on the deadline day the unit has not
    refused yet; from the day after it has, and that day is the act's."""
    case = notified_case(world)
    order_to_correct(world, case, 102, ordered=-20, deadline=deadline)
    if ok:
        d = _suspend(world, case, article(102, "拒不执行"))
        assert d.act_on == _day(deadline + 1)
    else:
        with pytest.raises(ServiceError, match="尚未届满"):
            _suspend(world, case, article(102, "拒不执行"))
        _nothing_written(case)


def test_overdue_under_art_101_presupposes_the_order_under_art_101(world):
    """Art. 101(五) "逾期未改正的，责令停产停业整顿": an order under art. 102 is not that order."""
    case = notified_case(world)
    order_to_correct(world, case, 102)
    with pytest.raises(ServiceError, match="责令限期改正"):
        _suspend(world, case, article(101, "(五)逾期"))
    order_to_correct(world, case, 101, "(五)")
    assert _suspend(world, case, article(101, "(五)逾期")).article == article(101, "(五)逾期")


def _filed(world, day):
    actor = world.user("commerce")
    case = services.open_case(actor, enterprise=world.ent_commerce, title="未采取措施消除事故隐患", opened_on=_day(day))
    services.advance(actor, case, "investigate")
    services.advance(actor, case, "notify")
    return case


def test_a_clause_that_no_longer_orders_a_suspension_is_not_applied(world):
    """行政处罚法 第三十七条: a (hypothetical) revision from today drops the suspension from art. 99 — an
    act of yesterday (the case filed yesterday) decided today gets the lighter law: no suspension."""
    ruletables.revise_row(world.user("committee"), ruletables.table("penalty-articles"), article(99, "(四)"),
                          {"suspension": False}, effective_from=_day(0), note="测试修订")
    case = _filed(world, -1)
    with pytest.raises(ServiceError) as err:
        _suspend(world, case, article(99, "(四)"))
    assert err.value.field == "article"
    assert "作出决定时" in err.value.message and "第三十七条" in err.value.message
    _nothing_written(case)


def test_a_clause_that_orders_a_suspension_only_from_today_does_not_reach_an_earlier_act(world):
    """A (hypothetical) revision from today makes art. 102's first sentence order a suspension: a case
    filed yesterday (the act no later) is not suspended under it; one filed today is."""
    ruletables.revise_row(world.user("committee"), ruletables.table("penalty-articles"), article(102),
                          {"suspension": True}, effective_from=_day(0), note="测试修订")
    earlier = _filed(world, -1)
    with pytest.raises(ServiceError) as err:
        _suspend(world, earlier, article(102))
    assert "违法行为发生时" in err.value.message
    _nothing_written(earlier)
    assert _suspend(world, notified_case(world, filed=0), article(102)).article == article(102)


def test_no_suspension_after_the_unit_is_not_punished_nor_the_other_way_round(world):
    case = notified_case(world)
    services.decide_no_penalty(world.user("commerce"), case, reason="违法行为轻微并及时改正，没有造成危害后果")
    with pytest.raises(ServiceError) as err:
        _suspend(world, case, article(99, "(四)"))
    assert err.value.field == "article" and "不予行政处罚" in err.value.message
    _nothing_written(case)

    case = notified_case(world, title="重大事故隐患未消除")  # the unit still operates: a second case
    _suspend(world, case, article(99, "(四)"))
    with pytest.raises(ServiceError) as err:
        services.decide_no_penalty(world.user("commerce"), case, reason="违法行为轻微")
    assert "责令停产停业整顿" in err.value.message
    assert not case.decisions.filter(kind=Decision.Kind.NO_PENALTY).exists()


def test_while_the_leniency_is_proposed_the_reason_is_also_why_it_is_not_taken(world):
    case = notified_case(world, hazard=major_hazard(world))
    assert rules.leniency_proposed(case)
    _suspend(world, case, article(99, "(四)"))
    ev = [e for e in events_for(case) if e.verb == "case.suspension"][0]
    assert ev.data["leniency_set_aside"] == "重大事故隐患未消除，存在现实危险"
    assert ev.note == "未采纳不予行政处罚建议的理由：重大事故隐患未消除，存在现实危险"


# ---------------------------------------------------------------- the page and the document

def _paragraphs(client, decision):
    r = client.get(f"/enforcement/decisions/{decision.pk}/document/")
    assert r.status_code == 200
    return [p.text for p in Document(io.BytesIO(r.content)).paragraphs]


def test_the_order_cites_the_clause_and_the_remedies(client, world):
    case = notified_case(world)
    order_to_correct(world, case, 102)
    d = _suspend(world, case, article(102, "拒不执行"), correction_deadline=_day(15))
    client.force_login(world.user("commerce"))
    text = "\n".join(_paragraphs(client, d))
    assert "依据《中华人民共和国安全生产法》第102条拒不执行（拒不执行消除事故隐患的责令）的规定，责令你单位" in text
    assert "六十日内申请行政复议" in text and "六个月内依法向人民法院提起行政诉讼" in text


def test_a_suspension_recorded_without_a_clause_keeps_its_document(client, world):
    """Before the clause was required a suspension named none: its document still renders."""
    case = notified_case(world)
    d = _suspend(world, case, article(99, "(四)"))
    with maintenance():  # as such a decision stands in the database
        Decision.objects.filter(pk=d.pk).update(article=None)
    client.force_login(world.user("commerce"))
    text = "\n".join(_paragraphs(client, Decision.objects.get(pk=d.pk)))
    assert "依据《中华人民共和国安全生产法》的规定，责令你单位" in text


def test_the_form_offers_the_clauses_that_order_it_starting_on_a_choice(client, world):
    case = notified_case(world)
    client.force_login(world.user("commerce"))
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    box = html[html.index('name="suspension-article"'):]
    box = box[:box.index("</select>")]
    assert '<option value="" selected>请选择</option>' in box
    offered = {int(v) for v in re.findall(r'<option value="(\d+)"', box)}
    assert offered == set(PenaltyArticle.objects.filter(suspension=True).values_list("pk", flat=True))

    r = client.post(f"/enforcement/cases/{case.pk}/suspension/", {"suspension-reason": "重大事故隐患未消除"})
    assert r.status_code == 400 and "请选择法律依据。" in r.content.decode()
    _nothing_written(case)
    r = client.post(f"/enforcement/cases/{case.pk}/suspension/", {
        "suspension-article": article(102).pk, "suspension-reason": "重大事故隐患未消除"})
    assert r.status_code == 400  # not a clause that orders it: not among the choices
    _nothing_written(case)


def test_the_case_page_shows_the_basis_of_the_suspension_and_of_the_resumption(client, world):
    case = notified_case(world)
    client.force_login(world.user("commerce"))
    r = client.post(f"/enforcement/cases/{case.pk}/suspension/", {
        "suspension-article": article(99, "(四)").pk, "suspension-reason": "重大事故隐患未消除"})
    assert r.status_code == 302
    s = case.decisions.get(kind=Decision.Kind.SUSPENSION)
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'<td data-testid="basis-{s.pk}">第99条(四)</td>' in html
    case = services.advance(world.user("commerce"), case, "decide")
    back = services.resume(world.user("commerce"), case, reason="复查合格")
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'<td data-testid="basis-{back.pk}">第65条第一款(三)</td>' in html
