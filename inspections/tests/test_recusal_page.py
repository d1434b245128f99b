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
    """The pure draw honours the home-township rule passed as conflicts (property tested elsewhere)."""
    result = draw_module.draw(7, [1, 2, 3], [10, 11, 12], 3, 2, [[10, 1], [11, 2]])
    for a in result:
        assert not ({10} & set(a["inspectors"]) and a["enterprise"] == 1)
        assert not ({11} & set(a["inspectors"]) and a["enterprise"] == 2)
