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


# ---------------------------------------------------------------- a stored file that is gone

GONE = "文件已不存在"


def _gone(response, api=False) -> bool:
    """410 with the reason in Chinese (the error page, or the API's error body), not a 500."""
    if response.status_code != 410:
        return False
    if api:
        body = response.json()
        return body["code"] == "gone" and GONE in body["message"]
    return GONE in response.content.decode()


def test_a_served_file_missing_from_storage_is_410_with_the_reason(client, world, stored, settings):
    """The row is there, its file is not (deleted by hand, a media volume not mounted, a restore
    without its media): every download answers 410 and says so in Chinese, never a 500."""
    from django.apps import apps

    from core.files import SERVED

    for kind, (pk, owner) in stored.items():
        label, field, _scope = SERVED[kind]
        row = apps.get_model(label).objects.get(pk=pk)
        getattr(row, field).storage.delete(getattr(row, field).name)
        assert _gone(_fetch(client, world, owner, f"/files/{kind}/{pk}/")), kind
        # still scoped: out of scope is 404 before anything is opened
        assert _fetch(client, world, "other_region", f"/files/{kind}/{pk}/").status_code == 404, kind


def test_hazard_evidence_tip_file_and_job_result_missing_from_storage_are_410(client, world, settings, tmp_path):
    from core.models import SecurityLog
    from hazards.tests.conftest import PDF_BYTES, make_major
    from jobs import runner
    from jobs.models import Job
    from tips import services as tips
    from tips.models import TipAttachment

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = False
    hazard = make_major(world)
    client_as(client, world, "enterprise")
    client.post(f"/hazards/{hazard.pk}/attachments/", {"evidence": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    att = hazard.attachments.get()
    att.file.storage.delete(att.file.name)
    assert _gone(client.get(f"/hazards/{hazard.pk}/attachments/{att.pk}/"))
    assert _gone(client.get(f"/api/v1/hazards/{hazard.pk}/attachments/{att.pk}/download/"), api=True)

    ent = world.ent_commerce
    tip = tips.submit_tip(None, region=ent.region, sector=ent.sectors.first(), address="示范路1号", enterprise=ent,
                          content="仓库堆放货物堵塞疏散通道，安全出口上锁。")[0]
    photo = TipAttachment.objects.create(tip=tip, file=SimpleUploadedFile("a.png", b"x"), kind="photo",
                                         content_type="image/png", size=1)
    photo.file.storage.delete(photo.file.name)
    logged = SecurityLog.objects.filter(kind="download").count()
    assert _gone(_fetch(client, world, "commerce", f"/tips/{tip.pk}/files/{photo.pk}/"))
    assert SecurityLog.objects.filter(kind="download").count() == logged  # nothing was downloaded

    response = _fetch(client, world, "committee", "/hazards/export.xlsx?format=csv")
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    runner.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and client.get(f"/jobs/{job.pk}/result/").status_code == 200
    job.result.storage.delete(job.result.name)
    logged = SecurityLog.objects.filter(kind="download").count()
    page = client.get(f"/jobs/{job.pk}/result/")
    assert _gone(page) and "请重新提交该任务" in page.content.decode()
    api = client.get(f"/api/v1/jobs/{job.pk}/download/")
    assert _gone(api, api=True) and "请重新提交该任务" in api.json()["message"]
    assert SecurityLog.objects.filter(kind="download").count() == logged
    # someone else's job stays 404, whatever its file
    assert _fetch(client, world, "other_region", f"/jobs/{job.pk}/result/").status_code == 404
