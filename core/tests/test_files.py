"""Every stored upload is viewable by the people entitled to it (scoped download), 404 for others."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.testing import client_as


def png(name="p.png"):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue())


def pdf(name="l.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n%%EOF\n")


def _fetch(client, world, persona, url):
    client_as(client, world, persona)
    return client.get(url)


@pytest.fixture
def stored(world):
    from campaigns import services as campaigns
    from hazards.tests.conftest import make_major
    from inspections import review
    from inspections import services as inspections
    from inspections.models import RecordItem
    from inspections.tests.factories import record
    from obligations import services as obligations

    rec = record(world)
    item = rec.items.first()
    inspections.set_item(world.user("emergency"), item, result=RecordItem.Result.CONFORM, photo=png())
    activity = campaigns.record_activity(world.user("committee"), unit=world.org("committee"), kind="study",
                                         date=datetime.date(2026, 1, 5), attachment=pdf())
    lst = obligations.add_responsibility_list(world.user("enterprise"), world.ent_commerce, kind="all_staff",
                                              title="全员安全生产责任清单", issued_on=datetime.date(2026, 1, 5), file=pdf())
    hazard = make_major(world)
    emergency = world.user("emergency")
    batch = review.import_batch(emergency, title="复查", hazard_ids=[hazard.pk], inspector=emergency)
    task = batch.tasks.get()
    review.conclude(emergency, task, conclusion="passed", note="已整改到位", photo=png())
    return {"inspection-photo": (item.pk, "emergency"), "activity-attachment": (activity.pk, "committee"),
            "responsibility-list": (lst.pk, "enterprise"), "review-photo": (task.pk, "emergency")}


def test_each_kind_is_served_in_scope_and_404_outside(client, world, stored):
    for kind, (pk, owner) in stored.items():
        url = f"/files/{kind}/{pk}/"
        r = _fetch(client, world, owner, url)
        assert r.status_code == 200, (kind, r.status_code)
        body = b"".join(r.streaming_content)
        assert body.startswith((b"\x89PNG", b"%PDF")), kind
        assert _fetch(client, world, "other_region", url).status_code == 404, kind
        assert _fetch(client, world, "enterprise_other", url).status_code == 404, kind
        client.logout()
        assert client.get(url).status_code == 302, kind


def test_unknown_kind_and_missing_file(client, world):
    client_as(client, world, "committee")
    assert client.get("/files/passwords/1/").status_code == 404
    assert client.get("/files/inspection-photo/999999/").status_code == 404
