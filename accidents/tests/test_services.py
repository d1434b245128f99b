import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accidents import services, workflow
from accidents.models import Accident, Measure
from core.events import events_for
from core.services import NotPermitted, ServiceError

pytestmark = pytest.mark.django_db


def day_of(dt):
    return timezone.localtime(dt).date()


def test_report_sets_deadlines_from_the_law(report):
    a = report(deaths=1, injuries=2, loss="50")
    assert a.grade == "general" and a.status == "reported" and a.source == "enterprise"
    # art. 9: one hour from when the principal learned of it
    assert a.report_due_at == a.learned_at + datetime.timedelta(hours=1)
    assert a.late_report is False
    # art. 13: 30 days for 补报; art. 29: 60 days for the investigation report, from the accident day
    assert a.supplement_until == day_of(a.occurred_at) + datetime.timedelta(days=30)
    assert a.investigation_due == day_of(a.occurred_at) + datetime.timedelta(days=60)
    assert [e.verb for e in events_for(a)] == ["accident.reported"]


def test_report_after_one_hour_is_late(report):
    on_time = report(reported_delay=datetime.timedelta(minutes=60))
    late = report(reported_delay=datetime.timedelta(minutes=61))
    assert on_time.late_report is False
    assert late.late_report is True and "迟报" in late.flags


def test_casualty_update_regrades(world, report):
    a = report(deaths=2, injuries=9, loss="999")
    assert a.grade == "general"
    services.update_casualties(world.user("enterprise"), a, deaths=3, injuries=9, loss="999", note="一名重伤人员抢救无效死亡")
    a.refresh_from_db()
    assert a.grade == "larger" and a.deaths == 3
    services.update_casualties(world.user("committee"), a, deaths=3, injuries=50, loss="999", note="核实重伤人数")
    a.refresh_from_db()
    assert a.grade == "major"
    assert [c.grade_after for c in a.changes.all()] == ["general", "larger", "major"]
    assert [e.verb for e in events_for(a)].count("accident.supplemented") == 2


def test_supplement_window_closes(world, report):
    a = report(occurred_at=timezone.now() - datetime.timedelta(days=40))
    last_day = a.supplement_until
    at_last = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time(23, 0)))
    services.update_casualties(world.user("enterprise"), a, deaths=1, injuries=0, loss=0, note="补报", at=at_last)
    with pytest.raises(ServiceError) as exc:
        services.update_casualties(world.user("enterprise"), a, deaths=2, injuries=0, loss=0, note="补报",
                                   at=at_last + datetime.timedelta(hours=2))
    assert exc.value.field == "deaths" and "补报期限" in exc.value.message


def test_grade_cannot_be_chosen(world, report):
    with pytest.raises(TypeError):
        report(grade="major")


def test_reporting_scope(world, report):
    with pytest.raises(NotPermitted):
        report(actor=world.user("enterprise_other"))  # another enterprise's accident
    with pytest.raises(NotPermitted):
        report(actor=world.user("other_region"))
    with pytest.raises(NotPermitted):
        report(actor=world.user("housing"))  # not competent for commerce
    assert report(actor=world.user("commerce")).source == "government"


def test_bad_input_names_the_field(world, report):
    with pytest.raises(ServiceError) as exc:
        report(deaths=-1)
    assert exc.value.field == "deaths"
    with pytest.raises(ServiceError) as exc:
        report(learned_delay=datetime.timedelta(minutes=-5))
    assert exc.value.field == "learned_at"


def _investigate(world, a, who="committee"):
    return services.start_investigation(world.user(who), a, leader_name="张组长", members="应急局、公安分局、总工会")


def test_investigation_deadline_and_one_extension(world, report):
    a = report()
    with pytest.raises(ServiceError):
        services.start_investigation(world.user("enterprise"), a, leader_name="x", members="y")
    inv = _investigate(world, a)
    assert inv.level == "county" and inv.authority_name == "河北区人民政府"
    with pytest.raises(ServiceError) as exc:
        services.extend_investigation(world.user("committee"), a, days=61, reason="需技术鉴定")
    assert exc.value.field == "days"
    services.extend_investigation(world.user("committee"), a, days=60, reason="需技术鉴定")
    a.refresh_from_db()
    assert a.investigation_due == day_of(a.occurred_at) + datetime.timedelta(days=120)
    with pytest.raises(ServiceError, match="只能延长一次"):
        services.extend_investigation(world.user("committee"), a, days=10, reason="再延")


def test_investigation_overdue_is_derived(world, report):
    a = report(occurred_at=timezone.now() - datetime.timedelta(days=61))
    assert a.investigation_overdue()
    b = report(occurred_at=timezone.now() - datetime.timedelta(days=59))
    assert not b.investigation_overdue()


def test_larger_accident_is_investigated_above_the_district(world, report):
    a = report(deaths=3)
    assert not services.is_investigator(world.user("committee"), a)  # 河北区 is a county
    assert services.is_investigator(world.user("province"), a)  # 天津市 (直辖市) acts for the city level
    inv = _investigate(world, a, "province")
    assert inv.level == "city"


def test_escalation_moves_the_authority_up(world, report):
    a = report()
    _investigate(world, a)
    services.escalate(world.user("committee"), a, reason="性质恶劣，社会影响大")
    a.investigation.refresh_from_db()
    assert a.investigation.escalated and a.investigation.level == "city"
    assert not services.is_investigator(world.user("committee"), a)


