"""The same ledger file imported twice would register every hazard twice. A committed import keeps
the SHA-256 of the file's bytes per importing scope (the importer's unit): a later dry run of
the same bytes there warns (此文件已于 <time> 由 <who> 导入, with the earlier record and job), a real
run is refused — on the page (400 on 仍要导入) and in the job — unless 仍要导入 is ticked; another
unit, or other bytes, are not affected. The hash, time and names expected here are computed by the
test itself (hashlib, the wall clock in Asia/Shanghai, the user's own name)."""

import datetime
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from core.testing import client_as
from hazards.importing import import_hazards
from hazards.models import Hazard, LedgerImport
from jobs.models import Job

from .test_import import good_rows, xlsx

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def _minute() -> str:
    return datetime.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M")


def _who(user) -> str:
    return f"{user.get_full_name() or user.get_username()}（{user.membership.organisation.name}）"


def _post(client, data: bytes, **flags):
    form = {"file": SimpleUploadedFile("台账.xlsx", data)} | {k: "on" for k, v in flags.items() if v}
    return client.post("/hazards/import/", form)


def _job(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def test_the_page_warns_on_the_dry_run_and_refuses_the_real_run_unless_confirmed(client, world):
    data = xlsx(good_rows(world))
    user = world.user("commerce")
    client_as(client, world, "commerce")
    before = _minute()
    first = _job(_post(client, data))
    after = _minute()
    assert first.status == Job.Status.DONE and first.summary["created"] == 5 and Hazard.objects.count() == 5

    dry = _job(_post(client, data, dry_run=True))
    assert dry.status == Job.Status.DONE
    assert any(f"此文件已于 {t} 由 {_who(user)} 导入" in dry.message for t in {before, after}), dry.message
    assert f"任务 #{first.pk}" in dry.message and "仍要导入" in dry.message
    assert dry.summary["duplicate_of"]["job"] == first.pk

    jobs = Job.objects.count()
    refused = _post(client, data)
    page = refused.content.decode()
    assert refused.status_code == 400 and 'data-field="confirm_duplicate"' in page
    assert "此文件已于" in page and f"任务 #{first.pk}" in page and "仍要导入" in page
    assert Job.objects.count() == jobs and Hazard.objects.count() == 5

    again = _job(_post(client, data, confirm_duplicate=True))
    assert again.status == Job.Status.DONE and again.summary["created"] == 5 and Hazard.objects.count() == 10


def test_the_import_itself_refuses_a_repeat_and_records_each_commit_with_its_event(world):
    data = xlsx(good_rows(world))
    sha256 = hashlib.sha256(data).hexdigest()
    user = world.user("commerce")
    assert import_hazards(user, data, dry_run=True)["duplicate_of"] is None
    assert not LedgerImport.objects.exists()  # a dry run records nothing
    first = import_hazards(user, data, dry_run=False, file_name="台账.xlsx")
    assert first["committed"] and first["duplicate_of"] is None
    record = LedgerImport.objects.get()
    assert (record.sha256, record.actor, record.rows, record.created) == (sha256, user, 5, 5)
    event = Event.objects.get(verb="hazards.ledger_imported", object_id=record.pk)
    assert event.data["sha256"] == sha256 and event.actor_id == user.pk

    dry = import_hazards(user, data, dry_run=True)
    assert dry["errors"] == [] and dry["duplicate_of"]["record"] == record.pk
    real = import_hazards(world.user("commerce_lead"), data, dry_run=False)  # a colleague of the same unit
    assert not real["committed"] and [e["column"] for e in real["errors"]] == ["文件"]
    assert "此文件已于" in real["errors"][0]["reason"] and _who(user) in real["errors"][0]["reason"]
    assert Hazard.objects.count() == 5 and LedgerImport.objects.count() == 1

    confirmed = import_hazards(user, data, dry_run=False, confirm_duplicate=True)
    assert confirmed["committed"] and Hazard.objects.count() == 10
    assert LedgerImport.objects.latest("id").repeated == record


def test_another_unit_or_other_bytes_are_not_duplicates_and_a_failed_run_records_nothing(world):
    data = xlsx(good_rows(world))
    assert import_hazards(world.user("commerce"), data, dry_run=False)["committed"]
    other_unit = import_hazards(world.user("emergency"), data, dry_run=True)
    assert other_unit["duplicate_of"] is None
    changed = xlsx(good_rows(world, 4))
    assert import_hazards(world.user("commerce"), changed, dry_run=True)["duplicate_of"] is None
    bad = xlsx([{"统一社会信用代码": "X" * 18, "隐患描述": "x", "隐患等级": "一般", "行业领域": "商贸服务和仓储物流"}])
    assert not import_hazards(world.user("commerce"), bad, dry_run=False)["committed"]
    assert import_hazards(world.user("commerce"), bad, dry_run=True)["duplicate_of"] is None
    assert LedgerImport.objects.count() == 1


def test_the_records_are_seen_through_visible_to(world):
    data = xlsx(good_rows(world))
    import_hazards(world.user("commerce"), data, dry_run=False)
    assert LedgerImport.objects.visible_to(world.user("commerce_lead")).count() == 1
    assert LedgerImport.objects.visible_to(world.user("emergency")).count() == 0


def test_a_queued_real_run_of_a_repeat_fails_to_import_and_says_why(world):
    from hazards.services import start_import

    data = xlsx(good_rows(world))
    user = world.user("commerce")
    first = start_import(user, SimpleUploadedFile("台账.xlsx", data), dry_run=False)
    first.refresh_from_db()
    assert first.status == Job.Status.DONE and Hazard.objects.count() == 5
    second = start_import(user, SimpleUploadedFile("台账（副本）.xlsx", data), dry_run=False)  # the page bypassed
    second.refresh_from_db()
    assert not second.summary.get("committed") and Hazard.objects.count() == 5
    assert "未写入任何数据" in second.message and "此文件已于" in second.message and f"任务 #{first.pk}" in second.message
    assert LedgerImport.objects.get().file_name == "台账.xlsx"


def test_of_two_runs_that_checked_before_either_committed_the_second_is_refused(world):
    """The colleague's run commits while ours validates (after our first check, before our
    transaction): ours must see it when it is about to write."""
    data = xlsx(good_rows(world))
    theirs = []

    def progress(done, total):
        if done and not theirs:  # rows validated: our first check is behind us
            theirs.append(import_hazards(world.user("commerce_lead"), data, dry_run=False))

    ours = import_hazards(world.user("commerce"), data, dry_run=False, progress=progress)
    assert theirs[0]["committed"]
    assert not ours["committed"] and "此文件已于" in ours["errors"][0]["reason"]
    assert Hazard.objects.count() == 5 and LedgerImport.objects.count() == 1
