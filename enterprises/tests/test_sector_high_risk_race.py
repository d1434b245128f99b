"""A sector's 高危行业 change raced with a writer that derives an enterprise's 高危 from its sectors, on
two PostgreSQL connections (enterprises.services.lock_sectors; docs/rules.md 高危行业企业).

Each race is played in one order, deterministically: the first transaction does its work and stays
open; the second starts and is seen waiting on a row lock (pg_stat_activity) — or finishing —
before the first commits. The expected answer is the definition: an enterprise without 人工认定 is
high-risk when one of its own sectors is, as committed at the end; its class-change trail
(``enterprise.updated`` with ``changes.high_risk``) records each change once.

SQLite serialises writers (one write transaction at a time, no row locks): the interleaving cannot
happen there. test_sector_high_risk.py has the sequential cases (a writer holding sector objects
read before the flag changed) on any database."""

import threading
import time

import pytest
from django.db import connection, transaction

from accounts import services as account_services
from accounts.models import Sector
from core.models import Event
from enterprises import services
from enterprises.importing import import_enterprises
from enterprises.models import Enterprise
from enterprises.validators import make_credit_code

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers: no two transactions interleave (PostgreSQL row locks)"),
    pytest.mark.django_db(transaction=True),
]

_codes = iter(range(1, 10_000))


