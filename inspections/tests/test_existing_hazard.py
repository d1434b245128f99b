"""Audit D13: an inspection finding that is a hazard the enterprise already self-reported and is
rectifying is linked to that ledger hazard (a source of it), not registered a second time.

Expected answers come from the texts, not from the functions under test:
* DISPATCH_TABLE.md: "A hazard is counted once however many sources reported it"; 1.1 = major
  hazards whose channel is enterprise self-check, 1.3 = those found by any other channel. DOMAIN /
  PRODUCT.md: "A merged hazard keeps every source; its channel is that of its earliest report."
  Hand count for the scenario below: one major hazard, self-reported 10 days ago, found again by
  the 应急管理局's inspection today → 1.1 = 1, 1.3 = 0 (not 1.1 = 1, 1.3 = 1).
* Seed 000 三(三)2(1)①: 对企业自查查出的重大事故隐患，已按规定报告并正在采取有效措施消除的，
  依法不予行政处罚 — proposed for the linked self-reported hazard, not for a hazard the inspection
  found first.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Sector
from campaigns import dispatch as D
from core.models import Event
from core.services import NotPermitted, ServiceError
from enforcement import rules
from enforcement.tests.helpers import PLAN, notified_case
from hazards import services as hz
from hazards.models import Hazard, HazardSource
from inspections import matching, services
from inspections.models import RecordItem

from .factories import record, today

TZ = ZoneInfo("Asia/Shanghai")


def days_ago(n):
    now = timezone.localtime(timezone.now(), TZ)
    return time_machine.travel(now - datetime.timedelta(days=n), tick=False)


def self_reported(world, item, *, ent=None, reported=True):
    """A major hazard the enterprise found itself 10 days ago, citing ``item``, reported (双报告)
    and under rectification with its six-element plan."""
    with days_ago(10):
        h = hz.register_hazard(world.user("enterprise"), enterprise=ent or world.ent_commerce,
                               sector=Sector.objects.get(code="commerce"), description="安全出口锁闭、疏散通道堵塞",
                               grade="major", basis_item=item, deadline=today() + datetime.timedelta(days=30),
                               notify_people=False)
        if reported:
            h = hz.report_hazard(world.user("enterprise"), h, department=world.org("commerce"))
        h = hz.submit_plan(world.user("enterprise"), h, plan=PLAN)
    return h


def finding(world, rec, *, grade="major"):
    """The inspector answers the first standard line of ``rec`` 存在隐患."""
    item = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    services.set_item(world.user("emergency"), item, result=RecordItem.Result.HAZARD, note="安全出口上锁",
                      grade=grade, deadline=today() + datetime.timedelta(days=15))
    item.refresh_from_db()
    return item


def sign(world, rec):
    services.answer_remaining(world.user("emergency"), rec)
    return services.sign(world.user("emergency"), rec)


@pytest.fixture
def scene(world):
    rec = record(world)
    item = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    hazard = self_reported(world, item.standard_item)
    return rec, hazard


def campaign_window():
    now = timezone.now()
    return now - datetime.timedelta(days=30), now


def test_a_linked_finding_registers_no_new_hazard_and_adds_an_inspection_source(world, scene):
    rec, hazard = scene
    before = Hazard.objects.count()
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    rec = sign(world, rec)
    item.refresh_from_db()
    assert rec.locked
    assert Hazard.objects.count() == before
    assert item.hazard == hazard
    sources = list(HazardSource.objects.filter(hazard=hazard).values_list("channel", "reference"))
    assert sources == [("self_check", ""), ("inspection", f"inspections.record:{rec.pk}")]
    hazard.refresh_from_db()
    assert hazard.channel == "self_check" and hazard.status == "rectifying"  # earliest report: the self-check


def test_linking_writes_events_on_the_record_and_on_the_hazard(world, scene):
    rec, hazard = scene
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    matched = Event.objects.get(object_type="inspections.record", object_id=rec.pk, verb="inspection.finding_matched")
    assert matched.data["existing_hazard"] == hazard.pk and matched.actor == world.user("emergency")
    sign(world, rec)
    added = Event.objects.get(object_type="hazards.hazard", object_id=hazard.pk, verb="hazard.source_added")
    assert added.data["channel"] == "inspection" and added.data["reference"] == f"inspections.record:{rec.pk}"


def test_the_dispatch_table_counts_the_linked_hazard_once_as_self_found(world, scene):
    rec, hazard = scene
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    sign(world, rec)
    start, as_of = campaign_window()
    unit = D.unit_table(world.org("commerce"), start, as_of)  # 商务局 leads the commerce sector
    region = D.region_table(world.district, start, as_of)
    for table in (unit, region):
        assert (table["1.1"], table["1.2"], table["1.3"], table["1.4"]) == (1, 0, 0, 0)


def test_an_unlinked_genuinely_new_finding_is_counted_as_found_by_the_department(world):
    rec = record(world)
    finding(world, rec)
    sign(world, rec)
    start, as_of = campaign_window()
    table = D.region_table(world.district, start, as_of)
    assert (table["1.1"], table["1.3"]) == (0, 1)


def test_no_penalty_is_proposed_for_the_linked_self_reported_hazard(world, scene):
    rec, hazard = scene
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    sign(world, rec)
    item.refresh_from_db()
    case = notified_case(world, hazard=item.hazard)
    assert rules.leniency_proposed(case)


def test_no_penalty_is_not_proposed_for_a_hazard_the_inspection_found(world):
    rec = record(world)
    item = finding(world, rec)
    sign(world, rec)
    item.refresh_from_db()
    assert item.hazard.channel == "inspection"
    assert not rules.leniency_proposed(notified_case(world, hazard=item.hazard))


def test_no_penalty_is_not_proposed_when_the_enterprise_reported_only_after_the_inspection(world):
    rec = record(world)
    line = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    with days_ago(10):
        h = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                               sector=Sector.objects.get(code="commerce"), description="安全出口锁闭",
                               grade="major", basis_item=line.standard_item,
                               deadline=today() + datetime.timedelta(days=30), notify_people=False)
        h = hz.submit_plan(world.user("enterprise"), h, plan=PLAN)
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=h)
    sign(world, rec)
    h = hz.report_hazard(world.user("enterprise"), Hazard.objects.get(pk=h.pk), department=world.org("commerce"))
    assert not rules.leniency_proposed(notified_case(world, hazard=h))  # 已按规定报告 only once caught


def test_a_hazard_registered_after_the_inspection_day_takes_the_inspection_channel(world):
    with days_ago(3):
        rec = record(world)
    line = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    h = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                           sector=Sector.objects.get(code="commerce"), description="安全出口锁闭",
                           grade="major", basis_item=line.standard_item,
                           deadline=today() + datetime.timedelta(days=30), notify_people=False)
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=h)
    sign(world, rec)
    h.refresh_from_db()
    assert h.channel == "inspection"  # its earliest report is the inspection (DOMAIN: channel of the earliest report)
    assert timezone.localtime(h.first_reported_at, TZ).date() == rec.inspected_on
    start, as_of = campaign_window()
    table = D.region_table(world.district, start, as_of)
    assert (table["1.1"], table["1.3"]) == (0, 1)


def test_matching_refuses_another_enterprises_hazard(world, scene):
    rec, _ = scene
    other = hz.register_hazard(world.user("commerce"), enterprise=world.ent_commerce2,
                               sector=Sector.objects.get(code="commerce"), description="货架倾斜", grade="general")
    item = finding(world, rec)
    with pytest.raises(ServiceError, match="不是被检查单位") as exc:
        matching.match_finding(world.user("emergency"), item, hazard=other)
    assert exc.value.field == "existing_hazard"


def end_hazard(world, hazard, end):
    """Bring ``hazard`` to an end: accepted and 销号, voided, or merged into a new duplicate (returned)."""
    if end == "closed":
        hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
        hazard.refresh_from_db()
        hz.accept(world.user("commerce_lead"), hazard, opinion="合格")
    elif end == "void":
        hz.void(world.user("commerce"), hazard, reason="误登记")
    else:
        survivor = hz.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                                      sector=Sector.objects.get(code="commerce"), description="同一隐患", grade="general")
        hz.merge(world.user("commerce"), hazard, into=survivor, reason="重复登记")
        return survivor
    return None


@pytest.mark.parametrize("end", ["closed", "void", "merged"])
def test_matching_refuses_a_closed_voided_or_merged_hazard(world, scene, end):
    rec, hazard = scene
    end_hazard(world, hazard, end)
    hazard.refresh_from_db()
    item = finding(world, rec)
    with pytest.raises(ServiceError, match="只能关联未销号的隐患") as exc:
        matching.match_finding(world.user("emergency"), item, hazard=hazard)
    assert exc.value.field == "existing_hazard"


def test_matching_refuses_a_hazard_out_of_the_inspectors_scope(world):
    rec = record(world, persona="other_region", ent=world.ent_other_region, inspectors=("other_region",))
    item = rec.items.first()
    services.set_item(world.user("other_region"), item, result="hazard", note="配电箱无防护", grade="general")
    theirs = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                sector=Sector.objects.get(code="commerce"), description="货架倾斜", grade="general")
    with pytest.raises(NotPermitted):
        matching.match_finding(world.user("other_region"), item, hazard=theirs)


def test_a_hazard_closed_after_it_was_chosen_stops_the_signature_with_the_reason(world, scene):
    rec, hazard = scene
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    hz.void(world.user("commerce"), hazard, reason="误登记")
    services.answer_remaining(world.user("emergency"), rec)
    with pytest.raises(ServiceError, match="请重新选择") as exc:
        services.sign(world.user("emergency"), rec)
    assert exc.value.code == "match_stale"
    rec.refresh_from_db()
    assert not rec.locked and not rec.inspectors.filter(signed_at__isnull=False).exists()


@pytest.mark.parametrize("end", ["closed", "void", "merged"])
def test_after_the_first_signature_the_chosen_hazards_fate_is_followed_not_refused(world, end):
    """Two inspectors: the record is frozen once the first signed, so the second signature must lock it."""
    rec = record(world, inspectors=("emergency", "emergency2"))
    line = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    hazard = self_reported(world, line.standard_item)
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    services.answer_remaining(world.user("emergency"), rec)
    services.sign(world.user("emergency"), rec)
    survivor = end_hazard(world, hazard, end)
    before = Hazard.objects.count()
    rec = services.sign(world.user("emergency2"), rec)
    item.refresh_from_db()
    assert rec.locked
    if end == "closed":  # open on the inspection day: the closed hazard takes the source
        assert item.hazard_id == hazard.pk and Hazard.objects.count() == before
    elif end == "merged":  # the survivor keeps every source
        assert item.hazard_id == survivor.pk and Hazard.objects.count() == before
    else:  # a mistaken entry was voided: the finding is a new hazard
        assert item.hazard.channel == "inspection" and Hazard.objects.count() == before + 1
    assert HazardSource.objects.filter(hazard=item.hazard, reference=f"inspections.record:{rec.pk}").count() == 1


def test_an_unmatched_finding_on_the_same_standard_item_asks_before_signing(world, scene):
    rec, hazard = scene
    before = Hazard.objects.count()
    item = finding(world, rec)
    services.answer_remaining(world.user("emergency"), rec)
    with pytest.raises(ServiceError, match=hazard.number) as exc:
        services.sign(world.user("emergency"), rec)
    assert exc.value.code == "possible_duplicate" and exc.value.field == "record"
    assert Hazard.objects.count() == before
    matching.match_finding(world.user("emergency"), item, new_hazard=True)  # the inspector says: a new one
    rec = services.sign(world.user("emergency"), rec)
    assert rec.locked and Hazard.objects.count() == before + 1


def test_a_finding_answered_conform_again_forgets_its_match(world, scene):
    rec, hazard = scene
    item = finding(world, rec)
    matching.match_finding(world.user("emergency"), item, hazard=hazard)
    services.set_item(world.user("emergency"), item, result="conform")
    item.refresh_from_db()
    assert item.existing_hazard is None and not item.new_hazard_confirmed


def test_an_extra_finding_can_name_the_ledger_hazard(world, scene):
    rec, hazard = scene
    item = services.add_finding(world.user("emergency"), rec, text="二号库房", note="安全出口上锁", grade="major",
                                deadline=today() + datetime.timedelta(days=5), existing_hazard=hazard)
    assert item.existing_hazard == hazard
    before = Hazard.objects.count()
    sign(world, rec)
    item.refresh_from_db()
    assert item.hazard == hazard and Hazard.objects.count() == before


def test_the_choice_offers_the_enterprises_open_hazards_in_chinese(world, scene):
    rec, hazard = scene
    hz.register_hazard(world.user("commerce"), enterprise=world.ent_commerce2,
                       sector=Sector.objects.get(code="commerce"), description="货架倾斜", grade="general")
    offered = list(matching.open_hazards(world.user("emergency"), rec.enterprise))
    assert offered == [hazard]
    label = matching.hazard_label(hazard)
    assert hazard.number in label and "重大" in label and "整改中" in label and "企业自查上报" in label
    assert f"整改期限：{hazard.deadline:%Y-%m-%d}" in label and "判定依据" in label
