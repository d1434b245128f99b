"""Ids in a page's query string or form are ASCII digits (``core.querysets.parse_id``): "²" is a
digit to ``str.isdigit`` and no number to ``int`` — these pages answered it with a ValueError, a
500 on every database."""

import pytest

from core.testing import client_as
from inspections import review, services

from .factories import record, with_finding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["enterprise=²", "draw=²", "enterprise=٣", "draw=99999999999999999999999"])
def test_the_new_record_page_ignores_or_refuses_an_id_in_other_digits(client, world, query):
    client_as(client, world, "emergency")
    r = client.get(f"/inspections/records/new/?{query}")
    assert r.status_code == (404 if query.startswith("draw=9") else 200)


def test_a_review_conclusion_naming_a_task_in_other_digits_is_not_found(client, world):
    rec = record(world)
    item = with_finding(world, rec)
    services.answer_remaining(world.user("emergency"), rec)
    services.sign(world.user("emergency"), rec)  # the finding becomes a hazard
    item.refresh_from_db()
    batch = review.import_batch(world.user("emergency"), title="复查", hazard_ids=[item.hazard_id],
                                inspector=world.user("emergency2"))
    client_as(client, world, "emergency2")
    r = client.post(f"/inspections/reviews/{batch.pk}/", {"task": "²", "conclusion": "passed", "note": "已整改"})
    assert r.status_code == 404
    assert list(batch.tasks.values_list("conclusion", flat=True)) == ["pending"]  # nothing concluded
