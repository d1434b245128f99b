import pytest

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(world):
    from accidents import demo
    from accidents.models import Accident, LessonCheck

    demo.load(world.ctx)
    demo.load(world.ctx)
    assert Accident.objects.count() == 3
    assert set(Accident.objects.values_list("status", flat=True)) == {"closed", "investigating", "reported"}
    assert Accident.objects.filter(late_report=True).count() == 1
    assert LessonCheck.objects.count() == 1


def test_home_cards(client, world):
    from accidents import demo
    from core.testing import client_as

    demo.load(world.ctx)
    client_as(client, world, "committee")
    assert "在查事故" in client.get("/").content.decode()
