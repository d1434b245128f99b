"""The committee office edits department competence; nobody else may."""

from accounts.models import Competence, Sector
from core.models import Event
from core.testing import check_matrix
from enterprises.models import Enterprise


def test_committee_office_gives_the_commerce_bureau_a_new_sector(client, world):
    commerce = world.org("commerce")
    light = Sector.objects.get(code="light_industry")
    client.force_login(world.user("committee"))
    response = client.post(f"/accounts/organisations/{commerce.pk}/", {"sector": light.pk, "role": "assist"})
    assert response.status_code == 302
    assert Competence.objects.filter(department=commerce, sector=light, role="assist").exists()
    assert Event.objects.filter(verb="competence.set", to_state="assist").exists()
    # the new competence widens the bureau's scope at once (a fresh user object)
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="hb_shangwu")
    names = set(Enterprise.objects.visible_to(officer).values_list("name", flat=True))
    assert "天津市光复道食品有限公司" in names


def test_removing_a_competence(client, world):
    commerce = world.org("commerce")
    comp = commerce.competences.first()
    client.force_login(world.user("committee"))
    response = client.post(f"/accounts/organisations/{commerce.pk}/competences/{comp.pk}/remove/")
    assert response.status_code == 302
    assert not Competence.objects.filter(pk=comp.pk).exists()
    assert Event.objects.filter(verb="competence.removed").exists()


def test_bad_sector_is_a_400_naming_the_field(client, world):
    client.force_login(world.user("committee"))
    response = client.post(f"/accounts/organisations/{world.org('commerce').pk}/", {"sector": "99999", "role": "lead"})
    assert response.status_code == 400
    assert b'data-field="sector"' in response.content or "sector" in response.context["form"].errors


def test_only_the_committee_office_of_the_region_may_edit(client, world):
    url = f"/accounts/organisations/{world.org('commerce').pk}/"
    data = {"sector": Sector.objects.get(code="tourism").pk, "role": "lead"}
    check_matrix(client, world, url, {
        "committee": 302, "commerce": 403, "emergency": 403, "township": 404,
        "other_region": 404, "enterprise": 404, "anon": "login",
    }, method="post", data=data)
    comp = world.org("commerce").competences.first()
    check_matrix(client, world, f"{url}competences/{comp.pk}/remove/", {
        "commerce_lead": 403, "other_region": 404, "enterprise": 404, "anon": "login",
    }, method="post")
