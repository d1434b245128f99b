"""A number beyond the database column is refused on its field, never a 500: the 人数（技术检查员） of an
activity is an integer column (PostgreSQL refused 99999999999 with a DataError — a 500 — where
SQLite stores any size). Page and service; nothing is kept. Run on PostgreSQL too."""

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.models import Activity
from core.services import ServiceError
from core.testing import client_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["inspectors", "study"])
def test_the_activity_page_refuses_a_huge_count_on_its_field(client, world, kind):
    client_as(client, world, "commerce")
    for value in ("99999999999", str(2**31), str(10**20), "1" * 30, str(Activity.MAX_COUNT + 1)):
        r = client.post("/campaigns/activities/", {"kind": kind, "date": timezone.localdate().isoformat(),
                                                   "count": value})
        assert r.status_code == 400 and "count" in r.context["add_form"].errors, (value, r.status_code)
    assert not Activity.objects.exists()


@pytest.mark.parametrize("kind", ["inspectors", "study"])
def test_the_service_refuses_a_count_out_of_bounds_and_keeps_one_at_it(world, kind):
    for value in (Activity.MAX_COUNT + 1, 10**20, -1):
        with pytest.raises(ServiceError) as exc:
            services.record_activity(world.user("commerce"), unit=world.org("commerce"), kind=kind,
                                     date=timezone.localdate(), count=value)
        assert exc.value.field == "count" and f"0到{Activity.MAX_COUNT}" in exc.value.message
    assert not Activity.objects.exists()
    act = services.record_activity(world.user("commerce"), unit=world.org("commerce"), kind=kind,
                                   date=timezone.localdate(), count=Activity.MAX_COUNT)
    act.refresh_from_db()
    assert act.count == Activity.MAX_COUNT


def test_the_form_bounds_the_count_itself():
    from campaigns.forms import ActivityForm

    assert "count" in ActivityForm({"count": str(Activity.MAX_COUNT + 1)}).errors
