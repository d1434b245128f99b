"""Ids a form names that lie outside the user's scope are not found (404), as opening them would be —
not a 400 "invalid choice" (PRODUCT.md: out of scope is 404): the enterprise and the hazard of 立案,
the unit of a 约谈/通报. Blank or garbage stays a 400 naming the field; an id in scope that the rule
refuses stays a 400 with the reason."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation, Sector
from core.testing import check_matrix, client_as
from enforcement.models import Case, OversightNotice
from hazards import services as hz

from .helpers import major_hazard


def _general(world, actor, ent, sector):
    return hz.register_hazard(world.user(actor), enterprise=ent, sector=Sector.objects.get(code=sector),
                              description="灭火器过期", grade="general",
                              deadline=timezone.localdate() + datetime.timedelta(days=10))


def _open(world, **over):
    return {"enterprise": world.ent_commerce.pk, "title": "安全出口锁闭", **over}


def test_open_a_case_matrix_another_region_sector_and_enterprise_are_404(client, world):
    """The same POST (鑫隆商贸, 商贸, 河北区 光复道街道, with its hazard) by each persona: 商务局 and
    应急管理局 (综合监管) open it; 住建委 (another sector) and 河东区 (another region) cannot see the
    unit — 404, not the form's 400; enterprises (the unit itself, another enterprise), agencies and
    users without a unit 404; anonymous to the login."""
    h = major_hazard(world)
    check_matrix(client, world, "/enforcement/cases/new/", {
        "anon": "login", "commerce": 302, "emergency": 302, "housing": 404, "other_region": 404,
        "enterprise": 404, "enterprise_other": 404, "agency": 404, "nobody": 404,
    }, method="post", data=_open(world, hazard=h.pk))
    assert Case.objects.filter(title="安全出口锁闭").count() == 2


@pytest.mark.parametrize("what", ["construction", "other_region", "missing"])
def test_an_enterprise_out_of_scope_is_404(client, world, what):
    pk = {"construction": world.ent_construction.pk, "other_region": world.ent_other_region.pk, "missing": 99999999}[what]
    client_as(client, world, "commerce")
    assert client.post("/enforcement/cases/new/", _open(world, enterprise=pk)).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("what", ["construction", "other_region", "missing"])
def test_a_hazard_out_of_scope_is_404(client, world, what):
    """A hazard of another sector (住建委's 津建三公司), of another region (河东区), or none."""
    if what == "construction":
        pk = _general(world, "housing", world.ent_construction, "construction").pk
    elif what == "other_region":
        pk = _general(world, "other_region", world.ent_other_region, "hazchem").pk
    else:
        pk = 99999999
    client_as(client, world, "commerce")
    assert client.post("/enforcement/cases/new/", _open(world, hazard=pk)).status_code == 404
    assert not Case.objects.exists()


def test_in_scope_refusals_and_garbage_stay_400_with_the_field(client, world):
    """海河之星超市's hazard is in 商务局's scope but not of the chosen unit: the service's 400 (hazard);
    a unit id that is no id: the form's 400 (enterprise)."""
    other = _general(world, "commerce", world.ent_commerce2, "commerce")
    client_as(client, world, "commerce")
    r = client.post("/enforcement/cases/new/", _open(world, hazard=other.pk))
    assert r.status_code == 400 and 'data-field="hazard"' in r.content.decode() and "关联隐患不属于该单位" in r.content.decode()
    r = client.post("/enforcement/cases/new/", _open(world, enterprise="abc"))
    assert r.status_code == 400 and 'data-field="enterprise"' in r.content.decode()
    assert not Case.objects.exists()


def _notice(target):
    return {"notice-target": target.pk, "notice-kind": "interview", "notice-reason": "整治进度滞后", "notice-date": ""}


def test_notice_matrix_a_unit_out_of_scope_is_404(client, world):
    """约谈 望海楼街道 (河北区): the district's committee office and departments record it; 河东区 cannot
    see the unit — 404; enterprises, agencies, users without a unit 404 (the page is government's);
    anonymous to the login."""
    target = world.org("township1")
    check_matrix(client, world, "/enforcement/facts/notice/new/", {
        "anon": "login", "committee": 302, "other_region": 404, "enterprise": 404, "enterprise_other": 404,
        "agency": 404, "nobody": 404,
    }, method="post", data=_notice(target))
    assert OversightNotice.objects.filter(target=target).count() == 1


def test_notice_to_another_districts_unit_is_404_and_a_wrong_kind_in_scope_is_400(client, world):
    other_district = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).exclude(
        county_code=world.district.code).exclude(county_code="").first()
    assert other_district is not None
    client_as(client, world, "committee")
    assert client.post("/enforcement/facts/notice/new/", _notice(other_district)).status_code == 404
    r = client.post("/enforcement/facts/notice/new/", _notice(world.org("committee")))  # in scope, not a 街道/部门
    assert r.status_code == 400 and 'data-field="target"' in r.content.decode()
    assert not OversightNotice.objects.exists()
