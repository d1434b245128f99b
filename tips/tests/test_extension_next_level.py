"""Who approves the extension of a tip's handling period: "extendable by ≤ 30 days with the next
level's approval" (RULES.md §1, 2012 rules) — the next level (上一级) above the handling unit, never
the handling unit itself. Pages: the next level's queue and action; the handling unit's own leader
is refused (403, Chinese reason) and offered no action; another region's office sees nothing (404)."""

import pytest

from accounts import services as acc
from accounts.models import Organisation
from regions.models import Region
from tips import handling, home, services
from tips.models import Tip

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world, submit):
    tip, _ = submit()
    tip = services.accept(world.user("commerce"), tip)
    return handling.request_extension(world.user("commerce"), tip, extra_days=20, reason="需调取监控录像")


def test_the_next_level_sees_the_request_in_its_queue_and_approves_it(client, world, pending, next_level_leader):
    assert [c["value"] for c in home.cards(next_level_leader) if c["key"] == "tips_extensions"] == [1]
    client.force_login(next_level_leader)
    queue = client.get("/tips/?extension=true")
    assert queue.status_code == 200 and pending.number in queue.content.decode()
    page = client.get(f"/tips/{pending.pk}/").content.decode()
    assert 'data-testid="extension-pending"' in page and 'data-testid="act-decide_extension"' in page
    before = pending.handle_deadline
    assert client.post(f"/tips/{pending.pk}/decide_extension/", {"decision": "approve"}).status_code == 302
    tip = Tip.objects.get(pk=pending.pk)
    assert tip.extended_days == 20 and (tip.handle_deadline - before).days == 20
    assert pending.number not in client.get("/tips/?extension=true").content.decode()  # the queue is empty again


def test_the_handling_units_own_leader_may_not_approve(client, world, pending):
    client.force_login(world.user("commerce_lead"))
    page = client.get(f"/tips/{pending.pk}/").content.decode()
    assert 'data-testid="extension-pending"' in page and 'data-testid="act-decide_extension"' not in page
    assert not any(c["key"] == "tips_extensions" for c in home.cards(world.user("commerce_lead")))
    r = client.post(f"/tips/{pending.pk}/decide_extension/", {"decision": "approve"})
    assert r.status_code == 403 and "上一级" in r.content.decode()
    assert Tip.objects.get(pk=pending.pk).extended_days == 0


def test_an_officer_of_the_next_level_may_not_approve(client, world, pending):
    client.force_login(world.user("province"))  # 天津市安委办, officer (not a leader)
    assert client.post(f"/tips/{pending.pk}/decide_extension/", {"decision": "approve"}).status_code == 403
    assert Tip.objects.get(pk=pending.pk).extended_days == 0


def test_another_regions_next_level_office_sees_nothing(client, world, pending):
    office = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="北京市安全生产委员会办公室",
                                     region=Region.objects.get(code="11"))
    leader = acc.create_user(None, username="bj_anweiban_lead", password=None, organisation=office, role="leader",
                             full_name="北京市安委办主任")
    client.force_login(leader)
    assert client.get(f"/tips/{pending.pk}/").status_code == 404
    assert client.post(f"/tips/{pending.pk}/decide_extension/", {"decision": "approve"}).status_code == 404
    assert pending.number not in client.get("/tips/?extension=true").content.decode()
    assert Tip.objects.get(pk=pending.pk).extended_days == 0


def test_a_superior_department_of_the_same_line_approves_and_sees_only_its_requests(client, world, submit):
    """With 天津市商务局 on the platform, it is the next level of 河北区商务局: it sees the tip it was
    asked about (and no other tip), and its leader approves; 天津市安委办's leader is not the next level."""
    from accounts.models import DepartmentType

    city_commerce = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name="天津市商务局",
                                            region=world.district.parent,
                                            department_type=DepartmentType.objects.get(code="commerce"))
    leader = acc.create_user(None, username="tj_shangwu_lead", password=None, organisation=city_commerce, role="leader",
                             full_name="市商务局处长")
    other, _ = submit()
    tip, _ = submit()
    tip = services.accept(world.user("commerce"), tip)
    tip = handling.request_extension(world.user("commerce"), tip, extra_days=15, reason="需调取监控录像")
    assert tip.extension_approver == city_commerce
    client.force_login(leader)
    assert client.get(f"/tips/{other.pk}/").status_code == 404
    assert client.get(f"/tips/{tip.pk}/").status_code == 200
    province_lead = acc.create_user(None, username="tj_anweiban_lead2", password=None,
                                    organisation=world.org("province_committee"), role="leader", full_name="市安委办副主任")
    with pytest.raises(handling.NotPermitted):
        handling.decide_extension(province_lead, tip, approve=True)
    assert client.post(f"/tips/{tip.pk}/decide_extension/", {"decision": "approve"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).extended_days == 15
