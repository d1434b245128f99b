"""The recusal page: a department records inspectors' home townships and conflicts; draws honour them."""

from core.models import Event
from core.testing import check_matrix
from inspections import draw as draw_module
from inspections.models import Conflict, InspectorProfile


def test_department_records_home_township_and_conflict(client, world):
    client.force_login(world.user("emergency"))
    inspector = world.user("emergency2")
    township = world.townships[0]
    r = client.post("/inspections/recusal/", {"form": "home", "home-inspector": inspector.pk, "home-township": township.pk})
    assert r.status_code == 302
    assert InspectorProfile.objects.get(user=inspector).home_township == township
    r = client.post("/inspections/recusal/", {"form": "conflict", "conflict-inspector": inspector.pk,
                                              "conflict-enterprise": world.ent_hazchem.pk, "conflict-reason": "亲属任职"})
    assert r.status_code == 302
    assert Conflict.objects.filter(inspector=inspector, enterprise=world.ent_hazchem).exists()
    assert Event.objects.filter(verb="inspection.home_township_set", to_state=township.code).exists()
    page = client.get("/inspections/recusal/").content.decode()
    assert township.name in page and "亲属任职" in page


def test_bad_input_is_a_400_naming_the_field(client, world):
    client.force_login(world.user("emergency"))
    r = client.post("/inspections/recusal/", {"form": "conflict", "conflict-inspector": world.user("emergency2").pk,
                                              "conflict-enterprise": world.ent_other_region.pk, "conflict-reason": ""})
    assert r.status_code == 400
    errors = r.context["conflict_form"].errors
    assert "enterprise" in errors and "reason" in errors


def test_an_inspector_of_another_department_is_refused(client, world):
    client.force_login(world.user("commerce"))
    r = client.post("/inspections/recusal/", {"form": "home", "home-inspector": world.user("emergency2").pk,
                                              "home-township": world.townships[0].pk})
    assert r.status_code == 400  # not among the commerce bureau's inspectors: refused on the field


def test_permissions(client, world):
    check_matrix(client, world, "/inspections/recusal/", {
        "emergency": 200, "commerce": 200, "other_region": 200, "committee": 403, "township": 403,
        "enterprise": 403, "agency": 403, "nobody": 403, "anon": "login",
    })


def test_draw_never_sends_an_inspector_home(world):
    """A home township recorded on the page becomes a recusal pair, and the draw honours it."""
    from inspections import services

    inspector, other = world.user("emergency2"), world.user("emergency")
    home_ent, elsewhere = world.ent_commerce, world.ent_commerce2  # 光复道街道 vs 望海楼街道
    services.set_home_township(world.user("emergency"), inspector=inspector, township=home_ent.region)
    pairs = services.conflict_pairs([inspector.pk, other.pk], [home_ent.pk, elsewhere.pk])
    assert pairs == [[inspector.pk, home_ent.pk]]
    for seed in range(20):
        for a in draw_module.draw(seed, [home_ent.pk, elsewhere.pk], [inspector.pk, other.pk, 999], 2, 2, pairs):
            assert not (a["enterprise"] == home_ent.pk and inspector.pk in a["inspectors"])
        # 10 and 11 recused from enterprises 1 and 2 in a pure draw as well
        for a in draw_module.draw(seed, [1, 2, 3], [10, 11, 12], 3, 2, [[10, 1], [11, 2]]):
            assert not ({10} & set(a["inspectors"]) and a["enterprise"] == 1)
            assert not ({11} & set(a["inspectors"]) and a["enterprise"] == 2)
