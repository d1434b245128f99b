"""The accident and 举一反三 lists on the list layer: filters in the database (the overdue filter is
the model's queryset, the same rule as the detail page's "超期"), invalid values refused in Chinese."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accidents.models import Accident
from core.testing import client_as


def test_overdue_filter_matches_the_detail_rule_and_the_home_card(client, world, report):
    late, on_time, closed = report(), report(), report()
    today = timezone.localdate()
    Accident.objects.filter(pk=late.pk).update(investigation_due=today - datetime.timedelta(days=1))
    Accident.objects.filter(pk=on_time.pk).update(investigation_due=today + datetime.timedelta(days=10))
    # closed past its deadline: not an overdue investigation (Accident.investigation_overdue)
    Accident.objects.filter(pk=closed.pk).update(investigation_due=today - datetime.timedelta(days=5), status="closed")
    expected = {a.pk for a in Accident.objects.all() if a.investigation_overdue()}
    assert expected == {late.pk}
    client_as(client, world, "committee")
    overdue = client.get(reverse("accidents:list"), {"overdue": "true"})
    assert overdue.status_code == 200 and {a.pk for a in overdue.context["rows"]} == {late.pk}
    rest = client.get(reverse("accidents:list"), {"overdue": "false"})
    assert {a.pk for a in rest.context["rows"]} == {on_time.pk, closed.pk}
    from accidents.home import cards

    card = next(c for c in cards(world.user("committee")) if c["key"] == "accidents_overdue")
    assert card["value"] == 1 and card["url"] == "/accidents/?overdue=true"


def test_invalid_grade_is_refused_in_chinese(client, world, report):
    report()
    client_as(client, world, "committee")
    response = client.get(reverse("accidents:list"), {"grade": "huge"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()
    assert response.context["total"] == 0


def test_lesson_checks_are_for_government_staff_only(client, world):
    client_as(client, world, "enterprise")
    assert client.get(reverse("accidents:lessons")).status_code == 403
    client_as(client, world, "committee")
    assert client.get(reverse("accidents:lessons"), {"status": "nope"}).status_code == 400
