"""Scope: region × sector for departments, own enterprise for enterprise users, 404 outside."""

import pytest

from accounts.models import Organisation
from enterprises.models import Enterprise


def visible(world, persona):
    return set(Enterprise.objects.visible_to(world.user(persona)).values_list("name", flat=True))


def test_committee_office_sees_every_sector_of_its_district_only(world):
    names = visible(world, "committee")
    assert world.ent_commerce.name in names and world.ent_construction.name in names
    assert world.ent_other_region.name not in names
    assert len(names) == len(world.enterprises)


def test_province_committee_sees_every_district_below_it(world):
    names = visible(world, "province")
    assert world.ent_other_region.name in names and world.ent_commerce.name in names


def test_comprehensive_department_sees_all_sectors_of_its_district(world):
    names = visible(world, "emergency")
    assert len(names) == len(world.enterprises)
    assert world.ent_other_region.name not in names


def test_commerce_bureau_sees_only_commerce_enterprises(world):
    names = visible(world, "commerce")
    assert world.ent_commerce.name in names
    assert world.ent_construction.name not in names
    assert world.ent_hazchem.name not in names
    assert world.ent_other_region.name not in names
    for ent in Enterprise.objects.filter(name__in=names):
        assert "commerce" in set(ent.sectors.values_list("code", flat=True))


def test_sub_sector_competence_follows_the_parent_sector(world):
    from accounts import services
    from accounts.models import Sector

    services.set_competence(None, department=world.org("market"), sector=Sector.objects.get(code="industry_trade"))
    user = world.user("market")
    user._qingling_scope = None
    del user._qingling_scope
    names = visible(world, "market")
    assert "天津月牙河精密铸造有限公司" in names  # machinery + metallurgy, both under 工贸


def test_township_office_sees_its_township_only(world):
    names = visible(world, "township")
    township = world.townships[0]
    assert names == set(Enterprise.objects.filter(region=township).values_list("name", flat=True))
    assert world.ent_commerce2.name not in names


def test_enterprise_user_sees_only_its_own_enterprise(world):
    assert visible(world, "enterprise") == {world.ent_commerce.name}
    assert visible(world, "enterprise_other") == {world.ent_construction.name}


def test_agency_sees_only_engaged_enterprises(world):
    names = visible(world, "agency")
    assert names == {e.name for e in world.enterprises[10:13]}


def test_user_without_membership_sees_nothing(world):
    assert visible(world, "nobody") == set()


def test_other_district_department_sees_only_its_district(world):
    assert visible(world, "other_region") == {world.ent_other_region.name}


def test_organisations_scope(world):
    orgs = set(Organisation.objects.visible_to(world.user("other_region")).values_list("name", flat=True))
    assert "河北区应急管理局" not in orgs and "河东区应急管理局" in orgs


@pytest.mark.parametrize("persona", ["committee", "emergency", "commerce", "township"])
def test_scope_is_cached_per_user_object(world, django_assert_num_queries, persona):
    user = world.user(persona)
    Enterprise.objects.visible_to(user).count()
    with django_assert_num_queries(1):
        Enterprise.objects.visible_to(user).count()
