"""Services: certificate checks on permits, frequencies from data, summary, alerts, hazards link."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.services import NotPermitted, ServiceError
from obligations import services
from obligations.models import ObligationRule, SafetyCostExtraction
from obligations.summary import obligation_summary

TODAY = timezone.localdate()


def worker(world, ent=None, operation="welding", issued=None, reviewed=None):
    ent = ent or world.ent_construction
    return services.add_special_worker(None, ent, name="王师傅", operation=operation, certificate_no="T1",
                                       issued_on=issued or TODAY - datetime.timedelta(days=400), reviewed_on=reviewed)


def permit(world, workers, operation="welding", work_on=None, actor=None):
    return services.add_work_permit(actor, world.ent_construction, kind="hot_work", operation=operation, number="DH-1",
                                    work_on=work_on or TODAY, location="车间", approved_by="安全总监", workers=workers)


def test_permit_with_valid_certificate_is_accepted(world):
    p = permit(world, [worker(world)], actor=world.user("enterprise_other"))
    assert p.workers.count() == 1


def test_permit_refuses_wrong_type_certificate(world):
    with pytest.raises(ServiceError) as exc:
        permit(world, [worker(world, operation="electrician")])
    assert exc.value.field == "workers" and "电工作业" in exc.value.message


def test_permit_refuses_expired_certificate(world):
    w = worker(world, issued=TODAY - datetime.timedelta(days=365 * 7), reviewed=TODAY - datetime.timedelta(days=365 * 4))
    with pytest.raises(ServiceError) as exc:
        permit(world, [w])
    assert exc.value.field == "workers" and "过期" in exc.value.message


def test_permit_refuses_overdue_review_and_other_enterprises_worker(world):
    w = worker(world, issued=TODAY - datetime.timedelta(days=365 * 4))
    with pytest.raises(ServiceError, match="复审"):
        permit(world, [w])
    with pytest.raises(ServiceError, match="不是本单位"):
        permit(world, [worker(world, ent=world.ent_commerce)])
    with pytest.raises(ServiceError, match="列明作业人员"):
        permit(world, [])


def test_certificate_valid_on_the_permit_date_not_today(world):
    w = worker(world, issued=TODAY - datetime.timedelta(days=10))
    with pytest.raises(ServiceError, match="才取得"):
        permit(world, [w], work_on=TODAY - datetime.timedelta(days=20))


@pytest.mark.parametrize("index,months", [(6, 6), (11, 6), (23, 6), (9, 6), (0, 6), (16, 12), (24, 6)])
def test_drill_frequency_by_sector(world, index, months):
    """应急预案管理办法 art. 33 / seed 002 item 18 (RULES.md §6): high-risk sectors (6 construction, 11
    hazchem, 23 road transport, 9 gas, 24 dangerous goods transport) and crowded venues (0 商贸) at
    least half-yearly; others (16 light industry) yearly."""
    assert services.drill_months_for(world.enterprises[index]) == months


def test_drill_frequency_follows_sector_data(world):
    from accounts.models import Sector

    Sector.objects.filter(code="commerce").update(drill_months=6)
    assert services.drill_months_for(world.ent_commerce) == 6


def test_principal_check_frequency_monthly_for_high_risk_quarterly_otherwise(world):
    assert world.ent_construction.high_risk and services.principal_check_months(world.ent_construction) == 1
    assert not world.ent_commerce.high_risk and services.principal_check_months(world.ent_commerce) == 3
    ObligationRule.objects.filter(code="principal_check_months").update(value=2)
    assert services.principal_check_months(world.ent_commerce) == 2


def test_cost_extraction_hazardous_goods_flags_shortfall(world):
    row = services.add_cost_extraction(None, world.ent_hazchem, year=TODAY.year - 1, industry="hazchem",
                                       base=Decimal("30000000"), amount=Decimal("600000"))
    assert row.required_amount == Decimal("900000.00") and row.below_required and row.rate_table is not None
    ok = services.add_cost_extraction(None, world.ent_construction, year=TODAY.year - 1, industry="construction",
                                      category="房屋建筑工程", base=1_000_000, amount=30_000)
    assert ok.required_amount == Decimal("30000.00") and not ok.below_required
    with pytest.raises(ServiceError) as exc:
        services.add_cost_extraction(None, world.ent_construction, year=TODAY.year, industry="construction", base=1, amount=1)
    assert exc.value.field == "category"
    with pytest.raises(ServiceError) as exc:
        services.add_cost_extraction(None, world.ent_hazchem, year=TODAY.year, industry="hazchem", base="abc", amount=1)
    assert exc.value.field == "base"
    assert SafetyCostExtraction.objects.count() == 2


def test_only_own_enterprise_staff_write(world):
    with pytest.raises(NotPermitted):
        services.add_drill(world.user("enterprise_other"), world.ent_commerce, plan="p", held_on=TODAY, scenario="s", participants=3)
    with pytest.raises(NotPermitted):
        services.add_drill(world.user("emergency"), world.ent_commerce, plan="p", held_on=TODAY, scenario="s", participants=3)
    with pytest.raises(ServiceError) as exc:
        # tomorrow as of the call (TODAY is read when the module is collected: a run crossing local midnight)
        services.add_drill(world.user("enterprise"), world.ent_commerce, plan="p",
                           held_on=timezone.localdate() + datetime.timedelta(days=1),
                           scenario="s", participants=3)
    assert exc.value.field == "held_on"


def test_summary_answers_the_nine_questions(world):
    ent = world.ent_commerce
    facts = obligation_summary(ent, TODAY)
    assert facts["questions"] == {"2.2": True, "2.3": True, "2.4": True, "2.5": True, "2.6": False, "2.7": False,
                                  "2.8": True, "2.9": True}
    actor = world.user("enterprise")
    services.record_principal_check(actor, ent, kind="check", held_on=TODAY, leader="甲", participants="乙")
    services.record_principal_check(actor, ent, kind="study", held_on=TODAY, leader="甲", participants="乙")
    services.add_responsibility_list(actor, ent, kind="deputy", title="清单", issued_on=TODAY, text="职责")
    services.set_safety_organisation(actor, ent, has_institution=False, part_time_managers=1, as_of=TODAY)
    services.add_drill(actor, ent, plan="预案", held_on=TODAY, scenario="火灾", participants=10)
    services.add_outsourcing(actor, ent, kind="leasing", counterpart="某餐饮公司", start=TODAY, qualification_ok=True)
    facts = obligation_summary(ent, TODAY)
    assert not any(facts["questions"][k] for k in ("2.2", "2.3", "2.4", "2.5", "2.8"))
    assert facts["questions"]["2.7"] and facts["chaotic_outsourcing"]
    drills = next(i for i in facts["items"] if i["key"] == "drills")
    assert drills["status"] == "ok"


def test_staffing_rule_for_large_high_risk_enterprise(world):
    ent = world.ent_construction
    ent.employees = 150
    services.set_safety_organisation(None, ent, has_institution=False, full_time_managers=1, as_of=TODAY)
    facts = obligation_summary(ent, TODAY)
    assert not facts["institution_staff_ok"] and "未设置安全管理机构" in facts["staffing_problems"]


def test_certificate_alerts_are_idempotent(world):
    from core.models import Notification
    from obligations.management.commands.send_certificate_alerts import send_alerts

    w = worker(world, issued=TODAY - datetime.timedelta(days=365 * 3 - 50))  # review due in ~50 days
    assert send_alerts(TODAY) == 1  # qy_jinjian is the only principal/safety manager
    assert send_alerts(TODAY) == 0
    assert Notification.objects.filter(kind="obligations.certificate", object_id=w.pk).count() == 1
    assert send_alerts(w.review_due_on - datetime.timedelta(days=20)) == 1  # the 30-day reminder


def test_a_check_without_hazard_findings_keeps_its_findings_as_text_only(world):
    """Only the findings entered one by one (grade, sector, basis, deadline) reach the hazard ledger
    (obligations/tests/test_principal_findings.py); the narrative stays text."""
    check = services.record_principal_check(world.user("enterprise"), world.ent_commerce, kind="check", held_on=TODAY,
                                            leader="甲", participants="乙", findings="消防通道堵塞\n灭火器过期")
    assert check.hazard_ids == [] and check.findings == "消防通道堵塞\n灭火器过期"


def test_demo_is_idempotent(world):
    from obligations import demo
    from obligations.models import PrincipalCheck

    demo.load(world.ctx)
    n = PrincipalCheck.objects.count()
    demo.load(world.ctx)
    assert PrincipalCheck.objects.count() == n > 0
    assert obligation_summary(world.ent_hazchem, TODAY)["questions"]["2.9"]
