"""A record is signed only when every checklist line has an answer; 不适用 needs a reason.

Source: 《安全生产监督检查规定》/ PRODUCT.md — the on-site record states the result of each item
checked; a line left blank is not an inspection of that item."""

import pytest

from core.models import Event
from core.services import ServiceError
from inspections import services
from inspections.models import RecordItem

from .factories import record


def test_a_record_with_an_unanswered_line_cannot_be_signed(world):
    rec = record(world)
    total = rec.items.count()
    assert total > 2
    first, *rest = list(rec.items.all())
    services.set_item(world.user("emergency"), first, result="conform")
    with pytest.raises(ServiceError) as exc:
        services.sign(world.user("emergency"), rec)
    assert exc.value.code == "unanswered" and f"{total - 1}项" in exc.value.message
    assert not rec.inspectors.filter(signed_at__isnull=False).exists()


def test_not_applicable_needs_a_reason(world):
    rec = record(world)
    item = rec.items.first()
    with pytest.raises(ServiceError) as exc:
        services.set_item(world.user("emergency"), item, result="na", note="  ")
    assert exc.value.field == "note"
    services.set_item(world.user("emergency"), item, result="na", note="该单位无燃气设施")
    item.refresh_from_db()
    assert item.result == "na" and item.note == "该单位无燃气设施"


def test_the_rest_conform_is_one_explicit_act_and_then_the_record_signs(world):
    rec = record(world)
    services.set_item(world.user("emergency"), rec.items.first(), result="na", note="无此设施")
    pending = rec.items.filter(result="pending").count()
    assert services.answer_remaining(world.user("emergency"), rec) == pending
    assert not rec.items.filter(result="pending").exists()
    assert rec.items.filter(result="na").count() == 1  # answered lines are left as they were
    ev = Event.objects.get(verb="inspection.items_answered", object_id=rec.pk)
    assert ev.data["count"] == pending
    assert services.sign(world.user("emergency"), rec).locked


def test_only_conform_can_be_given_in_bulk(world):
    rec = record(world)
    for result in ("na", "hazard"):
        with pytest.raises(ServiceError):
            services.answer_remaining(world.user("emergency"), rec, result=result)
    assert rec.items.filter(result=RecordItem.Result.PENDING).count() == rec.items.count()


def test_a_line_answered_inline_returns_only_that_line_and_the_progress(client, world):
    from core.testing import client_as

    rec = record(world)
    item = rec.items.first()
    client_as(client, world, "emergency")
    url = f"/inspections/records/{rec.pk}/items/{item.pk}/"
    resp = client.post(url, {f"i{item.pk}-result": "conform"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 200 and "已保存" in html and f'id="item-{item.pk}"' in html
    assert f"已填写 1/{rec.items.count()} 项" in html and "<html" not in html
    resp = client.post(url, {f"i{item.pk}-result": "na", f"i{item.pk}-note": ""}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 400 and "须说明理由" in resp.content.decode()
    item.refresh_from_db()
    assert item.result == "conform"  # the refused answer changed nothing


def test_the_checklist_puts_the_enterprises_own_standards_before_cross_cutting_ones(client, world):
    """A supermarket (商贸) is checked against the 工贸 standard and its 重点检查事项 first; the gas standard
    applies to it only through its gas use, so it comes last; a petrol station's own standard is its own."""
    import re

    from core.testing import client_as

    client_as(client, world, "emergency")

    def groups(ent):
        rec = record(world, ent=ent)
        html = client.get(f"/inspections/records/{rec.pk}/").content.decode()
        return re.findall(r'<summary class="fw-bold small py-1">([^（<]+)（[^<]*?(，通用标准)?）</summary>', html)

    assert [(t, bool(g)) for t, g in groups(world.ent_commerce2)] == [
        ("工贸企业重大事故隐患判定标准", False), ("重点检查事项", False), ("城镇燃气经营安全重大隐患判定标准", True)]
    assert [(t, bool(g)) for t, g in groups(world.ent_hazchem)][0] == ("化工和危险化学品重大事故隐患判定标准", False)
