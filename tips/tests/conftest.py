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


@pytest.fixture
def next_level_leader(world):
    """A leader of 天津市安委办: the next level (上一级) above the 河北区 units of the test world, which
    has no city-level unit (天津's 市辖区 holds none) and no 天津市 department of the same type."""
    from django.contrib.auth import get_user_model

    from accounts import services as acc

    return get_user_model().objects.filter(username="tj_anweiban_lead").first() or acc.create_user(
        None, username="tj_anweiban_lead", password=None, organisation=world.org("province_committee"), role="leader",
        full_name="市安委办主任 冯涛")


@pytest.fixture
def approve_extension(world, next_level_leader):
    """The handling unit asks for ``days`` more, the next level's leader approves; returns the tip."""
    from tips import handling

    def _approve(tip, days, reason="需调取监控", requester="commerce"):
        tip = handling.request_extension(world.user(requester), tip, extra_days=days, reason=reason)
        return handling.decide_extension(next_level_leader, tip, approve=True)

    return _approve
