"""Identity protection (RULES.md §1, 2013 opinion: "no disclosure of name, unit or address"): an
anonymous reporter's network address must not be recoverable from the database. A keyed digest of
an IPv4 address is not anonymous — whoever holds the key tries all 2^32 addresses — so a tip stores
none, and the rate-limit trail keeps its digests only for the one-hour window the limit counts
("…per address per hour", docs/tips.md)."""

import datetime
import hashlib
import hmac

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import Event
from core.services import ServiceError
from tips import services
from tips.models import Tip, TipAttempt

pytestmark = pytest.mark.django_db
IP = "203.0.113.77"
HOUR = datetime.timedelta(hours=1)


def _derived(ip: str) -> set[str]:
    """The address and the digests anybody would try: HMAC-SHA256 under the configured keys, plain SHA-256."""
    keys = {settings.SECRET_KEY, getattr(settings, "TIP_IP_SALT", "") or settings.SECRET_KEY}
    out = {ip, hashlib.sha256(ip.encode()).hexdigest()}
    out |= {hmac.new(k.encode(), ip.encode(), hashlib.sha256).hexdigest() for k in keys}
    return out


def _form(world):
    ent = world.ent_commerce
    return {"township": ent.region.code, "address": "示范路1号", "enterprise": ent.pk, "sector": ent.sectors.first().pk,
            "content": "仓库堆放货物堵塞疏散通道，安全出口上锁。", "anonymous": "on", "captcha": "7"}


def test_a_submitted_anonymous_tip_stores_nothing_derived_from_the_address(client, world, settings):
    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    r = client.post("/public/tips/new/", _form(world), REMOTE_ADDR=IP)
    assert r.status_code == 200, r.content[:400]
    tip = Tip.objects.get()
    assert tip.anonymous
    with connection.cursor() as cursor:  # the raw row, every column
        cursor.execute("SELECT * FROM tips_tip WHERE id = %s", [tip.pk])
        row = [str(v) for v in cursor.fetchone() if v not in (None, "")]
    derived = _derived(IP)
    assert not [v for v in row if any(d in v for d in derived)]
    events = [str(e.data) + e.note for e in Event.objects.filter(object_type="tips.tip", object_id=tip.pk)]
    assert not [e for e in events if any(d in e for d in derived)]


def _attempt(age: datetime.timedelta, ip="198.51.100.9", kind=TipAttempt.Kind.SUBMIT):
    from tips.protection import ip_hash

    return TipAttempt.objects.create(kind=kind, ip_hash=ip_hash(ip), created_at=timezone.now() - age)


def test_the_periodic_job_purges_attempts_older_than_the_window_and_keeps_recent_ones(world):
    from jobs.periodic import run_system
    from jobs.schedules import PERIODIC

    old = [_attempt(age) for age in (HOUR + datetime.timedelta(minutes=1), 3 * HOUR, datetime.timedelta(days=30))]
    recent = [_attempt(age) for age in (HOUR - datetime.timedelta(minutes=1), datetime.timedelta(minutes=5))]
    run_system("tips.purge_attempts")
    left = set(TipAttempt.objects.values_list("pk", flat=True))
    assert left == {a.pk for a in recent}
    assert not left & {a.pk for a in old}
    job = [p for p in PERIODIC if p.name == "tips.purge_attempts"]
    assert job and job[0].schedule_type in ("I", "H") and (job[0].minutes or 60) <= 60  # at least hourly


def test_rate_limiting_still_counts_the_last_hour_after_a_purge(world, settings):
    settings.TIP_RATE_LIMIT_PER_HOUR = 2
    ip = "198.51.100.20"
    for _ in range(3):
        _attempt(2 * HOUR, ip=ip)  # outside the window: neither counted nor kept
    _attempt(datetime.timedelta(minutes=30), ip=ip)
    assert services.purge_attempts() == 3
    services.check_rate("submit", ip)  # one in the last hour: a second is allowed
    with pytest.raises(ServiceError, match="频繁"):
        services.check_rate("submit", ip)
    services.check_rate("submit", "198.51.100.21")  # another address is not affected


def test_migration_blanks_stored_digests_and_is_harmless_on_todays_models():
    """tips/0011 blanks Tip.ip_hash before dropping it; re-run on today's models (after a test
    flush, core.testing.restore_migration_data) it does nothing."""
    import importlib

    from django.apps import apps

    importlib.import_module("tips.migrations.0011_tip_no_ip_digest").blank_ip_digests(apps, None)
    assert "ip_hash" not in {f.name for f in Tip._meta.get_fields()}
