"""The real run of a ledger import on PostgreSQL streams: every row is checked first, then the
hazards are built and sent into one COPY as they are built (hazards.registering.register_stream),
their schedule, source and event rows made ready meanwhile and sent after them. It writes what the
unstreamed path writes (SQLite runs these tests through that path): one hazard.registered event
per hazard (and hazard.close_now for a row imported as 已销号), one source, a schedule for an open
hazard with a deadline, the tallies as a GROUP BY recount gives them. While the COPY holds the
connection nothing may query; should something want to, the file is written again unstreamed."""

import datetime
import logging

import pytest
from django.db import connection, transaction

from core.bulk import QueryDuringCopy, copy_rows
from core.models import Event
from hazards import tallies
from hazards.importing import import_hazards
from hazards.models import AlertSchedule, Hazard, HazardSource

from .test_import import good_rows, xlsx

pytestmark = pytest.mark.django_db

STREAM_FALLBACK = "written again without streaming"


def _check_written(world, result, n=5):
    assert result["committed"] and result["errors"] == [] and result["created"] == n
    hazards = list(Hazard.objects.order_by("pk"))
    assert len(hazards) == n
    for h in hazards:
        verbs = list(Event.objects.filter(object_type="hazards.hazard", object_id=h.pk).order_by("pk")
                     .values_list("verb", flat=True))
        assert verbs == (["hazard.registered", "hazard.close_now"] if h.status == "closed" else ["hazard.registered"])
        registered = Event.objects.get(object_type="hazards.hazard", object_id=h.pk, verb="hazard.registered")
        assert registered.created_at == h.first_reported_at and registered.actor_id == world.user("commerce").pk
        assert registered.data == {"grade": h.grade, "category": h.category, "channel": h.channel, "enterprise": h.enterprise_id,
                                   "sector": h.sector.code, "basis_item": h.basis_item_id}
        assert registered.object_repr == str(h)[:200]
        source = HazardSource.objects.get(hazard=h)
        assert source.reported_at == h.first_reported_at and source.channel == h.channel
        schedule = AlertSchedule.objects.filter(hazard_id=h.pk).values_list("next_alert_on", flat=True).first()
        expected = h.deadline - datetime.timedelta(days=7) if h.deadline and h.status != "closed" else None
        assert schedule == expected
    assert sorted(HazardSource.objects.values_list("reference", flat=True)) == [f"import:row{i}" for i in range(2, 2 + n)]
    assert Hazard.objects.filter(status="closed").count() == 1
    assert tallies.differences() == []


def test_a_real_run_writes_every_row_with_its_events_sources_schedule_and_tallies(world, caplog):
    caplog.set_level(logging.WARNING, logger="qingling.hazards")
    result = import_hazards(world.user("commerce"), xlsx(good_rows(world)), dry_run=False)
    _check_written(world, result)
    # rows without 发现渠道 (the default channel), a 重大 row, a 已销号 row: nothing needed a query mid-stream
    assert STREAM_FALLBACK not in caplog.text


@pytest.mark.postgres
def test_a_query_wanted_while_the_hazards_stream_writes_the_file_again_unstreamed(world, caplog, monkeypatch):
    from hazards import services
    from standards.models import Item

    real = services.make_checked
    asked = []

    def make_checked(actor, checked, cache):
        asked.append(Item.objects.exists())  # a query: refused mid-COPY, allowed on the unstreamed path
        return real(actor, checked, cache)

    monkeypatch.setattr(services, "make_checked", make_checked)
    caplog.set_level(logging.WARNING, logger="qingling.hazards")
    result = import_hazards(world.user("commerce"), xlsx(good_rows(world)), dry_run=False)
    assert STREAM_FALLBACK in caplog.text
    assert len(asked) == 5  # the streamed attempt asked nothing (refused before sending): all five are the rerun's
    _check_written(world, result)


def test_a_row_the_close_now_guard_refuses_is_reported_with_its_row_by_the_dry_run_too(world):
    """The 安委办 may not close a hazard at once (close_now): its 已销号 row is refused — by the dry
    run as by the real run (the dry run used to pass it and the real run to fail on it, as
    column "status" without a row) — and nothing is written."""
    rows = [dict(r, 发现渠道="督导检查") for r in good_rows(world, 1)]
    data = xlsx(rows)
    closed_row = 2 + next(i for i, r in enumerate(rows) if r.get("状态") == "已销号")
    for dry_run in (True, False):
        result = import_hazards(world.user("committee"), data, dry_run=dry_run)
        assert not result["committed"]
        assert [(e["row"], e["column"]) for e in result["errors"]] == [(closed_row, "状态")], result["errors"]
        assert "不能执行“立即整改完毕并销号”" in result["errors"][0]["reason"]
    assert not Hazard.objects.exists() and not HazardSource.objects.exists() and not AlertSchedule.objects.exists()
    assert not Event.objects.filter(object_type="hazards.hazard").exists()
    assert tallies.differences() == []


@pytest.mark.postgres
def test_a_query_during_a_copy_is_refused_before_it_is_sent(world):
    from accounts.models import Sector

    with pytest.raises(QueryDuringCopy):
        with transaction.atomic():
            with copy_rows(HazardSource):
                Sector.objects.count()
    with connection.cursor() as cur:  # the connection is usable again after the rollback
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_import_commits_without_waiting_for_the_disk_and_the_setting_ends_with_its_transaction(world):
    """core.bulk.commit_without_waiting_for_disk: the import's own transaction commits with
    synchronous_commit off (SET LOCAL); the connection's next transaction — the job's completion,
    which makes it durable — waits for the disk again."""
    def setting():
        with connection.cursor() as cur:
            cur.execute("SHOW synchronous_commit")
            return cur.fetchone()[0]

    seen = []
    result = import_hazards(world.user("commerce"), xlsx(good_rows(world)), dry_run=False,
                            before_commit=lambda outcome: seen.append(setting()))
    assert result["committed"] and seen == ["off"]
    with transaction.atomic():
        assert setting() == "on"
    assert setting() == "on"


@pytest.mark.postgres
def test_a_committed_import_leaves_no_search_entries_pending_and_its_rows_are_found(world):
    """Every search scans the token index's whole pending list (hazards.search): the import merges
    its rows' entries right after its commit, so nothing is left for the periodic merge."""
    from hazards.search import merge_pending, text_filter

    merge_pending()
    rows = good_rows(world)
    result = import_hazards(world.user("commerce"), xlsx(rows), dry_run=False)
    assert result["committed"]
    assert merge_pending()["hazard_search_gin"] == 0  # nothing left: the import merged its entries
    word = rows[0]["隐患描述"][:2]
    expected = sorted(h.pk for h in Hazard.objects.all() if word in h.description or word in h.location
                      or word in h.enterprise.name)  # the substring oracle
    assert expected and sorted(text_filter(Hazard.objects.all(), word).values_list("pk", flat=True)) == expected
