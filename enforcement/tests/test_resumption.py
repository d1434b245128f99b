"""复产复查: the decision names the 停产整顿 it lifts, follows it and the 销号 in time, has its document.

* 安全生产法 第六十五条第一款第（三）项: "重大事故隐患排除后，经审查同意，方可恢复生产经营和使用" — the
  review comes after the suspension it ends and after the hazard is eliminated (验收销号), and approves
  resuming;
* the suspension's own 指令书 says "整改完成后向本机关申请复查，经复查合格方可恢复生产经营": the review's
  answer is the 整改复查意见书, naming the order it answers;
* 撤销 of the review's approval leaves the order it lifted in force: the unit is suspended again.
"""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.utils import timezone
from docx import Document

from core.events import events_for
from core.immutable import maintenance
from core.services import ServiceError
from enforcement import services
from enforcement.models import Decision
from enterprises.models import Enterprise
from hazards import services as hz

from .helpers import major_hazard, notified_case, suspension_article

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _suspended_case(world, *, hazard=None, on=-5):
    case = notified_case(world, hazard=hazard, filed=-10)
    order = services.order_suspension(world.user("commerce"), case, article=suspension_article(),
                                      reason="重大事故隐患未消除", decided_on=_day(on))
    return services.advance(world.user("commerce"), case, "decide"), order


def _status(case):
    return Enterprise.objects.get(pk=case.enterprise_id).status


def test_a_resumption_names_the_suspension_it_lifts_and_carries_the_day_of_the_review(world):
    case, order = _suspended_case(world)
    back = services.resume(world.user("commerce"), case, reason="复查合格", decided_on=_day(-2))
    assert back.lifts == order and back.decided_on == _day(-2)
    assert _status(case) == Enterprise.Status.OPERATING
    assert services.suspension_in_force(case) is None
    event = [e for e in events_for(case) if e.verb == "case.resumption"][-1]
    assert event.data["lifts"] == order.pk


def test_a_review_dated_before_the_suspension_is_refused_and_nothing_is_written(world):
    case, order = _suspended_case(world, on=-5)
    with pytest.raises(ServiceError) as refused:
        services.resume(world.user("commerce"), case, reason="复查合格", decided_on=_day(-6))
    assert refused.value.field == "decided_on"
    assert f"不能早于责令停产停业整顿决定日期（{_day(-5):%Y-%m-%d}）" in refused.value.message
    assert not case.decisions.filter(kind=Decision.Kind.RESUMPTION).exists()
    assert _status(case) == Enterprise.Status.SUSPENDED
    assert not [e for e in events_for(case) if e.verb == "case.resumption"]
    # the same day as the order is a review that follows it
    assert services.resume(world.user("commerce"), case, reason="复查合格", decided_on=_day(-5)).lifts == order


def test_revoking_the_resumption_puts_the_suspension_back_in_force_and_a_new_review_lifts_it(world):
    case, order = _suspended_case(world)
    back = services.resume(world.user("commerce"), case, reason="复查合格")
    services.revoke_decision(world.user("commerce"), back, reason="复查时隐患仍未消除")
    assert _status(case) == Enterprise.Status.SUSPENDED
    assert services.suspension_in_force(case) == order
    revoked = [e for e in events_for(case) if e.verb == "case.revoked"][-1]
    assert revoked.data["suspension_restored"] is True
    again = services.resume(world.user("commerce"), case, reason="再次复查合格")
    assert again.lifts == order and _status(case) == Enterprise.Status.OPERATING


def test_revoking_a_resumption_whose_suspension_was_revoked_leaves_the_unit_operating(world):
    case, order = _suspended_case(world)
    back = services.resume(world.user("commerce"), case, reason="复查合格")
    services.revoke_decision(world.user("commerce"), order, reason="依据错误")
    services.revoke_decision(world.user("commerce"), back, reason="随之撤销")
    assert _status(case) == Enterprise.Status.OPERATING
    assert [e for e in events_for(case) if e.verb == "case.revoked"][-1].data["suspension_restored"] is False