def _code() -> str:
    return make_credit_code(f"91120105MB7{next(_codes):06d}")


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:  # autocommit: a fresh view of pg_stat_activity each time
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def first_holds_then_second(first, second) -> dict:
    """``first`` runs in a transaction on its own connection and holds it open; then ``second`` runs on
    another; once ``second`` is seen waiting on a lock (or has finished), ``first`` commits.
    Returns {"first": …, "second": …} ("ok" or the exception) and "second_waited"."""
    done_work, release = threading.Event(), threading.Event()
    pid: list[int] = []
    out: dict = {}

    def run_first():
        try:
            with transaction.atomic():
                first()
                done_work.set()
                assert release.wait(timeout=60), "never released"
            out["first"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            out["first"] = repr(exc)
        finally:
            done_work.set()
            connection.close()

    def run_second():
        try:
            pid.append(_backend_pid())
            second()
            out["second"] = "ok"
        except Exception as exc:  # noqa: BLE001
            out["second"] = repr(exc)
        finally:
            connection.close()

    a = threading.Thread(target=run_first)
    a.start()
    assert done_work.wait(timeout=60)
    b = threading.Thread(target=run_second)
    b.start()
    waited, deadline = False, time.monotonic() + 20
    while b.is_alive() and time.monotonic() < deadline:
        if pid and _waits_on_a_lock(pid[0]):
            waited = True
            break
        time.sleep(0.01)
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert not a.is_alive() and not b.is_alive(), "a thread hung (deadlock?)"
    out["second_waited"] = waited
    return out


def _class_changes(ent) -> list:
    return [e["changes"]["high_risk"] for e in Event.objects.filter(
        object_type="enterprises.enterprise", object_id=ent.pk, verb="enterprise.updated").order_by("created_at", "id")
        .values_list("data", flat=True) if "high_risk" in e.get("changes", {})]


@pytest.fixture
def sector(tworld):
    return Sector.objects.create(code="race_x", name="竞态试验行业", high_risk=False)


def _enterprise(tworld, name, sectors) -> Enterprise:
    return services.create_enterprise(None, name=name, credit_code=_code(), region=tworld.townships[0], sectors=sectors)


def _turn_on(sector):
    return lambda: account_services.set_sector_high_risk(None, Sector.objects.get(pk=sector.pk), high_risk=True)


def test_an_edit_started_while_the_sector_turns_high_risk_waits_and_keeps_the_new_class(tworld, sector):
    """T1 turns the sector high-risk (the enterprise follows: 高危 是) and stays open; T2 edits the
    enterprise, having read the sector as 否. T2 waits for T1; the enterprise ends 是, its class
    changed once."""
    ent = _enterprise(tworld, "竞态编辑的公司", [sector])

    def edit():
        services.update_enterprise(None, Enterprise.objects.get(pk=ent.pk), employees=31)

    out = first_holds_then_second(_turn_on(sector), edit)
    assert (out["first"], out["second"]) == ("ok", "ok"), out
    assert out["second_waited"], "the edit did not wait for the flag's change"
    assert Sector.objects.get(pk=sector.pk).high_risk is True
    stored = Enterprise.objects.get(pk=ent.pk)
    assert (stored.high_risk, stored.employees) == (True, 31)
    assert _class_changes(ent) == [["False", "True"]]


def test_an_enterprise_registered_while_its_sector_turns_high_risk_waits_and_is_high_risk(tworld, sector):
    """T2 registers a unit in the sector (read as 否) while T1's change is open: T1's follow_sector
    cannot see the new unit, so T2 must derive from the flag T1 commits."""
    created = {}

    def register():
        created["ent"] = _enterprise(tworld, "竞态新登记的公司", [Sector.objects.get(pk=sector.pk)])

    out = first_holds_then_second(_turn_on(sector), register)
    assert (out["first"], out["second"]) == ("ok", "ok"), out
    assert out["second_waited"], "the registration did not wait for the flag's change"
    assert Enterprise.objects.get(pk=created["ent"].pk).high_risk is True


def test_an_import_run_while_its_sector_turns_high_risk_waits_and_derives_the_new_class(tworld, sector):
    """T2 imports a row updating a unit of the sector and one registering a new unit in it, having
    read the sector (否) when it validated; T1's change is open. Both units end 是."""
    ent = _enterprise(tworld, "竞态导入更新的公司", [sector])
    new_code = _code()
    rows = [{"单位名称": "竞态导入更新的公司（更名）", "统一社会信用代码": ent.credit_code,
             "乡镇（街道）代码": tworld.townships[0].code, "行业领域": sector.code},
            {"单位名称": "竞态导入新登记的公司", "统一社会信用代码": new_code,
             "乡镇（街道）代码": tworld.townships[0].code, "行业领域": sector.code}]
    result = {}

    def run_import():
        result["r"] = import_enterprises(None, rows, dry_run=False)

    out = first_holds_then_second(_turn_on(sector), run_import)
    assert (out["first"], out["second"]) == ("ok", "ok"), out
    assert (result["r"].errors, result["r"].created, result["r"].updated) == ([], 1, 1)
    assert out["second_waited"], "the import did not wait for the flag's change"
    assert Enterprise.objects.get(pk=ent.pk).high_risk is True
    assert Enterprise.objects.get(credit_code=new_code).high_risk is True


def test_a_flag_change_started_while_an_edit_moves_the_enterprise_out_of_the_sector_waits_for_it(tworld, sector):
    """The other order: T2 moves the enterprise from the sector to a sector that is not high-risk and
    stays open; T1 turns the sector high-risk. T1 waits for T2 and then follows the sector's
    enterprises as committed — no longer this one, which stays 否."""
    other = Sector.objects.create(code="race_y", name="竞态另一行业", high_risk=False)
    ent = _enterprise(tworld, "竞态改行业的公司", [sector])

    def move_out():
        services.update_enterprise(None, Enterprise.objects.get(pk=ent.pk), sectors=[other])

    out = first_holds_then_second(move_out, _turn_on(sector))
    assert (out["first"], out["second"]) == ("ok", "ok"), out
    assert out["second_waited"], "the flag's change did not wait for the edit"
    assert Sector.objects.get(pk=sector.pk).high_risk is True
    stored = Enterprise.objects.get(pk=ent.pk)
    assert list(stored.sectors.values_list("code", flat=True)) == ["race_y"]
    assert stored.high_risk is False
    assert _class_changes(ent) == []


def test_an_edit_started_while_the_flag_change_is_open_does_not_deadlock_with_it(tworld, sector):
    """Both orders at once, many rounds: T1 turns the sector on or off while T2 edits each of two
    enterprises of it (one also of a sector that is never high-risk); no deadlock, and every
    enterprise ends with the class its sectors give."""
    other = Sector.objects.create(code="race_y", name="竞态另一行业", high_risk=False)
    ents = [_enterprise(tworld, "竞态甲公司", [sector]), _enterprise(tworld, "竞态乙公司", [other, sector])]
    barrier = threading.Barrier(3)
    errors = []

    def worker(fn):
        try:
            barrier.wait(timeout=30)
            fn()
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connection.close()

    for flag in (True, False) * 5:
        fns = [lambda flag=flag: account_services.set_sector_high_risk(None, Sector.objects.get(pk=sector.pk),
                                                                       high_risk=flag)]
        fns += [lambda e=e, flag=flag: services.update_enterprise(None, Enterprise.objects.get(pk=e.pk),
                                                                  employees=30 + int(flag)) for e in ents]
        threads = [threading.Thread(target=worker, args=(fn,)) for fn in fns]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads) and errors == [], errors
        assert [Enterprise.objects.get(pk=e.pk).high_risk for e in ents] == [flag, flag]
