"""Jobs are written by jobs.services and the worker, each step with its event: the Django admin
shows them and never adds, changes or deletes one."""

import pytest

from core.models import Event
from core.testing import client_as
from jobs import services
from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.QINGLING_JOBS_INLINE = False


def test_the_admin_shows_a_job_and_never_writes_one(client, world):
    job = services.submit(world.user("commerce"), "tallies.reconcile", "核对统计")
    client_as(client, world, "admin")
    assert client.get(f"/admin/jobs/job/{job.pk}/change/").status_code == 200
    assert client.get("/admin/jobs/job/add/").status_code == 403
    assert client.post("/admin/jobs/job/add/", {}).status_code == 403
    assert client.post(f"/admin/jobs/job/{job.pk}/change/", {}).status_code == 403
    assert client.post(f"/admin/jobs/job/{job.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(Job.objects.values_list("pk", flat=True)) == [job.pk]
    assert list(Event.objects.filter(object_type="jobs.job").values_list("verb", flat=True)) == ["job.submitted"]


def test_the_admin_names_the_two_starts_as_the_pages_do(client, world):
    """The job pages call the first start 开始时间 and a later share's start 本次开始; the admin's change
    page labels the two fields the same way (it said 开始时间 for the latest share before)."""
    job = services.submit(world.user("commerce"), "tallies.reconcile", "核对统计")
    client_as(client, world, "admin")
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "<label>本次开始时间:</label>" in page and "<label>开始时间:</label>" in page
    assert "首次开始时间" not in page
