"""A sector's 高危行业 flag and the 高危 its enterprises derive from it (accounts.services.set_sector_high_risk,
enterprises.services.follow_sector; docs/accounts.md "The Django admin").

The expected answers are written from the definition (docs/rules.md, Enterprise's docstring): an
enterprise with 人工认定 (high_risk_override) is what the override says; otherwise it is high-risk when
any of its own sectors is. The enterprises here are built so that each answer can be read off by
hand: one has only the changed sector, one also a sector that is high-risk whatever happens, one also
a sector that is never high-risk, two carry an override either way, one is not in the sector."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Sector
from core.models import ChangeLog, Event
from core.services import NotPermitted, StaleState
from core.testing import admin_change_data
from enterprises import services
from enterprises.models import Enterprise
from enterprises.validators import make_credit_code
from inspections import frequency

pytestmark = pytest.mark.django_db

_codes = iter(range(1, 10_000))


def _sector(high_risk: bool) -> Sector:
    return Sector.objects.create(code=f"trial_{high_risk}", name="试验行业", high_risk=high_risk)


def _enterprise(world, name, sectors, override=None) -> Enterprise:
    extra = {"high_risk_override": override, "high_risk_reason": "经研判人工认定"} if override is not None else {}
    return services.create_enterprise(None, name=name, credit_code=make_credit_code(f"91120105MA7{next(_codes):06d}"),
                                      region=world.townships[0], sectors=sectors, **extra)


@pytest.fixture
def firms(world):
    """(sector X, {key: enterprise}) — X not high-risk yet."""
    x = _sector(False)
    hazchem, commerce = Sector.objects.get(code="hazchem"), Sector.objects.get(code="commerce")
    assert hazchem.high_risk and not commerce.high_risk  # the reference data the cases rely on
    return x, {
        "only_x": _enterprise(world, "只有试验行业的公司", [x]),
        "x_and_hazchem": _enterprise(world, "兼营危化品的公司", [x, hazchem]),
        "x_and_commerce": _enterprise(world, "兼营商贸的公司", [x, commerce]),
        "x_override_no": _enterprise(world, "人工认定非高危的公司", [x], override=False),
        "x_override_yes": _enterprise(world, "人工认定高危的公司", [x, commerce], override=True),
        "not_x": _enterprise(world, "只有商贸的公司", [commerce]),
    }


def _flags(firms_by_key) -> dict:
    return {k: Enterprise.objects.get(pk=e.pk).high_risk for k, e in firms_by_key.items()}


def _class_events(ent) -> list:
    return list(Event.objects.filter(object_type="enterprises.enterprise", object_id=ent.pk,
                                     verb="enterprise.updated").order_by("created_at", "id").values_list("data", flat=True))


BEFORE = {"only_x": False, "x_and_hazchem": True, "x_and_commerce": False, "x_override_no": False,
          "x_override_yes": True, "not_x": False}


def test_a_sector_turned_high_risk_makes_its_enterprises_high_risk(world, firms):
    x, ents = firms
    assert _flags(ents) == BEFORE
    changed = account_services.set_sector_high_risk(None, x, high_risk=True)
    assert Sector.objects.get(pk=x.pk).high_risk is True
    assert _flags(ents) == {"only_x": True, "x_and_hazchem": True, "x_and_commerce": True, "x_override_no": False,
                            "x_override_yes": True, "not_x": False}
    assert changed == 2
    for key in ("only_x", "x_and_commerce"):
        assert _class_events(ents[key]) == [{"changes": {"high_risk": ["False", "True"]}}], key


def test_an_enterprise_whose_flag_does_not_change_gets_no_event(world, firms):
    x, ents = firms
    account_services.set_sector_high_risk(None, x, high_risk=True)
    for key in ("x_and_hazchem", "x_override_no", "x_override_yes", "not_x"):
        assert _class_events(ents[key]) == [], key


def test_a_sector_no_longer_high_risk_leaves_an_enterprise_with_another_high_risk_sector_high_risk(world):
    x = _sector(True)
    hazchem, commerce = Sector.objects.get(code="hazchem"), Sector.objects.get(code="commerce")
    ents = {"only_x": _enterprise(world, "只有试验行业的公司", [x]),
            "x_and_hazchem": _enterprise(world, "兼营危化品的公司", [x, hazchem]),
            "x_and_commerce": _enterprise(world, "兼营商贸的公司", [x, commerce]),
            "x_override_yes": _enterprise(world, "人工认定高危的公司", [x], override=True),
            "x_override_no": _enterprise(world, "人工认定非高危的公司", [x], override=False)}
    assert _flags(ents) == {"only_x": True, "x_and_hazchem": True, "x_and_commerce": True, "x_override_yes": True,
                            "x_override_no": False}
    changed = account_services.set_sector_high_risk(None, x, high_risk=False)
    assert _flags(ents) == {"only_x": False, "x_and_hazchem": True, "x_and_commerce": False, "x_override_yes": True,
                            "x_override_no": False}
    assert changed == 2
    for key in ("only_x", "x_and_commerce"):
        assert _class_events(ents[key]) == [{"changes": {"high_risk": ["True", "False"]}}], key
    for key in ("x_and_hazchem", "x_override_yes", "x_override_no"):
        assert _class_events(ents[key]) == [], key


def test_an_enterprise_with_its_own_high_risk_decision_keeps_it_both_ways(world, firms):
    x, ents = firms
    for flag in (True, False, True):
        account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=flag)
        assert _flags({k: ents[k] for k in ("x_override_no", "x_override_yes")}) == \
            {"x_override_no": False, "x_override_yes": True}
    for key in ("x_override_no", "x_override_yes"):
        assert _class_events(ents[key]) == [], key
    # the others followed each change, one event per change, in order
    assert _class_events(ents["only_x"]) == [{"changes": {"high_risk": ["False", "True"]}},
                                             {"changes": {"high_risk": ["True", "False"]}},
                                             {"changes": {"high_risk": ["False", "True"]}}]


def test_the_events_name_the_actor_and_the_sector_records_the_change(world, firms):
    x, ents = firms
    superuser = get_user_model().objects.create_superuser("sector_admin", "s@example.invalid", "x-Pass-12345")
    account_services.set_sector_high_risk(superuser, x, high_risk=True)
    event = Event.objects.get(verb="enterprise.updated", object_id=ents["only_x"].pk)
    assert (event.actor, event.actor_role, event.object_repr) == (superuser, "superuser", "只有试验行业的公司")
    assert "试验行业" in event.note
    sector_event = Event.objects.get(verb="sector.high_risk_changed")
    assert (sector_event.object_type, sector_event.object_id, sector_event.actor) == ("accounts.sector", x.pk, superuser)
    assert sector_event.data == {"changes": {"high_risk": ["False", "True"]}, "enterprises": 2}


def test_the_same_flag_again_changes_and_records_nothing(world, firms):
    x, ents = firms
    events = Event.objects.count()
    assert account_services.set_sector_high_risk(None, x, high_risk=False) == 0
    assert Event.objects.count() == events and _flags(ents) == BEFORE


def test_only_a_superuser_or_a_system_job_changes_the_flag(world, firms):
    x, ents = firms
    events = Event.objects.count()
    for persona in ("committee", "emergency"):
        with pytest.raises(NotPermitted):
            account_services.set_sector_high_risk(world.user(persona), x, high_risk=True)
    assert Sector.objects.get(pk=x.pk).high_risk is False and _flags(ents) == BEFORE
    assert Event.objects.count() == events


def test_a_flag_changed_by_another_meanwhile_is_refused_and_nothing_is_written(world, firms):
    x, ents = firms
    seen = Sector.objects.get(pk=x.pk)  # 否, as the caller saw it
    account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
    account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=False)
    seen.high_risk = True  # a stale copy: it believes the flag is on and turns it off
    events = Event.objects.count()
    with pytest.raises(StaleState):
        account_services.set_sector_high_risk(None, seen, high_risk=False)
    assert Event.objects.count() == events and _flags(ents) == BEFORE


def test_many_enterprises_follow_in_batches_with_a_fixed_number_of_statements(world, monkeypatch):
    """Batches of 2 (so 5 enterprises take three): all follow, one event each; and the statements
    do not grow with the enterprises (3 vs 9 of them, in one batch)."""
    monkeypatch.setattr(services, "SECTOR_BATCH", 2)
    x = _sector(False)
    ents = [_enterprise(world, f"批量公司{i}", [x]) for i in range(5)]
    assert account_services.set_sector_high_risk(None, x, high_risk=True) == 5
    assert all(Enterprise.objects.get(pk=e.pk).high_risk for e in ents)
    assert [len(_class_events(e)) for e in ents] == [1] * 5

    monkeypatch.setattr(services, "SECTOR_BATCH", 2000)
    counts = []
    for n, flag in ((3, True), (9, True)):
        sector = Sector.objects.create(code=f"bulk_{n}", name=f"批量行业{n}", high_risk=False)
        for i in range(n):
            _enterprise(world, f"批量{n}公司{i}", [sector])
        with CaptureQueriesContext(connection) as ctx:
            assert account_services.set_sector_high_risk(None, sector, high_risk=flag) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def _at(day: datetime.date, hour: int = 12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_class_of_a_day_before_the_change_is_the_old_one(world, firms):
    """frequency.class_on: the sector turned high-risk two days ago and back today. Three days ago the
    enterprise was not high-risk, yesterday it was, today it is not; the override kept its own class."""
    x, ents = firms
    today = timezone.localdate()
    days = {n: today - datetime.timedelta(days=n) for n in (3, 2, 1)}
    with time_machine.travel(_at(days[2]), tick=False):
        account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
    only_x = Enterprise.objects.get(pk=ents["only_x"].pk)
    assert frequency.class_on(only_x, days[3])[0] is False
    assert frequency.class_on(only_x, days[1])[0] is True
    assert frequency.class_on(only_x, today)[0] is True
    account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=False)
    only_x = Enterprise.objects.get(pk=ents["only_x"].pk)
    assert [frequency.class_on(only_x, days[n])[0] for n in (3, 1)] == [False, True]
    assert frequency.class_on(only_x, today + datetime.timedelta(days=1))[0] is False
    with_hazchem = Enterprise.objects.get(pk=ents["x_and_hazchem"].pk)
    assert [frequency.class_on(with_hazchem, days[n])[0] for n in (3, 1)] == [True, True]


def test_a_record_made_before_the_change_is_judged_by_the_old_cap(world, firms):
    """涉企检查频次上限 (docs/rules.md): 一级 other firms 1 a year, 一级 high-risk firms 2. Inspected twice
    yesterday while not high-risk: the second record is beyond the cap of 1, also after the sector
    turned high-risk today; a record made today is the 3rd against the cap of 2."""
    from inspections import services as inspection_services

    x, ents = firms
    Enterprise.objects.filter(pk=ents["only_x"].pk).update(standardisation_grade="1")
    ent = Enterprise.objects.get(pk=ents["only_x"].pk)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if yesterday.year != timezone.localdate().year:
        pytest.skip("1 January: the yearly count starts again")

    def inspect(day):
        return inspection_services.create_record(world.user("emergency"), enterprise=ent,
                                                 inspectors=[world.user("emergency")], inspected_on=day)

    def status(rec):  # as a page reads it: the record and its enterprise from the database
        return frequency.status(type(rec).objects.select_related("enterprise").get(pk=rec.pk))

    inspect(yesterday)
    second = inspect(yesterday)
    account_services.set_sector_high_risk(None, x, high_risk=True)
    state = status(second)
    assert (state["nth"], state["high_risk"], state["cap"], state["beyond"]) == (2, False, 1, True)
    third = inspect(timezone.localdate())
    state = status(third)
    assert (state["nth"], state["high_risk"], state["cap"], state["beyond"]) == (3, True, 2, True)


# ---------------------------------------------------------------- the Django admin


def _post_sector(client, user, sector, *, high_risk: bool, **changes):
    data = admin_change_data(user, sector)
    data.pop("high_risk", None)
    if high_risk:
        data["high_risk"] = "on"
    data.update(changes)
    client.force_login(user)
    return client.post(f"/admin/accounts/sector/{sector.pk}/change/", data)


def test_a_sector_turned_high_risk_in_the_admin_takes_its_enterprises_along(client, world, firms):
    x, ents = firms
    superuser = get_user_model().objects.create_superuser("sector_admin", "s@example.invalid", "x-Pass-12345")
    response = _post_sector(client, superuser, x, high_risk=True, sort_order="7")
    assert response.status_code == 302, response.content.decode()[:1500]
    sector = Sector.objects.get(pk=x.pk)
    assert (sector.high_risk, sector.sort_order) == (True, 7)
    assert _flags(ents) == {"only_x": True, "x_and_hazchem": True, "x_and_commerce": True, "x_override_no": False,
                            "x_override_yes": True, "not_x": False}
    for key in ("only_x", "x_and_commerce"):
        assert _class_events(ents[key]) == [{"changes": {"high_risk": ["False", "True"]}}], key
    assert Event.objects.get(verb="enterprise.updated", object_id=ents["only_x"].pk).actor == superuser
    assert Event.objects.get(verb="sector.high_risk_changed", object_id=x.pk).data["enterprises"] == 2
    log = ChangeLog.objects.get(object_type="accounts.sector", object_id=str(x.pk))  # the admin's trail is kept
    assert (log.pre["high_risk"], log.post["high_risk"]) == (False, True)
    assert (log.pre["sort_order"], log.post["sort_order"]) == (100, 7)

    response = _post_sector(client, superuser, sector, high_risk=False)  # and off again
    assert response.status_code == 302
    assert _flags(ents) == BEFORE
    assert _class_events(ents["only_x"])[-1] == {"changes": {"high_risk": ["True", "False"]}}


def test_an_admin_edit_that_leaves_the_flag_writes_no_event(client, world, firms):
    x, ents = firms
    superuser = get_user_model().objects.create_superuser("sector_admin", "s@example.invalid", "x-Pass-12345")
    events = Event.objects.count()
    assert _post_sector(client, superuser, x, high_risk=False, name="试验行业（更名）").status_code == 302
    assert Sector.objects.get(pk=x.pk).name == "试验行业（更名）"
    assert Event.objects.count() == events and _flags(ents) == BEFORE
    assert ChangeLog.objects.filter(object_type="accounts.sector", object_id=str(x.pk)).count() == 1


def test_a_staff_user_who_is_not_a_superuser_is_refused_the_flag_in_the_admin(client, world, firms):
    from django.contrib.auth.models import Permission

    x, ents = firms
    staff = get_user_model().objects.create_user("sector_staff", "t@example.invalid", "x-Pass-12345", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=("change_sector", "view_sector")))
    events = Event.objects.count()
    response = _post_sector(client, staff, x, high_risk=True)
    assert response.status_code == 200
    assert account_services.SECTOR_HIGH_RISK_REFUSAL in response.context["adminform"].form.non_field_errors()
    assert Sector.objects.get(pk=x.pk).high_risk is False and _flags(ents) == BEFORE
    assert Event.objects.count() == events


def test_a_stale_admin_form_whose_flag_was_changed_meanwhile_is_refused_on_the_form_and_saves_nothing(
        client, world, firms):
    """The page was opened (否), another superuser turned the sector high-risk, then the first ticks
    是 and changes 排序: the compare-and-set against what the form showed loses (StaleState) — a
    Chinese refusal at the top of the form (the flag as it is now), nothing of the edit saved, no change
    log. Sent again as shown then (the flag now 是), the edit goes through."""
    x, ents = firms
    superuser = get_user_model().objects.create_superuser("sector_admin", "s@example.invalid", "x-Pass-12345")
    other = get_user_model().objects.create_superuser("other_admin", "o@example.invalid", "x-Pass-12345")
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/sector/{x.pk}/change/").content.decode()
    assert 'name="high_risk_seen" value="0"' in page  # what the browser sends back
    data = admin_change_data(superuser, x)
    assert data["high_risk_seen"] == "0"
    account_services.set_sector_high_risk(other, Sector.objects.get(pk=x.pk), high_risk=True)  # meanwhile
    events = Event.objects.count()
    data.update(high_risk="on", sort_order="7")
    response = client.post(f"/admin/accounts/sector/{x.pk}/change/", data)
    assert response.status_code == 200
    errors = list(response.context["adminform"].form.non_field_errors())
    assert len(errors) == 1 and "已被他人修改" in errors[0] and "现为“是”" in errors[0] and "未保存" in errors[0], errors
    assert "已被他人修改" in response.content.decode()
    sector = Sector.objects.get(pk=x.pk)
    assert (sector.high_risk, sector.sort_order) == (True, 100)  # the other's flag; not the 7
    assert Event.objects.count() == events
    assert not ChangeLog.objects.filter(object_type="accounts.sector", object_id=str(x.pk)).exists()
    assert _flags(ents)["only_x"] is True  # followed the other's change, once
    assert _class_events(ents["only_x"]) == [{"changes": {"high_risk": ["False", "True"]}}]
    # shown again: the user's input, the flag as it is now in the hidden field
    assert 'name="high_risk_seen" value="1"' in response.content.decode()
    assert 'name="sort_order" value="7"' in response.content.decode()

    data["high_risk_seen"] = "1"
    response = client.post(f"/admin/accounts/sector/{x.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    sector = Sector.objects.get(pk=x.pk)
    assert (sector.high_risk, sector.sort_order) == (True, 7)
    assert Event.objects.count() == events  # the flag did not change again
    assert ChangeLog.objects.filter(object_type="accounts.sector", object_id=str(x.pk)).count() == 1


def test_a_stale_admin_form_that_leaves_the_flag_alone_does_not_undo_the_change_made_meanwhile(client, world, firms):
    """Opened while 否; another turned it 是; the first renames the sector, the box left as shown (unticked):
    the rename is saved and the flag stays 是 — the form's stale box is not a decision to turn it off."""
    x, ents = firms
    superuser = get_user_model().objects.create_superuser("sector_admin", "s@example.invalid", "x-Pass-12345")
    data = admin_change_data(superuser, x)
    account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
    data.pop("high_risk", None)
    data["name"] = "试验行业（更名）"
    client.force_login(superuser)
    response = client.post(f"/admin/accounts/sector/{x.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    sector = Sector.objects.get(pk=x.pk)
    assert (sector.name, sector.high_risk) == ("试验行业（更名）", True)
    assert _flags(ents)["only_x"] is True
    assert Event.objects.filter(verb="sector.high_risk_changed").count() == 1
    log = ChangeLog.objects.get(object_type="accounts.sector", object_id=str(x.pk))
    assert (log.pre["high_risk"], log.post["high_risk"], log.post["name"]) == (True, True, "试验行业（更名）")


# ---------------------------------------------------------------- writers that derive 高危 read the committed flag
# (sequential here, on any database: the caller holds sector objects read before the flag changed;
# the two-connection races are in test_sector_high_risk_race.py, PostgreSQL)


def test_an_edit_holding_a_sector_read_before_the_flag_changed_derives_from_the_flag_as_it_is(world, firms):
    x, ents = firms
    stale_sector = Sector.objects.get(pk=x.pk)  # 否, as an edit form read it
    stale_ent = Enterprise.objects.get(pk=ents["only_x"].pk)  # 高危 否
    employees = stale_ent.employees
    account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
    services.update_enterprise(None, stale_ent, sectors=[stale_sector], employees=31)
    assert Enterprise.objects.get(pk=stale_ent.pk).high_risk is True  # the sector is high-risk now
    # the class changed once (the sector's change), not again by the edit
    events = _class_events(stale_ent)
    assert [e["changes"].get("high_risk") for e in events] == [["False", "True"], None], events
    assert events[1]["changes"]["employees"] == [str(employees), "31"]


def test_a_new_enterprise_given_a_sector_read_before_the_flag_changed_derives_from_the_flag_as_it_is(world):
    x = _sector(False)
    stale_sector = Sector.objects.get(pk=x.pk)
    account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
    ent = _enterprise(world, "新登记的公司", [stale_sector])
    assert Enterprise.objects.get(pk=ent.pk).high_risk is True


def test_an_import_whose_sectors_were_read_before_the_flag_changed_derives_from_the_flag_as_it_is(world, monkeypatch):
    """The import reads the sectors when it validates and writes later: the flag changed in between
    (a superuser in the admin) — the units it creates and updates derive from the flag as it is."""
    from enterprises import importing

    x = _sector(False)
    existing = _enterprise(world, "已登记的公司", [x])
    write = importing._write

    def flag_changes_then_write(*args, **kwargs):
        account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
        return write(*args, **kwargs)

    monkeypatch.setattr(importing, "_write", flag_changes_then_write)
    new_code = make_credit_code(f"91120105MA7{next(_codes):06d}")
    rows = [{"单位名称": "已登记的公司（更名）", "统一社会信用代码": existing.credit_code,
             "乡镇（街道）代码": world.townships[0].code, "行业领域": x.code},
            {"单位名称": "导入新登记的公司", "统一社会信用代码": new_code,
             "乡镇（街道）代码": world.townships[0].code, "行业领域": x.code}]
    result = importing.import_enterprises(None, rows, dry_run=False)
    assert (result.errors, result.created, result.updated) == ([], 1, 1)
    assert Enterprise.objects.get(pk=existing.pk).high_risk is True
    assert Enterprise.objects.get(credit_code=new_code).high_risk is True
