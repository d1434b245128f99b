import pytest


@pytest.fixture
def sectors(db):
    from accounts.models import Sector

    return {s.code: s for s in Sector.objects.all()}


@pytest.fixture
def submit(world, sectors):
    """Submit a tip about an enterprise (anonymous by default); returns (tip, code)."""
    from tips import services

    def _submit(ent=None, sector="commerce", **kw):
        ent = ent or world.ent_commerce
        kw.setdefault("content", "仓库堆放货物堵塞疏散通道，安全出口上锁。")
        return services.submit_tip(None, region=ent.region, sector=sectors[sector], address="示范路1号",
                                   enterprise=ent, **kw)

    return _submit
