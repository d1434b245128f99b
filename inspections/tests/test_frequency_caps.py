"""涉企检查频次上限 by class and 安全生产标准化 grade (DOMAIN.md §7, 山西 2025: hazchem/metallurgy firms
2/4/8/12 inspections a year for grades 一级/二级/三级/未达标, other firms 1/2/4/6). The caps below are
written from that text, not read from the rule table; a plan's own limit holds where it is lower.

The 双随机 pool leaves out an enterprise the department has inspected as often as its cap this year;
a record made outside a draw is kept (an inspection for a cause is not capped) and its page says it
went beyond the cap."""

import datetime

import time_machine
from django.utils import timezone

from core import ruletables
from enterprises.models import Enterprise
from inspections import services
from inspections.models import FrequencyCap

from .factories import record, today

SHANXI_2025 = {(True, "1"): 2, (True, "2"): 4, (True, "3"): 8, (True, "none"): 12,
               (False, "1"): 1, (False, "2"): 2, (False, "3"): 4, (False, "none"): 6}


def _set(ent, *, high_risk, grade):
    Enterprise.objects.filter(pk=ent.pk).update(high_risk=high_risk, standardisation_grade=grade)
    ent.refresh_from_db()
    return ent


def _inspect(world, ent, times):
    for _ in range(times):
        record(world, ent=ent)


def _pool(world, **kw):
    plan = services.create_plan(world.user("emergency"), title="双随机计划", year=today().year, planned_count=3, **kw)
    return set(services.plan_pool(plan, world.user("emergency")))


def test_the_migration_holds_the_shanxi_2025_caps(db):
    assert {(r.high_risk, r.grade): r.max_per_year for r in FrequencyCap.objects.all()} == SHANXI_2025


def test_the_pool_leaves_out_an_enterprise_at_its_grade_cap(world):
    """Plan limit 10 (above every cap): 一级 non-high-risk out after 1 inspection; 一级 high-risk after
    2, not after 1; 未达标 non-high-risk still in after 2."""
    grade1 = _set(world.ent_commerce, high_risk=False, grade="1")
    grade1_hr = _set(world.ent_hazchem, high_risk=True, grade="1")
    unrated = _set(world.ent_commerce2, high_risk=False, grade="none")
    _inspect(world, grade1, 1)
    _inspect(world, grade1_hr, 1)
    _inspect(world, unrated, 2)
    pool = _pool(world, max_per_enterprise=10)
    assert grade1.pk not in pool
    assert grade1_hr.pk in pool and unrated.pk in pool
    _inspect(world, grade1_hr, 1)
    pool = _pool(world, max_per_enterprise=10)
    assert grade1_hr.pk not in pool and unrated.pk in pool
    # a plan's own limit holds where it is lower than the grade's cap (未达标: 6; the plan: 2)
    assert unrated.pk not in _pool(world, max_per_enterprise=2)


def test_a_revised_cap_holds_from_its_effective_date(world):
    """The 一级 non-high-risk cap raised from 1 to 3 from tomorrow: today the inspected unit stays out of
    the pool, tomorrow it is back in."""
    grade1 = _set(world.ent_commerce, high_risk=False, grade="1")
    _inspect(world, grade1, 1)
    row = FrequencyCap.objects.get(high_risk=False, grade="1")
    tomorrow = today() + datetime.timedelta(days=1)
    ruletables.revise_row(world.user("committee"), ruletables.table("inspection-frequency-caps"), row,
                          {"max_per_year": 3}, effective_from=tomorrow, note="本省规定")
    assert grade1.pk not in _pool(world, max_per_enterprise=10)
    if tomorrow.year != today().year:
        return  # the count starts again on 1 January
    noon = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(12)))
    with time_machine.travel(noon, tick=False):
        assert grade1.pk in _pool(world, max_per_enterprise=10)


def test_a_record_beyond_the_cap_is_kept_and_its_page_says_so(client, world):
    grade1 = _set(world.ent_commerce, high_risk=False, grade="1")
    first = record(world, ent=grade1)
    second = record(world, ent=grade1)  # e.g. a 举报核查: kept, not refused
    client.force_login(world.user("emergency"))
    assert 'data-testid="frequency-beyond"' not in client.get(f"/inspections/records/{first.pk}/").content.decode()
    page = client.get(f"/inspections/records/{second.pk}/").content.decode()
    assert 'data-testid="frequency-beyond"' in page
    assert "第2次检查，超过涉企检查频次上限1次" in page and "标准化等级一级" in page
    # the enterprise sees its record, not the department's cap note
    client.force_login(world.user("enterprise"))
    own = client.get(f"/inspections/records/{second.pk}/")
    assert own.status_code == 200 and 'data-testid="frequency-beyond"' not in own.content.decode()


