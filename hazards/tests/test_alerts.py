"""send_hazard_alerts: 7 days, 1 day, overdue — each once; an extension re-arms them."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Sector
from core.models import Notification, OutboxMessage
from hazards import services

from .conftest import PLAN, make_major

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user, kind__startswith="hazard.due").values_list("kind", flat=True)
                  ) + sorted(Notification.objects.filter(recipient=user, kind="hazard.overdue").values_list("kind", flat=True))


def test_alerts_are_sent_once_per_window(world):
    with time_machine.travel(START, tick=False):
        h = make_major(world, days=10, responsible_person="张三", responsible_phone="13700000099", notify_people=False)
        call_command("send_hazard_alerts")
        assert Notification.objects.count() == 0  # 10 days left
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        call_command("send_hazard_alerts")
        first = Notification.objects.count()
        call_command("send_hazard_alerts")
        assert Notification.objects.count() == first
    principal, dept = world.user("enterprise"), world.user("commerce")
    assert kinds(principal) == ["hazard.due7"] and kinds(dept) == []  # departments: the digest instead
    assert Notification.objects.filter(recipient=dept, kind="hazard.digest").count() == 1
    assert not Notification.objects.filter(recipient=world.user("housing")).exists()
    assert OutboxMessage.objects.filter(kind="hazard.due7", channel="sms", address="13700000099").count() == 1
    with time_machine.travel(START + datetime.timedelta(days=9), tick=False):
        call_command("send_hazard_alerts")
        call_command("send_hazard_alerts")
    assert kinds(principal) == ["hazard.due1", "hazard.due7"]
    with time_machine.travel(START + datetime.timedelta(days=11), tick=False):
        call_command("send_hazard_alerts")
        call_command("send_hazard_alerts")
    assert kinds(principal) == ["hazard.due1", "hazard.due7", "hazard.overdue"]
    assert OutboxMessage.objects.filter(kind="hazard.overdue", channel="sms", address="13700000099").count() == 1
    # an approved extension re-arms the alerts for the new deadline
    with time_machine.travel(START + datetime.timedelta(days=11), tick=False):
        h.refresh_from_db()
        services.submit_plan(world.user("enterprise"), h, plan=PLAN)
        h.refresh_from_db()
        services.request_extension(world.user("enterprise"), h, new_deadline=h.deadline + datetime.timedelta(days=5),
                                   reason="设备到货延迟")
        h.refresh_from_db()
        services.decide_extension(world.user("commerce_lead"), h, approve=True)
        call_command("send_hazard_alerts")
    assert kinds(principal).count("hazard.due7") == 2


def test_closed_hazards_get_no_alerts(world):
    with time_machine.travel(START, tick=False):
        h = make_major(world, days=1, notify_people=False)
        services.void(world.user("commerce"), h, reason="误登记")
        call_command("send_hazard_alerts")
    assert not Notification.objects.filter(kind__startswith="hazard.due").exists()


def test_the_schedule_moves_through_the_three_stages_and_stops(world):
    import time_machine
    from django.utils import timezone

    from hazards.alerts import send_deadline_alerts

    today = timezone.localdate()
    h = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                 sector=Sector.objects.get(code="commerce"), description="配电箱门未关闭", grade="general",
                                 deadline=today + datetime.timedelta(days=10))
    assert h.next_alert_on == today + datetime.timedelta(days=3)
    assert send_deadline_alerts(today) == 0  # not yet due
    for offset, expected_next in ((3, 9), (9, 11), (11, None)):
        day = today + datetime.timedelta(days=offset)
        with time_machine.travel(day):
            assert send_deadline_alerts(day) > 0
            assert send_deadline_alerts(day) == 0  # a second pass sends nothing
        h.refresh_from_db()
        assert h.next_alert_on == (today + datetime.timedelta(days=expected_next) if expected_next else None)


def test_closing_stops_and_reopening_rearms_the_schedule(world):
    from django.utils import timezone

    today = timezone.localdate()
    h = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                 sector=Sector.objects.get(code="commerce"), description="灭火器压力不足", grade="general",
                                 deadline=today + datetime.timedelta(days=3))
    h = services.close_now(world.user("enterprise"), h, evidence_note="已更换")
    assert h.next_alert_on is None
    h = services.reopen(world.user("commerce"), h, reason="复查又发现", deadline=today + datetime.timedelta(days=20))
    assert h.next_alert_on == today + datetime.timedelta(days=13)


def test_a_pass_reads_only_hazards_whose_alert_is_due(world, django_assert_max_num_queries):
    from django.utils import timezone

    from hazards.alerts import send_deadline_alerts

    today = timezone.localdate()
    for i in range(30):  # far from their deadline: never read
        services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                 sector=Sector.objects.get(code="commerce"), description=f"远期隐患{i}", grade="general",
                                 deadline=today + datetime.timedelta(days=60))
    with django_assert_max_num_queries(3):
        assert send_deadline_alerts(today) == 0


def test_daily_digest_one_per_recipient_listing_due_and_overdue(world):
    """A commerce officer gets one digest a day with the commerce hazards of the district that
    are overdue or due within 7 days — not a message per hazard; a second pass sends nothing."""
    from enterprises.models import Enterprise
    from hazards.alerts import send_daily_digests

    from .conftest import make_general

    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(principal_phone="13800000001",
                                                               controller_phone="13800000002")
    with time_machine.travel(START - datetime.timedelta(days=10), tick=False):
        late = make_general(world, deadline=datetime.date(2026, 2, 25), description="逾期的隐患")
        soon = make_general(world, deadline=datetime.date(2026, 3, 5), description="三天后到期")
        later = make_general(world, deadline=datetime.date(2026, 3, 30), description="月底到期")
    with time_machine.travel(START, tick=False):
        call_command("send_hazard_alerts")
        second = send_daily_digests()
    assert second == 0
    officer = world.user("commerce")
    digests = list(Notification.objects.filter(recipient=officer, kind="hazard.digest"))
    assert len(digests) == 1
    body = digests[0].body
    assert late.number in body and soon.number in body and later.number not in body
    assert "逾期 1 项" in digests[0].title and "7日内到期 1 项" in digests[0].title
    assert "已逾期 5 天" in body  # 2026-02-25 → 2026-03-02
    # each listed hazard on its own line: number, its enterprise's name, deadline (the product's digest format)
    assert f"{late.number} {world.ent_commerce.name} 整改期限 2026-02-25（已逾期 5 天）" in body.splitlines()
    assert f"{soon.number} {world.ent_commerce.name} 整改期限 2026-03-05" in body.splitlines()
    assert not Notification.objects.filter(recipient=officer, kind__in=["hazard.due7", "hazard.due1", "hazard.overdue"]).exists()
    assert not Notification.objects.filter(recipient=world.user("housing"), kind="hazard.digest").exists()
    # the immediate per-hazard alert: the principal (account) and the principal's and controller's phones
    assert kinds(world.user("enterprise")) == ["hazard.due7", "hazard.overdue"]
    sms = set(OutboxMessage.objects.filter(kind__in=["hazard.due7", "hazard.overdue"], channel="sms")
              .values_list("address", flat=True))
    assert {"13800000001", "13800000002"} <= sms


@pytest.mark.parametrize("n", [5, 50])
def test_the_queries_of_a_pass_do_not_grow_with_the_number_of_due_hazards(world, n, django_assert_max_num_queries):
    """The pass is set-based: 5 or 50 due hazards (overdue, due in 1 day, due in 7 days, deadlines
    on 27 different days) cost the same statements (the new rows go in with one executemany or
    COPY per table and batch); a second pass on the same day sends nothing in at most 9 queries:
    the due range, the lead competences, the sector tree and the counties' fallback offices (for
    the sectors nobody leads), their staff, the day's digest keys in the inbox and in the outbox,
    and — for departments with nothing to report, hence no key — the sector tree and the windowed
    hazard query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises.models import Enterprise
    from hazards.alerts import send_daily_alerts
    from hazards.models import AlertSchedule

    from .conftest import make_general

    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(principal_phone="13800000001",
                                                               controller_phone="13800000002")
    today = START.date()
    with time_machine.travel(START - datetime.timedelta(days=40), tick=False):
        for i in range(n):  # deadlines from 20 days ago to 6 days ahead: 27 different next_alert_on dates
            make_general(world, deadline=today + datetime.timedelta(days=i % 27 - 20), description=f"隐患{i}",
                         responsible_person="张三", responsible_phone=f"137{i:08d}")
    with time_machine.travel(START, tick=False):
        with CaptureQueriesContext(connection) as pass1:
            first = send_daily_alerts()
        with django_assert_max_num_queries(9):
            second = send_daily_alerts()
    assert len(pass1) <= 34, f"{len(pass1)} queries:\n" + "\n".join(q["sql"][:120] for q in pass1.captured_queries)
    assert first["hazard_alerts"] == n * 5 and first["digests"] > 0  # principal in-app + e-mail; 3 phones by SMS
    assert second == {"hazard_alerts": 0, "digests": 0}
    assert not AlertSchedule.objects.filter(next_alert_on__lte=today).exists()
    assert OutboxMessage.objects.filter(kind__startswith="hazard.", channel="sms", address=f"137{n - 1:08d}").count() == 1


