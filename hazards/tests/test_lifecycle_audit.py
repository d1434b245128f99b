"""Lifecycle rules an audit found broken (its expected answers from PRODUCT.md and the seeds):

* 销号 only through acceptance — an open hazard is not merged into a closed one;
* a 重大 hazard under rectification has its six-element plan — it is not merged into a 一般 one
  rectification has started on; a merge never hides an overdue hazard (the earlier deadline holds,
  in the as-of figures too);
* 双报告 goes to a department responsible for the hazard's sector, at its county, city or province
  (seed 000 三(二)1(2)), and the first report is kept;
* an extension request lapses when the hazard leaves 整改中, and an approval never shortens the deadline;
* a hazard under rectification has a deadline."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Sector
from campaigns import board
from core.models import Event
from core.services import ServiceError
from hazards import asof
from hazards import services as hs
from hazards.models import ExtensionRequest, Hazard

PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2031, 1, 31), safety_emergency="应急预案")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def reg(world, grade="general", deadline=None, actor="enterprise", ent=None):
    return hs.register_hazard(world.user(actor), enterprise=ent or world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                              description=f"{grade}隐患", grade=grade, deadline=deadline, found_on=days(-30),
                              basis_reason="可能导致群死群伤" if grade == "major" else "", notify_people=False)


def closed_general(world):
    h = reg(world, deadline=days(5))
    return hs.close_now(world.user("enterprise"), h, evidence_note="已整改")


# ---------------------------------------------------------------- merge

def test_an_open_major_hazard_is_not_merged_into_a_closed_general_one_so_it_is_not_closed_without_acceptance(world):
    closed = closed_general(world)
    open_major = reg(world, "major", deadline=days(20))  # found 30 days ago, before the other was closed
    with pytest.raises(ServiceError) as exc:
        hs.merge(world.user("committee"), open_major, into=closed, reason="重复")
    assert exc.value.field == "into" and "主管部门验收" in exc.value.message
    open_major.refresh_from_db()
    closed.refresh_from_db()
    assert open_major.status == "registered" and closed.grade == "general" and closed.status == "closed"
    from hazards.actions import merge_targets

    assert closed not in merge_targets(open_major, world.user("committee"))


def test_a_hazard_found_after_the_other_was_closed_is_not_merged_into_it_but_reopens_it(world):
    closed = closed_general(world)
    found_again = hs.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                     sector=Sector.objects.get(code="commerce"), description="灭火器又过期",
                                     grade="general", deadline=days(10), notify_people=False)
    with pytest.raises(ServiceError) as exc:
        hs.merge(world.user("emergency"), found_again, into=closed, reason="重复")
    assert "重新打开" in exc.value.message
    assert Hazard.objects.get(pk=closed.pk).status == "closed" and Hazard.objects.get(pk=found_again.pk).status == "registered"


def test_a_duplicate_found_before_the_closing_is_merged_into_the_closed_hazard_which_keeps_its_deadline(world):
    early = reg(world, deadline=days(2))  # found 30 days ago, due in 2 days
    closed = closed_general(world)  # due in 5 days, closed today: on time
    hs.merge(world.user("emergency"), early, into=closed, reason="同一隐患，已验收")
    survivor = Hazard.objects.get(pk=closed.pk)
    assert Hazard.objects.get(pk=early.pk).status == "merged" and survivor.status == "closed"
    assert survivor.deadline == days(5)  # its acceptance judged it against its own deadline


def test_a_major_hazard_is_not_merged_into_a_general_one_under_rectification(world):
    general = reg(world, deadline=days(20))
    hs.submit_plan(world.user("enterprise"), general)
    major = reg(world, "major", deadline=days(-3))
    with pytest.raises(ServiceError, match="治理方案") as exc:
        hs.merge(world.user("emergency"), major, into=general, reason="重复")
    assert exc.value.field == "into"
    from hazards.actions import merge_targets

    assert general not in merge_targets(major, world.user("emergency"))
    # the other way round is the merge to make: the 一般 one into the 重大 one
    hs.merge(world.user("emergency"), Hazard.objects.get(pk=general.pk), into=major, reason="重复")
    assert Hazard.objects.get(pk=general.pk).status == "merged"


def test_a_merge_keeps_the_earlier_deadline_so_an_overdue_hazard_stays_overdue_from_then_on(world):
    overdue = reg(world, "major", deadline=days(-6))  # overdue since 6 days ago
    later = reg(world, "major", deadline=days(25))
    assert board_overdue(world) == 1
    before_merge = timezone.now()
    hs.merge(world.user("emergency"), overdue, into=later, reason="同一隐患重复登记")
    later.refresh_from_db()
    assert later.deadline == days(-6) and later.is_overdue
    assert board_overdue(world) == 1  # still one overdue hazard, now the survivor
    ev = Event.objects.get(verb="hazard.merged_in", object_id=later.pk)
    assert ev.data["deadline"] == days(-6).isoformat() and ev.data["deadline_from"] == days(25).isoformat()
    # as of an instant before the merge the survivor still had its own deadline
    row = asof.annotate(Hazard.objects.filter(pk=later.pk), before_merge).get()
    assert row.deadline_at == days(25)
    row = asof.annotate(Hazard.objects.filter(pk=later.pk), timezone.now()).get()
    assert row.deadline_at == days(-6)


def test_a_merge_into_a_hazard_with_the_earlier_deadline_changes_no_deadline(world):
    early = reg(world, "major", deadline=days(3))
    late = reg(world, "major", deadline=days(30))
    hs.merge(world.user("emergency"), late, into=early, reason="重复")
    early.refresh_from_db()
    assert early.deadline == days(3)
    assert "deadline" not in Event.objects.get(verb="hazard.merged_in", object_id=early.pk).data


def board_overdue(world):
    """The five-colour board's count of overdue 重大 hazards across the district's townships."""
    return sum(row["overdue"] for row in board.figures(world.ctx["district"]))


# ---------------------------------------------------------------- 双报告

def test_a_major_hazard_is_reported_only_to_a_department_responsible_for_its_sector_in_its_place(world):
    h = reg(world, "major", deadline=days(30))
    offered = set(hs.report_departments(h).values_list("name", flat=True))
    assert "河北区商务局" in offered and "河北区应急管理局" in offered  # the sector's department; the comprehensive one
    assert not offered & {"河北区教育局", "河北区卫生健康委员会", "河北区交通运输局", "河东区应急管理局"}
    for key in ("education", "other_emergency"):
        with pytest.raises(ServiceError) as exc:
            hs.report_hazard(world.user("enterprise"), h, department=world.org(key))
        assert exc.value.field == "department"
        h.refresh_from_db()
        assert h.reported_at is None and not h.leniency_marker()


def test_the_first_report_is_kept(world):
    h = reg(world, "major", deadline=days(30))
    h = hs.report_hazard(world.user("enterprise"), h, department=world.org("commerce"))
    first = h.reported_at
    with pytest.raises(ServiceError, match="已于") as exc:
        hs.report_hazard(world.user("enterprise"), h, department=world.org("emergency"))
    assert exc.value.field == "department"
    h.refresh_from_db()
    assert h.reported_at == first and h.reported_to == world.org("commerce")


# ---------------------------------------------------------------- extensions

def rectifying(world, deadline):
    h = reg(world, deadline=deadline)
    return hs.submit_plan(world.user("enterprise"), h)


def test_a_pending_extension_lapses_when_the_hazard_leaves_rectification_and_a_reopened_hazard_may_ask_again(world):
    h = rectifying(world, days(10))
    ext = hs.request_extension(world.user("enterprise"), h, new_deadline=days(40), reason="设备未到")
    hs.submit_completion(world.user("enterprise"), Hazard.objects.get(pk=h.pk), evidence_note="已整改")
    ext.refresh_from_db()
    assert ext.status == "lapsed"
    assert Event.objects.filter(verb="hazard.extension_lapsed", object_id=h.pk).get().data["requests"] == [ext.pk]
    h = hs.accept(world.user("commerce"), Hazard.objects.get(pk=h.pk), opinion="同意")
    h = hs.reopen(world.user("enterprise"), h, reason="再次发现", deadline=days(60))
    new = hs.request_extension(world.user("enterprise"), h, new_deadline=days(90), reason="再次整改需时")
    assert new.status == "pending"
    h = hs.decide_extension(world.user("commerce"), Hazard.objects.get(pk=h.pk), approve=True)
    assert h.deadline == days(90)
    assert ExtensionRequest.objects.get(pk=ext.pk).status == "lapsed"  # the old one was never approved


def test_an_extension_is_not_approved_when_it_would_shorten_the_deadline(world):
    h = rectifying(world, days(10))
    hs.request_extension(world.user("enterprise"), h, new_deadline=days(20), reason="设备未到")
    # the deadline moved since the request (a listing notice, a merge…): approving would shorten it
    Hazard.objects.filter(pk=h.pk).update(deadline=days(30))
    with pytest.raises(ServiceError, match="缩短") as exc:
        hs.decide_extension(world.user("commerce"), Hazard.objects.get(pk=h.pk), approve=True)
    assert exc.value.field == "approve"
    assert Hazard.objects.get(pk=h.pk).deadline == days(30)
    h = hs.decide_extension(world.user("commerce"), Hazard.objects.get(pk=h.pk), approve=False, note="无需延期")
    assert h.deadline == days(30)


# ---------------------------------------------------------------- deadline

def test_rectification_without_any_deadline_is_refused(world):
    h = reg(world, deadline=None)
    with pytest.raises(ServiceError) as exc:
        hs.submit_plan(world.user("enterprise"), h)
    assert exc.value.field == "deadline"
    assert Hazard.objects.get(pk=h.pk).status == "registered"
    h = hs.submit_plan(world.user("enterprise"), h, deadline=days(7))
    assert h.status == "rectifying" and h.deadline == days(7)


def test_the_plan_page_asks_for_the_deadline(client, world):
    h = reg(world, deadline=None)
    client.force_login(world.user("enterprise"))
    r = client.post(f"/hazards/{h.pk}/actions/submit_plan/", {"note": ""})
    assert r.status_code in (400, 200) and "请填写整改期限" in r.content.decode()
    assert Hazard.objects.get(pk=h.pk).status == "registered"


# ---------------------------------------------------------------- alerts while the acceptance is pending

def test_an_enterprise_waiting_for_acceptance_is_not_told_it_is_overdue_until_the_acceptance_is_rejected(world):
    from core.models import Notification
    from hazards.alerts import send_deadline_alerts

    h = rectifying(world, days(5))
    hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改，照片留存")  # before the deadline
    send_deadline_alerts(today=days(9))  # the deadline has passed, the department has not accepted yet
    principal = world.user("enterprise")
    assert not Notification.objects.filter(recipient=principal, kind__in=("hazard.overdue", "hazard.due1")).exists()
    with time_machine.travel(datetime.datetime.combine(days(10), datetime.time(10), tzinfo=timezone.get_current_timezone()),
                             tick=False):
        hs.reject(world.user("commerce"), Hazard.objects.get(pk=h.pk), reason="灭火器仍未更换")
    send_deadline_alerts(today=days(10))
    assert Notification.objects.filter(recipient=principal, kind="hazard.overdue").count() == 1
    send_deadline_alerts(today=days(11))
    assert Notification.objects.filter(recipient=principal, kind="hazard.overdue").count() == 1


def test_the_requester_learns_the_decision_on_an_extension(world):
    from core.models import Notification

    h = rectifying(world, days(10))
    hs.request_extension(world.user("enterprise"), h, new_deadline=days(40), reason="设备未到")
    hs.decide_extension(world.user("commerce"), Hazard.objects.get(pk=h.pk), approve=True, note="同意")
    note = Notification.objects.get(recipient=world.user("enterprise"), kind="hazard.extension_decided")
    assert "已批准" in note.title and days(40).isoformat() in note.body and "同意" in note.body
    h = Hazard.objects.get(pk=h.pk)
    hs.request_extension(world.user("enterprise_safety"), h, new_deadline=days(60), reason="仍需时间")
    hs.decide_extension(world.user("commerce"), Hazard.objects.get(pk=h.pk), approve=False, note="理由不充分")
    note = Notification.objects.get(recipient=world.user("enterprise_safety"), kind="hazard.extension_decided")
    assert "未批准" in note.title and "理由不充分" in note.body
