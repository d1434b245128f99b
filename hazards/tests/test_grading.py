"""Grading and channel rules of a registration (hazards/grading.py), enforced in the service.

Sources: 安全生产法 art. 118 ¶2 and 两高解释（二） (a hazard matching an item of a 判定标准 is a
重大事故隐患); 16号令 art. 2 (two grades; DOMAIN.md §3.2); DISPATCH_TABLE.md section 一 (channel
counts); the channel-by-recorder table is our own default (R, docs/rules.md)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from core.services import ServiceError
from hazards import grading, services
from standards.applicability import applicable_items


def _register(world, persona, ent=None, **kw):
    ent = ent or world.ent_commerce
    fields = dict(enterprise=ent, sector=Sector.objects.get(code="commerce"), description="安全出口锁闭",
                  deadline=timezone.localdate() + datetime.timedelta(days=20))
    fields.update(kw)
    return services.register_hazard(world.user(persona), **fields)


def test_item_of_a_standard_is_major(world):
    """安全生产法 art. 118 ¶2: an item of a 判定标准 is a 重大事故隐患 — naming one with 一般 is refused."""
    item = applicable_items(world.ent_commerce).first()
    assert item is not None
    with pytest.raises(ServiceError, match="第一百一十八条") as err:
        _register(world, "enterprise", grade="general", basis_item=item)
    assert err.value.field == "grade"
    assert _register(world, "enterprise", grade="major", basis_item=item).grade == "major"


@pytest.mark.parametrize("persona,channel", [("enterprise", "self_check"), ("commerce", "inspection"),
                                             ("commerce", "tip"), ("township", "supervision")])
def test_major_needs_item_or_reason_whatever_the_channel(world, persona, channel):
    """16号令 / DOMAIN.md §3.2: a 重大 hazard states its item or a written reason, whatever its channel."""
    with pytest.raises(ServiceError, match="无论发现渠道") as err:
        _register(world, persona, grade="major", channel=channel, basis_reason="  ")
    assert err.value.field == "basis_item"
    assert _register(world, persona, grade="major", channel=channel, basis_reason="可能导致群死群伤").grade == "major"


@pytest.mark.parametrize("persona,channel,ok", [
    ("enterprise", "self_check", True), ("enterprise", "inspection", False), ("enterprise", "tip", False),
    ("township", "self_check", False), ("township", "enterprise_third_party", False), ("township", "supervision", True),
    ("committee", "self_check", False), ("committee", "supervision", True),
    ("commerce", "self_check", False), ("commerce", "inspection", True), ("commerce", "tip", True),
])
def test_channel_follows_the_recorder(world, persona, channel, ok):
    """DISPATCH_TABLE.md 1.1/1.3 count by channel: a township office cannot record 企业自查, a department
    cannot record 企业自查, an enterprise cannot record 部门检查 (channel table: R, our default)."""
    if ok:
        assert _register(world, persona, grade="general", channel=channel).channel == channel
    else:
        with pytest.raises(ServiceError, match="发现渠道只能是") as err:
            _register(world, persona, grade="general", channel=channel)
        assert err.value.field == "channel"


def test_third_party_records_its_engagement_channel_only():
    """A third party cannot record 部门检查; an agency engaged by the enterprise records 企业委托第三方
    only (DISPATCH_TABLE.md 1.1 counts it as self-check, 1.3 counts government-engaged ones)."""
    assert grading.channel_refusal("agency", "inspection") is not None
    assert grading.channel_refusal("agency", "enterprise_third_party", "enterprise_third_party") is None
    assert grading.channel_refusal("agency", "government_third_party", "enterprise_third_party") is not None
    assert grading.channel_refusal("agency", "government_third_party", "government_third_party") is None
    assert grading.channel_refusal("superuser", "self_check") is None