def test_the_schedule_moves_only_rows_still_as_the_pass_read_them(world):
    """Compare-and-set per row: the batch UPDATE moves a hazard whose next_alert_on is still the
    value the pass read (to a date, or to none after the last alert), and leaves alone one that
    changed meanwhile (e.g. an extension re-armed it)."""
    from django.db import transaction
    from django.utils import timezone

    from hazards.alerts import _advance

    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def register(days):
        return services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                        sector=Sector.objects.get(code="commerce"), description=f"隐患{days}",
                                        grade="general", deadline=today + days * day)

    moved, last, changed = register(10), register(30), register(20)
    assert (moved.next_alert_on, last.next_alert_on, changed.next_alert_on) == (today + 3 * day, today + 23 * day,
                                                                                today + 13 * day)
    with transaction.atomic():
        _advance({(today + 3 * day, today + 9 * day): [moved.pk], (today + 23 * day, None): [last.pk],
                  (today + 12 * day, today + 19 * day): [changed.pk]})  # read as +12, now +13: not moved
    for h in (moved, last, changed):
        h.refresh_from_db()
    assert (moved.next_alert_on, last.next_alert_on, changed.next_alert_on) == (today + 9 * day, None, today + 13 * day)


def test_a_long_digest_lists_the_earliest_deadlines_first_and_counts_the_rest(world):
    """34 open commerce hazards of the district: 20 overdue, 14 due within the 7 days, plus 3
    due later and 2 closed (not counted). The digest lists 30 lines — the 30 earliest deadlines,
    earliest first — and says how many more there are; its title counts 20 overdue and 14 due."""
    from hazards.alerts import send_daily_digests

    from .conftest import make_general

    today = START.date()
    expected = []
    with time_machine.travel(START - datetime.timedelta(days=40), tick=False):
        for i in range(34):  # deadlines today-20 … today+6 (two a day from today-6 on)
            deadline = today + datetime.timedelta(days=i - 20 if i < 20 else (i - 20) // 2)
            expected.append((deadline, make_general(world, deadline=deadline, description=f"隐患{i}")))
        for i in range(3):
            make_general(world, deadline=today + datetime.timedelta(days=8 + i), description=f"远期{i}")
        for i in range(2):
            h = make_general(world, deadline=today - datetime.timedelta(days=3), description=f"已销号{i}")
            services.close_now(world.user("commerce"), h, evidence_note="已整改")
    with time_machine.travel(START, tick=False):
        assert send_daily_digests() > 0
    digest = Notification.objects.get(recipient=world.user("commerce"), kind="hazard.digest")
    assert "逾期 20 项" in digest.title and "7日内到期 14 项" in digest.title
    lines = digest.body.splitlines()
    first30 = [h for _, h in sorted(expected, key=lambda e: (e[0], e[1].pk))][:30]
    assert [line.split(" ")[0] for line in lines[:30]] == [h.number for h in first30]
    assert lines[30] == "……另有 4 项，请在隐患台账中查看。" and len(lines) == 31


def test_a_pass_that_crashed_mid_way_is_rerun_without_sending_anything_twice(world, monkeypatch):
    """Six overdue hazards, batches of two: the worker dies while writing the second batch. Each
    batch commits its messages with its schedule moves, so the re-run alerts the four hazards not
    done yet — 5 messages each (the principal's in-app + e-mail, SMS to the responsible person, the
    principal and the controller) — and a third pass sends nothing."""
    import core.notifications
    from enterprises.models import Enterprise
    from hazards.alerts import send_deadline_alerts

    from .conftest import make_general

    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(principal_phone="13800000001",
                                                               controller_phone="13800000002")
    today = START.date()
    with time_machine.travel(START - datetime.timedelta(days=40), tick=False):
        for i in range(6):
            make_general(world, deadline=today - datetime.timedelta(days=5 + i), description=f"逾期{i}",
                         responsible_person="张三", responsible_phone=f"1370000{i:04d}")
    real, calls = core.notifications.notify_bulk, []

    def dies_on_the_second_batch(alerts, **kw):
        calls.append(len(alerts))
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(alerts, **kw)

    monkeypatch.setattr(core.notifications, "notify_bulk", dies_on_the_second_batch)
    with time_machine.travel(START, tick=False):
        with pytest.raises(RuntimeError):
            send_deadline_alerts(today, batch_size=2)
        monkeypatch.setattr(core.notifications, "notify_bulk", real)
        assert send_deadline_alerts(today, batch_size=2) == 4 * 5
        assert send_deadline_alerts(today, batch_size=2) == 0
    assert Notification.objects.filter(kind="hazard.overdue", recipient=world.user("enterprise")).count() == 6
    responsible = OutboxMessage.objects.filter(kind="hazard.overdue", channel="sms", address__startswith="1370000")
    assert sorted(responsible.values_list("address", flat=True)) == [f"1370000{i:04d}" for i in range(6)]
    assert OutboxMessage.objects.filter(kind="hazard.overdue", channel="sms", address="13800000001").count() == 6


def test_a_hazard_closed_behind_the_schedules_back_gets_no_alert_and_is_unscheduled(world):
    """A hazard whose row was closed by a direct write (a data repair) while its alert stayed
    scheduled: the pass sends it nothing and clears its schedule."""
    from django.utils import timezone

    from hazards.alerts import send_deadline_alerts
    from hazards.models import AlertSchedule, Hazard

    today = timezone.localdate()
    h = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                 sector=Sector.objects.get(code="commerce"), description="配电箱未接地", grade="general",
                                 deadline=today + datetime.timedelta(days=5))
    Hazard.objects.filter(pk=h.pk).update(status="closed")
    assert send_deadline_alerts(today) == 0
    assert AlertSchedule.objects.get(hazard=h).next_alert_on is None
    assert not OutboxMessage.objects.filter(object_id=h.pk, kind__startswith="hazard.due").exists()


def test_a_pass_of_several_batches_queues_the_delivery_job_once_after_its_rows(world, monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    """The pass streams its due rows through an open cursor; the delivery job is queued once, after
    the last batch (the queue's broker may close stale connections, which would close that cursor)."""
    import core.notifications
    from hazards.alerts import send_deadline_alerts

    from .conftest import make_general

    today = START.date()
    with time_machine.travel(START - datetime.timedelta(days=40), tick=False):
        for i in range(5):
            make_general(world, deadline=today - datetime.timedelta(days=3 + i), description=f"逾期{i}")
    calls, real_bulk, batches = [], core.notifications.notify_bulk, []

    def bulk(alerts, **kw):
        batches.append(kw)
        return real_bulk(alerts, **kw)

    monkeypatch.setattr(core.notifications, "queue_delivery", lambda: calls.append(len(batches)))
    monkeypatch.setattr(core.notifications, "notify_bulk", bulk)
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_alerts(today, batch_size=2) > 0
    assert len(batches) == 3 and all(kw == {"queue": False} for kw in batches)
    assert calls == [3]  # once, after the third (last) batch