def test_the_unit_operates_again_only_when_no_order_of_another_case_is_in_force(world):
    first, order = _suspended_case(world, on=-5)
    back = services.resume(world.user("commerce"), first, reason="复查合格", decided_on=_day(-4))
    second, other = _suspended_case(world, on=-3)
    services.revoke_decision(world.user("commerce"), back, reason="复查时隐患仍未消除")  # the first order in force again
    assert services.suspension_in_force(first) == order and _status(first) == Enterprise.Status.SUSPENDED
    services.resume(world.user("commerce"), second, reason="复查合格")
    assert _status(second) == Enterprise.Status.SUSPENDED  # the first case's order still stands
    assert [e for e in events_for(second) if e.verb == "case.resumption"][-1].data["still_suspended"] is True
    services.resume(world.user("commerce"), first, reason="再次复查合格")
    assert _status(first) == Enterprise.Status.OPERATING


def test_revoking_an_order_operates_the_unit_when_the_other_cases_order_was_lifted(world):
    first, _ = _suspended_case(world, on=-5)
    services.resume(world.user("commerce"), first, reason="复查合格", decided_on=_day(-4))
    second, other = _suspended_case(world, on=-3)
    services.revoke_decision(world.user("commerce"), other, reason="依据错误")
    assert _status(second) == Enterprise.Status.OPERATING


def _close(world, hazard):
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    return hz.accept(world.user("commerce"), hazard, opinion="合格")


def test_the_review_document_answers_the_order_after_the_hazard_was_closed(client, world):
    hazard = major_hazard(world)
    case, order = _suspended_case(world, hazard=hazard, on=0)
    _close(world, hazard)
    case.refresh_from_db()
    back = services.resume(world.user("commerce"), case, reason="隐患已消除，安全设施恢复正常")
    client.force_login(world.user("commerce"))
    r = client.get(f"/enforcement/decisions/{back.pk}/document/")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "整改复查意见书" in text
    assert f"于{order.decided_on:%Y年%m月%d日}以《责令停产停业整顿指令书》（{order.number}）责令你单位停产停业整顿" in text
    assert f"本案的重大事故隐患（{hazard.number}）已于{timezone.localdate():%Y年%m月%d日}验收销号" in text
    assert "复查意见：隐患已消除，安全设施恢复正常" in text
    assert "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，经审查，同意你单位恢复生产经营。" in text
    assert "违法事实" not in text  # a review's opinion, not a finding of facts


def test_the_case_page_takes_the_day_of_the_review_and_shows_what_it_lifted(client, world):
    case, order = _suspended_case(world, on=-5)
    client.force_login(world.user("commerce"))
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'name="resume-decided_on"' in html
    r = client.post(f"/enforcement/cases/{case.pk}/resume/", {"resume-reason": "复查合格",
                                                              "resume-decided_on": _day(-7).isoformat()})
    assert r.status_code == 400 and "不能早于责令停产停业整顿决定日期" in r.content.decode()
    assert not case.decisions.filter(kind=Decision.Kind.RESUMPTION).exists()
    r = client.post(f"/enforcement/cases/{case.pk}/resume/", {"resume-decided_on": _day(-1).isoformat()})
    assert r.status_code == 400 and "请填写复查意见。" in r.content.decode()
    r = client.post(f"/enforcement/cases/{case.pk}/resume/", {"resume-reason": "复查合格",
                                                              "resume-decided_on": _day(-1).isoformat()})
    assert r.status_code == 302
    back = case.decisions.get(kind=Decision.Kind.RESUMPTION)
    assert back.decided_on == _day(-1) and back.lifts == order
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'<span data-testid="lifts-{back.pk}">（解除{order.number}停产停业整顿）</span>' in html


def test_the_api_gives_the_suspension_a_resumption_lifts(client, world):
    case, order = _suspended_case(world)
    back = services.resume(world.user("commerce"), case, reason="复查合格")
    client.force_login(world.user("commerce"))
    assert client.get(f"/api/v1/decisions/{back.pk}/").json()["lifts"] == order.pk
    assert client.get(f"/api/v1/decisions/{order.pk}/").json()["lifts"] is None


def test_the_migration_links_a_resumption_recorded_before_the_link(world):
    case, order = _suspended_case(world)
    back = services.resume(world.user("commerce"), case, reason="复查合格")
    with maintenance():  # as such a decision stood in the database before 0013
        Decision.objects.filter(pk=back.pk).update(lifts=None)
    migration = importlib.import_module("enforcement.migrations.0013_decision_lifts")
    migration.link_resumptions(apps)
    assert Decision.objects.get(pk=back.pk).lifts_id == order.pk