def test_supervision_by_committee_only(world, report):
    a = report()
    _investigate(world, a, "emergency")
    with pytest.raises(NotPermitted):
        services.list_supervision(world.user("emergency"), a, note="限期完成")
    services.list_supervision(world.user("committee"), a, note="限期完成调查")
    a.investigation.refresh_from_db()
    assert a.investigation.supervised


def _close(world, a):
    _investigate(world, a)
    with pytest.raises(ServiceError) as exc:
        services.submit_report(world.user("committee"), a, cause="违章作业", nature="责任事故",
                               technical_chapter="货架超载", management_chapter="")
    assert exc.value.field == "management_chapter"
    services.submit_report(world.user("committee"), a, cause="违章作业", nature="责任事故",
                           technical_chapter="货架超载", management_chapter="安全培训缺失")
    assert a.approval_due == timezone.localdate() + datetime.timedelta(days=15)  # art. 32
    with pytest.raises(ServiceError):
        services.approve(world.user("committee"), a, doc_no="河北政批〔2026〕1号", text="同意")  # not a leader
    services.approve(world.user("committee_lead"), a, doc_no="河北政批〔2026〕1号", text="同意调查报告")
    return a


def test_full_lifecycle_and_evaluation_deadline(world, report):
    a = _close(world, report())
    assert a.status == "closed"
    assert a.evaluation_due == timezone.localdate() + datetime.timedelta(days=365)
    m = services.add_measure(world.user("committee"), a, problem="货架未定期检查", content="全面排查货架",
                             owner_org=world.org("commerce"), owner_name="刘洋",
                             deadline=timezone.localdate() + datetime.timedelta(days=30))
    with pytest.raises(ServiceError, match="未验收"):
        services.publish_evaluation(world.user("committee"), a, rectification="a", prevention="b", handling="c",
                                    conclusion="d")
    with pytest.raises(ServiceError):
        services.submit_measure(world.user("housing"), m, note="已完成")  # not the owner
    services.submit_measure(world.user("commerce"), m, note="已完成排查")
    services.reject_measure(world.user("committee"), m, note="缺少照片")
    services.submit_measure(world.user("commerce"), m, note="补充照片")
    services.accept_measure(world.user("committee"), m, note="同意")
    assert Measure.objects.get(pk=m.pk).status == "closed"
    with pytest.raises(ServiceError) as exc:
        services.publish_evaluation(world.user("committee"), a, rectification="已整改", prevention="", handling="c",
                                    conclusion="d")
    assert exc.value.field == "prevention"
    services.publish_evaluation(world.user("committee"), a, rectification="已整改", prevention="已落实", handling="已处理",
                                conclusion="整改到位")
    assert Accident.objects.get(pk=a.pk).status == "evaluated"


def test_measure_overdue_is_derived(world, report):
    a = report()
    _investigate(world, a)
    m = services.add_measure(world.user("committee"), a, problem="p", content="c", owner_org=world.org("commerce"),
                             owner_name="刘洋", deadline=timezone.localdate())
    assert not m.is_overdue()
    assert m.is_overdue(timezone.localdate() + datetime.timedelta(days=1))


def test_flags_by_investigator(world, report):
    a = report()
    with pytest.raises(NotPermitted):
        services.set_flags(world.user("enterprise"), a, omitted=False, false_report=False, concealed=True, note="x")
    services.set_flags(world.user("committee"), a, omitted=True, false_report=False, concealed=False, note="漏报一名重伤")
    assert Accident.objects.get(pk=a.pk).flags == ["漏报"]


def test_responsibility_links_case(world, report):
    from enforcement.models import Case

    a = _close(world, report())
    case = Case.objects.create(enterprise=world.ent_commerce, title="事故责任", opened_by_org=world.org("emergency"),
                               **world.ent_commerce.region_codes())
    r = services.add_responsibility(world.user("committee"), a, kind="enterprise_penalty", subject="鑫隆商贸",
                                    measure="罚款20万元", case=case)
    assert r.case_id == case.pk
    other = Case.objects.create(enterprise=world.ent_construction, title="x", opened_by_org=world.org("emergency"),
                                **world.ent_construction.region_codes())
    with pytest.raises(ServiceError) as exc:
        services.add_responsibility(world.user("committee"), a, kind="enterprise_penalty", subject="x", measure="y",
                                    case=other)
    assert exc.value.field == "case"


def test_loss_in_wan_yuan(report):
    a = report(loss="1000.00")
    assert a.loss == Decimal("1000.00") and a.grade == "larger"


def test_workflow_refusals_are_exhaustive():
    f = workflow.Facts(is_investigator=True, is_approver=True, has_team=True, has_chapters=True, has_findings=True,
                       extension_days=10)
    for state in workflow.STATES:
        for action, (sources, _) in workflow.TRANSITIONS.items():
            assert (workflow.refusal(state, action, f) is None) == (state in sources), (state, action)


def test_regrade_during_investigation_moves_the_authority(world, report):
    a = report(deaths=1)
    _investigate(world, a)
    services.update_casualties(world.user("committee"), a, deaths=3, injuries=0, loss=0, note="一人抢救无效死亡")
    a = Accident.objects.get(pk=a.pk)
    assert a.grade == "larger" and a.investigation.level == "city"
    assert not services.is_investigator(world.user("committee"), a)
    assert services.is_investigator(world.user("province"), a)
