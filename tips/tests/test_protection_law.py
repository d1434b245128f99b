"""A hazard born from a tip carries nothing of the tip to the reported enterprise.

Source: RULES.md §1 identity protection (2013 opinion: "nothing passed to the reported party";
originals sealed); 安全生产法 art. 118 ¶2 / 16号令 for the 重大 basis (no automatic "举报核实")."""

import datetime

import pytest
from django.utils import timezone

from core.services import ServiceError
from hazards.models import HazardSource
from tips import services

pytestmark = pytest.mark.django_db

TIP_TEXT = "仓库堆放货物堵塞疏散通道，安全出口上锁。我是仓库保管员王五，电话13900000000。"


def _verifying(world, submit):
    tip, _ = submit(content=TIP_TEXT)
    services.accept(world.user("commerce"), tip)
    services.start_verification(world.user("commerce"), tip)
    return tip


def _register(**kw):
    return dict(grade="general", deadline=timezone.localdate() + datetime.timedelta(days=10), **kw)


def test_handler_must_write_the_description(world, submit):
    """RULES.md §1: the hazard's description is the handler's, never the tip's text."""
    tip = _verifying(world, submit)
    with pytest.raises(ServiceError, match="撰写") as err:
        services.verify(world.user("commerce"), tip, result="true", note="属实", register=_register(description=""))
    assert err.value.field == "description"
    with pytest.raises(ServiceError, match="不得照抄"):
        services.verify(world.user("commerce"), tip, result="true", note="属实",
                        register=_register(description="经核查：" + TIP_TEXT))
    with pytest.raises(ServiceError, match="不得照抄"):  # a long passage of the tip
        services.verify(world.user("commerce"), tip, result="true", note="属实",
                        register=_register(description="我是仓库保管员王五，电话13900000000"))


def test_enterprise_sees_nothing_of_the_tip(client, world, submit):
    """RULES.md §1 (2013 opinion): nothing of the report is passed to the reported party — not its
    text, its id (no "tips.tip:<id>" source) nor its time."""
    tip = _verifying(world, submit)
    tip = services.verify(world.user("commerce"), tip, result="true", note="属实",
                          register=_register(description="二楼疏散通道堆放货物"))
    hazard = tip.hazard
    assert hazard.found_on == timezone.localdate() and hazard.first_reported_at > tip.submitted_at
    assert list(HazardSource.objects.filter(hazard=hazard).values_list("reference", "note")) == [("", "")]
    client.force_login(world.user("enterprise"))
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "二楼疏散通道堆放货物" in page
    for leak in ("tips.tip", "王五", "13900000000", "安全出口上锁", tip.submitted_at.strftime("%H:%M:%S")):
        assert leak not in page


def test_major_from_a_tip_needs_a_written_reason(client, world, submit):
    """安全生产法 art. 118 ¶2 / DOMAIN.md §3.2: a 重大 hazard states an item or a written reason;
    the page no longer fills "举报核实" in automatically."""
    tip = _verifying(world, submit)
    client.force_login(world.user("commerce"))
    data = {"result": "true", "note": "属实", "register": "on", "grade": "major", "description": "安全出口上锁（核查）",
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat()}
    r = client.post(f"/tips/{tip.pk}/verify/", data)
    assert r.status_code == 400 and "判定理由" in r.content.decode()
    r = client.post(f"/tips/{tip.pk}/verify/", {**data, "basis_reason": "人员密集场所安全出口锁闭，可能导致群死群伤"})
    assert r.status_code == 302
    tip.refresh_from_db()
    assert tip.hazard.grade == "major" and tip.hazard.basis_reason.startswith("人员密集场所")
