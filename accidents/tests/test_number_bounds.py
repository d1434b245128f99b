"""Numbers beyond the database columns are refused on their field, never a 500: 死亡人数 and 重伤人数
are integer columns (PostgreSQL refused 99999999999 with a DataError — a 500 — where SQLite stores any
size), the 延长天数 is bounded by the rule table, and an id beyond bigint in a 责任追究 names nothing
(404, as an id out of scope). Page and API, the service too; nothing is kept. Run on PostgreSQL too."""

import datetime

import pytest
from django.utils import timezone

from accidents import services
from accidents.models import Accident, CasualtyChange, Responsibility
from core.services import ServiceError
from core.testing import client_as

pytestmark = pytest.mark.django_db

HUGE = ("99999999999", str(2**31), str(10**20), "1" * 30, "100001")


def _report_form(world, **over):
    occurred = timezone.localtime() - datetime.timedelta(hours=3)
    return {"enterprise": world.ent_commerce.pk, "sector": world.ent_commerce.sectors.first().pk,
            "accident_type": "object_strike", "place": "仓库", "summary": "货架倒塌",
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "learned_at": (occurred + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "deaths": 0, "injuries": 1, "loss": "1", **over}


def _api_payload(**over):
    occurred = timezone.now() - datetime.timedelta(hours=2)
    return {"sector_code": "commerce", "accident_type": "object_strike", "place": "仓库", "summary": "货架倒塌",
            "occurred_at": occurred.isoformat(), "learned_at": (occurred + datetime.timedelta(minutes=5)).isoformat(),
            "deaths": 0, "injuries": 1, "loss": "1", **over}


@pytest.mark.parametrize("field", ["deaths", "injuries"])
@pytest.mark.parametrize("value", HUGE)
def test_report_page_and_api_refuse_a_huge_count_on_its_field(client, world, field, value):
    client_as(client, world, "commerce")
    r = client.post("/accidents/new/", _report_form(world, **{field: value}))
    assert r.status_code == 400 and field in r.context["form"].errors, (r.status_code, value)
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/accidents/", _api_payload(**{field: int(value)}), content_type="application/json")
    assert r.status_code == 400 and field in r.json()["errors"], (r.status_code, r.content)
    assert not Accident.objects.exists()


@pytest.mark.parametrize("field", ["deaths", "injuries"])
def test_supplement_page_and_api_refuse_a_huge_count_on_its_field(client, world, report, field):
    a = report()
    client_as(client, world, "enterprise")
    for value in HUGE:
        r = client.post(f"/accidents/{a.pk}/supplement/",
                        {"deaths": 0, "injuries": 1, "loss": "0", "note": "核实", field: value})
        assert r.status_code == 400 and field in r.context["forms"]["supplement"].errors, (r.status_code, value)
        r = client.post(f"/api/v1/accidents/{a.pk}/supplement/",
                        {"deaths": 0, "injuries": 1, "loss": "0", "note": "核实", field: int(value)},
                        content_type="application/json")
        assert r.status_code == 400 and field in r.json()["errors"], (r.status_code, r.content)
    a.refresh_from_db()
    assert (a.deaths, a.injuries) == (0, 0) and CasualtyChange.objects.filter(accident=a).count() == 1


def test_the_services_refuse_a_count_above_the_bound_and_keep_one_at_it(world, report):
    a = report()
    for kw in ({"deaths": Accident.MAX_CASUALTIES + 1}, {"injuries": Accident.MAX_CASUALTIES + 1},
               {"deaths": 10**20}):
        with pytest.raises(ServiceError) as exc:
            services.update_casualties(world.user("enterprise"), a, **{"deaths": 0, "injuries": 0, "loss": 0, **kw},
                                       note="核实")
        assert exc.value.field == next(iter(kw)) and "人数不能超过100000人" in exc.value.message
        with pytest.raises(ServiceError) as exc:
            report(**kw)
        assert exc.value.field == next(iter(kw))
    assert Accident.objects.count() == 1
    services.update_casualties(world.user("enterprise"), a, deaths=Accident.MAX_CASUALTIES,
                               injuries=Accident.MAX_CASUALTIES, loss=0, note="核实")
    a.refresh_from_db()
    assert (a.deaths, a.injuries, a.grade) == (Accident.MAX_CASUALTIES, Accident.MAX_CASUALTIES, "especially_major")


def test_a_huge_extension_is_refused_on_days(client, world, report):
    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    client_as(client, world, "committee")
    for value in ("99999999999", str(10**20), "1" * 30, "3651"):
        r = client.post(f"/accidents/{a.pk}/extend_investigation/", {"days": value, "reason": "补充鉴定"})
        assert r.status_code == 400 and "days" in r.context["forms"]["extend_investigation"].errors, (r.status_code, value)
        r = client.post(f"/api/v1/accidents/{a.pk}/extend-investigation/", {"days": int(value), "reason": "补充鉴定"},
                        content_type="application/json")
        assert r.status_code == 400 and "days" in r.json()["errors"], (r.status_code, r.content)
    a.investigation.refresh_from_db()
    assert a.investigation.extension_days == 0


def test_a_linked_id_beyond_bigint_names_nothing(client, world, report):
    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.submit_report(world.user("committee"), a, cause="违章作业", nature="责任事故", technical_chapter="货架超载",
                           management_chapter="安全培训缺失")
    client_as(client, world, "committee")
    base = {"kind": "enterprise_penalty", "subject": "鑫隆商贸", "measure": "罚款20万元"}
    for field in ("case", "accountability"):
        for value in (str(2**63), str(10**20), "9" * 30):
            r = client.post(f"/accidents/{a.pk}/responsibility/", {**base, field: value})
            assert r.status_code == 404, (field, value, r.status_code)
    assert not Responsibility.objects.exists()


def test_the_forms_and_serializers_bound_the_counts_themselves():
    """Each layer refuses on its own (the service's bound is not the only one)."""
    from accidents import api, forms

    for form_cls in (forms.ReportForm, forms.SupplementForm):
        for field in ("deaths", "injuries"):
            f = form_cls({field: str(Accident.MAX_CASUALTIES + 1)})
            assert f.errors[field] == [f"人数不能超过{Accident.MAX_CASUALTIES}人。"], (form_cls, field)
            assert field not in form_cls({field: str(Accident.MAX_CASUALTIES)}).errors
    for ser_cls in (api.AccidentReportSerializer, api.SupplementSerializer):
        for field in ("deaths", "injuries"):
            ser = ser_cls(data={field: Accident.MAX_CASUALTIES + 1})
            assert not ser.is_valid() and field in ser.errors, (ser_cls, field)
