"""Import jobs are created by a service (with an event in the same transaction) and listed on the
list layer; the import page shows the latest few with the total and links to all of them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Event
from enterprises.models import ImportJob

from .test_import import row, xlsx


def test_upload_creates_the_job_through_the_service_with_its_event(client, world):
    client.force_login(world.user("emergency"))
    data = xlsx([row(world, 1)])
    response = client.post("/enterprises/import/", {"file": SimpleUploadedFile("e.xlsx", data), "dry_run": "on"})
    assert response.status_code == 302
    job = ImportJob.objects.latest("id")
    started = Event.objects.filter(verb="enterprise.import_started", object_type="enterprises.importjob",
                                   object_id=job.pk)
    assert started.count() == 1 and started.get().data["dry_run"] is True
    client.post(f"/enterprises/import/{job.pk}/run/")
    real = ImportJob.objects.latest("id")
    assert real.parent_id == job.pk and Event.objects.filter(verb="enterprise.import_started", object_id=real.pk).exists()


def test_import_page_shows_the_latest_five_with_the_total_and_the_list_pages(client, world):
    user = world.user("emergency")
    for i in range(7):
        ImportJob.objects.create(created_by=user, file="imports/x.xlsx", file_name=f"f{i}.xlsx")
    ImportJob.objects.create(created_by=world.user("committee"), file="imports/y.xlsx", file_name="other.xlsx")
    client.force_login(user)
    page = client.get("/enterprises/import/")
    assert len(page.context["jobs"]) == 5 and page.context["jobs_total"] == 7
    assert "共 7 条" in page.content.decode() and reverse("enterprises:import_jobs") in page.content.decode()
    # the page says what a real run does with a bad row (docs/import-formats.md: why not all-or-nothing here)
    assert "正式导入时无错误的行写入，有错误的行跳过并逐行列出原因" in page.content.decode()
    full = client.get(reverse("enterprises:import_jobs"))
    assert full.context["total"] == 7 and "other.xlsx" not in full.content.decode()
    assert client.get(reverse("enterprises:import_jobs"), {"dry_run": "maybe"}).status_code == 400