def test_the_rules_page_lists_the_caps(client, world):
    client.force_login(world.user("committee"))
    page = client.get("/rules/inspection-frequency-caps/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "涉企检查频次上限" in text and "山西省2025年" in text


def test_the_api_tells_government_users_where_a_record_stands(client, world):
    from core.testing import client_as

    grade1 = _set(world.ent_commerce, high_risk=False, grade="1")
    record(world, ent=grade1)
    second = record(world, ent=grade1)
    url = f"/api/v1/inspections/records/{second.pk}/frequency/"
    client_as(client, world, "emergency")
    assert client.get(url).json() == {"nth": 2, "cap": 1, "beyond": True, "year": today().year, "high_risk": False,
                                      "grade": "一级", "drawn": False}
    client_as(client, world, "enterprise")  # sees its own record, not the department's cap
    assert client.get(f"/api/v1/inspections/records/{second.pk}/").status_code == 200
    assert client.get(url).status_code == 403
    for persona in ("other_region", "enterprise_other"):
        client_as(client, world, persona)
        assert client.get(url).status_code == 404, persona
    client.logout()
    assert client.get(url).status_code in (401, 403)


def test_the_plan_page_states_the_caps_and_links_the_table_only_for_its_editors(client, world):
    plan = services.create_plan(world.user("emergency"), title="双随机计划", year=today().year, planned_count=3)
    client.force_login(world.user("emergency"))
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "高危行业企业：一级2次、二级4次、三级8次、未达标12次；其他企业：一级1次、二级2次、三级4次、未达标6次" in page
    assert "/rules/inspection-frequency-caps/" not in page  # a department may not open the rules page (403)
    assert client.get("/rules/inspection-frequency-caps/").status_code == 403
    client.force_login(world.user("committee"))
    assert "/rules/inspection-frequency-caps/" in client.get(f"/inspections/plans/{plan.pk}/").content.decode()


def test_a_plan_without_its_own_limit_is_bounded_by_the_table_alone(world):
    """The plan's limit is optional: left out, a 未达标 non-high-risk enterprise stays in the pool after
    2 and 5 inspections (its cap is 6) and leaves it at 6; a 一级 one leaves after 1."""
    unrated = _set(world.ent_commerce2, high_risk=False, grade="none")
    grade1 = _set(world.ent_commerce, high_risk=False, grade="1")
    plan = services.create_plan(world.user("emergency"), title="双随机计划", year=today().year, planned_count=3)
    assert plan.max_per_enterprise is None
    _inspect(world, unrated, 2)
    _inspect(world, grade1, 1)
    pool = set(services.plan_pool(plan, world.user("emergency")))
    assert unrated.pk in pool and grade1.pk not in pool
    _inspect(world, unrated, 3)
    assert unrated.pk in set(services.plan_pool(plan, world.user("emergency")))
    _inspect(world, unrated, 1)
    assert unrated.pk not in set(services.plan_pool(plan, world.user("emergency")))


def test_the_plan_form_takes_no_limit_or_a_positive_one(client, world):
    from inspections.models import Plan

    client.force_login(world.user("emergency"))
    form = {"title": "按表计划", "year": today().year, "planned_count": 2, "max_per_enterprise": ""}
    response = client.post("/inspections/plans/new/", form)
    assert response.status_code == 302
    plan = Plan.objects.get(title="按表计划")
    assert plan.max_per_enterprise is None
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "同一企业年度上限：按涉企检查频次上限" in page and "本计划" not in page
    response = client.post("/inspections/plans/new/", {**form, "title": "三次计划", "max_per_enterprise": "3"})
    plan = Plan.objects.get(title="三次计划")
    assert plan.max_per_enterprise == 3
    assert "本计划 3 次，且不超过" in client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    response = client.post("/inspections/plans/new/", {**form, "title": "零次", "max_per_enterprise": "0"})
    assert response.status_code == 400
    assert "max_per_enterprise" in response.context["form"].errors
    assert not Plan.objects.filter(title="零次").exists()


def test_the_service_refuses_a_limit_below_one(world):
    import pytest

    from core.services import ServiceError

    with pytest.raises(ServiceError) as exc:
        services.create_plan(world.user("emergency"), title="零次", year=today().year, planned_count=1,
                             max_per_enterprise=0)
    assert exc.value.field == "max_per_enterprise" and "须在1到366次之间" in str(exc.value)


def _inspected_on(world, ent, day):
    return services.create_record(world.user("emergency"), enterprise=ent, inspectors=[world.user("emergency")],
                                  inspected_on=day)


def test_a_record_is_judged_by_the_grade_the_enterprise_had_on_its_day(client, world):
    """未达标 (other firms: 6 a year) when inspected twice; graded 一级 (1 a year) afterwards through the
    profile. The second record stays within the cap it was made under; a record after the change is the
    3rd against a cap of 1. Before, both read today's 一级 and the second said 超过."""
    from enterprises import services as ent_services

    ent = _set(world.ent_commerce, high_risk=False, grade="none")
    day = today() - datetime.timedelta(days=1)
    _inspected_on(world, ent, day)
    second = _inspected_on(world, ent, day)
    ent_services.update_enterprise(world.user("commerce"), ent, standardisation_grade="1")
    client.force_login(world.user("emergency"))
    page = client.get(f"/inspections/records/{second.pk}/").content.decode()
    assert 'data-testid="frequency-beyond"' not in page
    api = client.get(f"/api/v1/inspections/records/{second.pk}/frequency/").json()
    assert (api["nth"], api["cap"], api["beyond"], api["grade"]) == (2, 6, False, "未达标")
    if day.year != today().year:
        return  # 1 January: the count starts again
    third = _inspected_on(world, ent, today())
    page = client.get(f"/inspections/records/{third.pk}/").content.decode()
    assert "第3次检查，超过涉企检查频次上限1次" in page and "标准化等级一级" in page
    assert ent.pk not in _pool(world, max_per_enterprise=10)  # the draw reads today's grade (一级, cap 1)


def test_a_change_of_class_is_read_from_its_own_trail(client, world):
    """The class (high risk or not) is derived from the sectors and the override; a change of it is
    written in the profile event, so records made while the enterprise was high-risk (一级: 2 a year)
    are judged by that after an override took the flag away (一级 other firms: 1)."""
    import time_machine as tm

    from enterprises import services as ent_services
    from enterprises.models import Enterprise

    ent = _set(world.ent_commerce, high_risk=False, grade="1")
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    with tm.travel(three_days_ago, tick=False):
        ent_services.update_enterprise(world.user("commerce"), ent, high_risk_override=True, high_risk_reason="储存危险化学品")
    assert Enterprise.objects.get(pk=ent.pk).high_risk
    day = today() - datetime.timedelta(days=1)
    _inspected_on(world, ent, day)
    second = _inspected_on(world, ent, day)
    ent_services.update_enterprise(world.user("commerce"), Enterprise.objects.get(pk=ent.pk), high_risk_override=False,
                                   high_risk_reason="已停止储存危险化学品")
    assert not Enterprise.objects.get(pk=ent.pk).high_risk
    client.force_login(world.user("emergency"))
    api = client.get(f"/api/v1/inspections/records/{second.pk}/frequency/").json()
    assert (api["nth"], api["high_risk"], api["cap"], api["beyond"]) == (2, True, 2, False)
    if day.year != today().year:
        return  # 1 January: the count starts again
    third = _inspected_on(world, ent, today())
    api = client.get(f"/api/v1/inspections/records/{third.pk}/frequency/").json()
    assert (api["nth"], api["high_risk"], api["cap"], api["beyond"]) == (3, False, 1, True)


def test_of_several_later_changes_the_first_tells_the_grade_of_the_day(client, world):
    """未达标 on the record's day, then 三级, then 一级: the record is judged as 未达标 (6), not by the
    grade between the changes (三级, 4) nor today's (一级, 1)."""
    from enterprises import services as ent_services
    from enterprises.models import Enterprise

    ent = _set(world.ent_commerce, high_risk=False, grade="none")
    rec = _inspected_on(world, ent, today() - datetime.timedelta(days=1))
    for grade in ("3", "1"):
        ent_services.update_enterprise(world.user("commerce"), Enterprise.objects.get(pk=ent.pk), standardisation_grade=grade)
    client.force_login(world.user("emergency"))
    api = client.get(f"/api/v1/inspections/records/{rec.pk}/frequency/").json()
    assert (api["grade"], api["cap"]) == ("未达标", 6)


def test_numbers_beyond_the_columns_are_refused_on_their_fields_not_a_500(client, world):
    """The plan's counts are an integer and a small integer column (PostgreSQL refused 100000 in a
    smallint with a 500): the form and the service refuse them on the field, nothing is kept."""
    import pytest

    from core.services import ServiceError
    from inspections.models import Plan

    client.force_login(world.user("emergency"))
    form = {"title": "超大计划", "year": today().year, "planned_count": 2, "max_per_enterprise": ""}
    for field, value in (("max_per_enterprise", "100000"), ("max_per_enterprise", "367"), ("planned_count", "3000000000")):
        response = client.post("/inspections/plans/new/", {**form, field: value})
        assert response.status_code == 400 and field in response.context["form"].errors, (field, value)
    assert not Plan.objects.filter(title="超大计划").exists()
    for kw in ({"max_per_enterprise": 367}, {"planned_count": 1_000_001}):
        with pytest.raises(ServiceError) as exc:
            services.create_plan(world.user("emergency"), title="超大计划", year=today().year,
                                 **{"planned_count": 2, **kw})
        assert exc.value.field == next(iter(kw))
    plan = services.create_plan(world.user("emergency"), title="满年计划", year=today().year, planned_count=1_000_000,
                                max_per_enterprise=366)
    assert Plan.objects.get(pk=plan.pk).max_per_enterprise == 366
