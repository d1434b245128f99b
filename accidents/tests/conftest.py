import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def sectors(db):
    from accounts.models import Sector

    return {s.code: s for s in Sector.objects.all()}


@pytest.fixture
def report(world, sectors):
    """File an accident of the 'enterprise' persona's own enterprise (鑫隆商贸) as its principal."""
    from accidents import services

    def _report(actor=None, ent=None, sector="commerce", learned_delay=datetime.timedelta(minutes=10),
                reported_delay=datetime.timedelta(minutes=30), occurred_at=None, **kw):
        ent = ent or world.ent_commerce
        actor = actor if actor is not None else world.user("enterprise")
        occurred_at = occurred_at or timezone.now() - datetime.timedelta(hours=2)
        kw.setdefault("summary", "仓库货架倒塌，砸伤作业人员。")
        kw.setdefault("accident_type", "object_strike")
        return services.report_accident(actor, region=ent.region, place="仓库二层", enterprise=ent, sector=sectors[sector],
                                        occurred_at=occurred_at, learned_at=occurred_at + learned_delay,
                                        reported_at=occurred_at + learned_delay + reported_delay, **kw)

    return _report
