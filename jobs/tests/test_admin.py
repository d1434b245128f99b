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
