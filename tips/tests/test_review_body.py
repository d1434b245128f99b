"""Who decides a reporter's 复查 (应急〔2023〕106号, RULES.md §1): another body than the one that
handled the tip — the next level (上一级) above the handling unit, as for the extension
(tips.routing.next_level_office). A unit that handled the tip, including a committee office that
handled it itself, is refused; the next level sees the tip, is told, and decides."""

import pytest

from accounts import services as acc
from accounts.models import Organisation
from core.models import Event, Notification
from core.services import NotPermitted
from tips import handling, services
from tips.models import Tip

pytestmark = pytest.mark.django_db


def _handled_and_fed_back(world, tip, officer):
    o = world.user(officer)
    services.accept(o, tip)
    services.start_verification(o, tip)
    return services.verify(o, tip, result="true", note="现场核查属实", feedback="经核查属实，已责令整改")


def test_the_committee_office_that_handled_the_tip_may_not_review_it(world, submit):
    """No department leads the tip's matter here: the district 安委办 takes it (reassigned to itself)
    and handles it. Its 复查 goes to the next level, 天津市安委办 — the district office is refused."""
    tip, _ = submit()
    committee = world.user("committee")
    tip = services.reassign(committee, tip, to_org=world.org("committee"), reason="无牵头部门，由区安委办办理")
    tip = _handled_and_fed_back(world, tip, "committee")
    tip = handling.request_review(tip, reason="整改不到位，申请复查")
    with pytest.raises(NotPermitted):
        handling.decide_review(committee, tip, result="维持原核查结论")
    assert Tip.objects.get(pk=tip.pk).review_decided_at is None
    assert tip.review_org == world.org("province_committee")
    tip = handling.decide_review(world.user("province"), tip, result="复查属实，责令重新核查")
    assert tip.review_decided_at is not None and tip.review_result == "复查属实，责令重新核查"
    decided = Event.objects.get(verb="tip.review_decided", object_id=tip.pk)
    assert decided.actor_org_id == world.org("province_committee").pk


def test_a_department_handled_tip_goes_to_the_next_level_not_the_same_levels_committee(world, submit):
    """河北区商务局 handled it: neither it nor the same level's 安委办 reviews; the next level is told."""
    tip, _ = submit()
    tip = _handled_and_fed_back(world, tip, "commerce")
    tip = handling.request_review(tip, reason="仍有货物堵塞")
    assert tip.review_org == world.org("province_committee")
    for who in ("commerce", "commerce_lead", "committee"):
        with pytest.raises(NotPermitted):
            handling.decide_review(world.user(who), tip, result="维持")
    told = set(Notification.objects.filter(kind="tip.review_requested", object_id=tip.pk)
               .values_list("recipient__membership__organisation_id", flat=True))
    assert told == {world.org("province_committee").pk}
    assert handling.decide_review(world.user("province"), tip, result="维持原核查结论").review_decided_at is not None


def test_a_superior_department_of_the_same_line_sees_and_decides_the_review_on_the_page(client, world, submit):
    """With 天津市商务局 on the platform it is the next level of 河北区商务局: it sees the tip under
    review (only that one) and decides on the page; the handling unit is offered no action."""
    from accounts.models import DepartmentType

    city_commerce = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name="天津市商务局",
                                            region=world.district.parent,
                                            department_type=DepartmentType.objects.get(code="commerce"))
    officer = acc.create_user(None, username="tj_shangwu", password=None, organisation=city_commerce, role="officer",
                              full_name="市商务局科员")
    other, _ = submit()
    tip, _ = submit()
    tip = _handled_and_fed_back(world, tip, "commerce")
    tip = handling.request_review(tip, reason="仍有货物堵塞")
    assert tip.review_org == city_commerce
    client.force_login(world.user("commerce"))
    assert 'data-testid="act-decide_review"' not in client.get(f"/tips/{tip.pk}/").content.decode()
    assert client.post(f"/tips/{tip.pk}/decide_review/", {"result": "维持"}).status_code == 400
    client.force_login(officer)
    assert client.get(f"/tips/{other.pk}/").status_code == 404
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert 'data-testid="act-decide_review"' in page and "复查单位：天津市商务局" in page
    assert client.post(f"/tips/{tip.pk}/decide_review/", {"result": "复查维持原结论"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).review_result == "复查维持原结论"


def test_the_next_levels_review_queue_lists_what_waits_for_it_until_decided(client, world, submit, next_level_leader):
    """The next level finds the 复查 requests waiting for it — a home card and the inbox filter
    待本单位复查 — and they leave the queue once decided; the handling unit has no such queue."""
    from tips import home

    waiting, _ = submit()
    waiting = handling.request_review(_handled_and_fed_back(world, waiting, "commerce"), reason="仍有货物堵塞")
    handled, _ = submit()
    handled = _handled_and_fed_back(world, handled, "commerce")  # fed back, no 复查 asked
    assert [c["value"] for c in home.cards(next_level_leader) if c["key"] == "tips_reviews"] == [1]
    client.force_login(next_level_leader)
    queue = client.get("/tips/?review=true").content.decode()
    assert waiting.number in queue and handled.number not in queue
    assert waiting.number not in client.get("/tips/?review=false").content.decode()
    assert client.get("/api/v1/tips/?review=true").json()["count"] == 1
    handling.decide_review(world.user("province"), waiting, result="复查维持原核查结论")
    assert waiting.number not in client.get("/tips/?review=true").content.decode()
    assert not any(c["key"] == "tips_reviews" for c in home.cards(next_level_leader))
    for who in ("commerce", "commerce_lead", "committee"):  # handled it, or the same level: nothing waits for them
        assert not any(c["key"] == "tips_reviews" for c in home.cards(world.user(who)))
