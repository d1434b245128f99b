"""行业禁入 as 安全生产法 第九十四条第二款 words it: "生产经营单位的主要负责人依照前款规定受刑事处罚或者撤职处分的，
自刑罚执行完毕或者受处分之日起，五年内不得担任任何生产经营单位的主要负责人；对重大、特别重大生产安全事故负有责任的，
终身不得担任本行业生产经营单位的主要负责人。" The ground is required and sets the term; a five-year ban runs
from the end of the sentence or the day of the 处分; a lifetime ban rests on a 重大/特别重大 accident of the unit;
the person is the unit's 主要负责人. Expected terms and days are written here from that text."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from core.events import events_for
from core.services import NotPermitted, ServiceError
from enforcement import rules, services
from enforcement.models import SectorBan

from .helpers import decided_case, principal

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _accident(world, *, deaths):
    from accidents import services as acs

    ent = world.ent_commerce
    occurred = timezone.now() - datetime.timedelta(days=3)
    return acs.report_accident(world.user("enterprise"), region=ent.region, place="仓库", enterprise=ent,
                               sector=Sector.objects.get(code="commerce"), accident_type="fire", occurred_at=occurred,
                               learned_at=occurred + datetime.timedelta(minutes=10),
                               reported_at=occurred + datetime.timedelta(minutes=30), deaths=deaths, summary="仓库火灾。")


def _ban(world, case, **kw):
    kw.setdefault("person_name", principal(case).name)
    return services.ban_person(world.user("commerce"), case, **kw)


@pytest.mark.parametrize("ground", ["criminal", "dismissal"])
def test_a_sentence_or_a_dismissal_bars_for_five_years_from_its_day(world, ground):
    case = decided_case(world)
    ban = _ban(world, case, ground=ground, start=datetime.date(2024, 3, 10))
    assert ban.term == "five_years" and ban.accident is None and ban.sector is None
    assert ban.ends_on == datetime.date(2029, 3, 9)  # 五年内: up to the day before the fifth anniversary
    assert ban.in_force(datetime.date(2029, 3, 9)) and not ban.in_force(datetime.date(2029, 3, 10))
    assert not ban.in_force(datetime.date(2024, 3, 9))
    event = events_for(case.enterprise).get(verb="credit.ban")
    assert event.data["ground"] == ground and event.data["start"] == "2024-03-10"


def test_a_ban_from_29_february_ends_on_28_february():
    assert SectorBan(term="five_years", start=datetime.date(2024, 2, 29)).ends_on == datetime.date(2029, 2, 28)


def test_the_five_year_ban_needs_the_day_it_runs_from_and_not_a_future_one(world):
    case = decided_case(world)
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, ground="criminal")
    assert exc.value.field == "start" and "刑罚执行完毕之日" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, ground="dismissal")
    assert exc.value.field == "start" and "受处分之日" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, ground="dismissal", start=_day(1))
    assert exc.value.field == "start"
    assert not SectorBan.objects.exists()


def test_no_ban_without_a_ground(world):
    case = decided_case(world)
    for ground in ("", "five_years", None):
        with pytest.raises(ServiceError) as exc:
            _ban(world, case, ground=ground, start=_day(-1))
        assert exc.value.field == "ground" and "第九十四条" in exc.value.message
    assert not SectorBan.objects.exists()


def test_a_lifetime_ban_rests_on_a_major_accident_of_the_unit(world):
    case = decided_case(world)
    major = _accident(world, deaths=10)  # 493号令 第三条: 10人以上30人以下死亡 — 重大事故
    assert major.grade == "major"
    from enforcement.forms import BanForm

    form = BanForm(case=case)
    assert list(form.fields["accident"].queryset) == [major] and not form.fields["accident"].help_text
    ban = _ban(world, case, ground="accident", accident=major)
    assert (ban.term, ban.start, ban.ends_on, ban.accident) == ("lifetime", _day(0), None, major)
    assert ban.in_force(_day(365 * 60))
    # 本行业 is the accident's 行业领域, recorded with the ban: a later change of the unit's sectors does not move it
    assert ban.sector == major.sector == Sector.objects.get(code="commerce")
    case.enterprise.sectors.set([Sector.objects.get(code="tourism")])
    ban = SectorBan.objects.get(pk=ban.pk)
    assert "终身不得担任本行业（商贸服务和仓储物流）生产经营单位的主要负责人" in str(ban)
    assert events_for(case.enterprise).get(verb="credit.ban").data["sector"] == "commerce"


def test_no_lifetime_ban_for_a_larger_or_general_accident_or_none(world):
    case = decided_case(world)
    larger = _accident(world, deaths=3)  # 3人以上10人以下死亡 — 较大事故
    assert larger.grade == "larger"
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, ground="accident", accident=larger)
    assert exc.value.field == "accident" and "较大事故" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, ground="accident")
    assert exc.value.field == "accident"
    assert not SectorBan.objects.exists()


def test_an_accident_of_another_unit_is_refused(world):
    major = _accident(world, deaths=12)  # of 鑫隆商贸
    other = decided_case(world, persona="emergency", ent=world.ent_construction)
    with pytest.raises(ServiceError) as exc:
        services.ban_person(world.user("emergency"), other,
                            person_name=principal(other).name, ground="accident", accident=major)
    assert exc.value.field == "accident"
    assert not SectorBan.objects.exists()


def test_the_person_is_a_principal_of_the_case(world):
    case = decided_case(world)
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, person_name="某安全员", ground="dismissal", start=_day(-1))
    assert exc.value.field == "person_name" and "主要负责人" in exc.value.message


def test_the_same_ban_is_not_recorded_twice(world):
    case = decided_case(world)
    _ban(world, case, ground="dismissal", start=_day(-1))
    with pytest.raises(ServiceError) as exc:
        _ban(world, case, ground="dismissal", start=_day(-1))
    assert exc.value.field == "person_name" and "已登记" in exc.value.message
    assert SectorBan.objects.count() == 1


def test_the_credit_status_lists_bans_in_force_and_keeps_lapsed_ones(world):
    case = decided_case(world)
    lapsed = _ban(world, case, ground="criminal", start=datetime.date(2019, 1, 1))  # ended 2023-12-31
    current = _ban(world, case, ground="dismissal", start=_day(-10))
    assert rules.credit_status(case.enterprise)["bans"] == [current]
    assert SectorBan.objects.filter(pk=lapsed.pk).exists()


def test_the_case_page_records_a_ban_and_shows_it(client, world):
    case = decided_case(world)
    client.force_login(world.user("commerce"))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="action-form-ban"' in page and principal(case).name in page
    assert "本单位没有重大、特别重大生产安全事故记录" in page  # no accident to choose: the form says so
    r = client.post(f"/enforcement/cases/{case.pk}/ban/", {"ban-person_name": principal(case).name,
                                                          "ban-ground": "dismissal", "ban-start": "", "ban-reason": ""})
    assert r.status_code == 400 and "受处分之日" in r.content.decode()
    assert not SectorBan.objects.exists()
    r = client.post(f"/enforcement/cases/{case.pk}/ban/", {"ban-person_name": principal(case).name,
                                                          "ban-ground": "dismissal", "ban-start": _day(-3).isoformat(),
                                                          "ban-reason": "受撤职处分"})
    assert r.status_code == 302
    ban = SectorBan.objects.get()
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'data-testid="ban-{ban.pk}"' in page and "五年内不得担任任何生产经营单位的主要负责人" in page
    detail = client.get(f"/enterprises/{case.enterprise_id}/").content.decode()
    assert "行业禁入" in detail and principal(case).name in detail


def test_the_ban_form_is_not_offered_without_a_principal_party_nor_before_the_decision(client, world):
    from enforcement.models import CaseParty

    case = decided_case(world)
    client.force_login(world.user("commerce"))
    CaseParty.objects.filter(case=case, role=CaseParty.Role.PRINCIPAL).update(role=CaseParty.Role.OTHER)
    assert 'data-testid="action-form-ban"' not in client.get(f"/enforcement/cases/{case.pk}/").content.decode()


@pytest.mark.parametrize("persona,status", [("enterprise", 403), ("enterprise_other", 404), ("other_region", 404),
                                            ("housing", 404), ("commerce_lead", 302)])
def test_who_may_record_a_ban_on_the_case_page(client, world, persona, status):
    """The case's handlers (立案单位's officers) record it; the unit itself may not; another sector, another region
    and another enterprise do not see the case."""
    case = decided_case(world)
    data = {"ban-person_name": principal(case).name, "ban-ground": "dismissal", "ban-start": _day(-1).isoformat()}
    client.force_login(world.user(persona))
    assert client.post(f"/enforcement/cases/{case.pk}/ban/", data).status_code == status
    assert SectorBan.objects.exists() == (status == 302)


def test_anonymous_is_sent_to_the_login_and_the_service_refuses_an_enterprise(client, world):
    case = decided_case(world)
    data = {"ban-person_name": principal(case).name, "ban-ground": "dismissal", "ban-start": _day(-1).isoformat()}
    r = client.post(f"/enforcement/cases/{case.pk}/ban/", data)
    assert r.status_code == 302 and "/login" in r["Location"]
    with pytest.raises(NotPermitted):
        services.ban_person(world.user("enterprise"), case, person_name=principal(case).name, ground="dismissal",
                            start=_day(-1))
    assert not SectorBan.objects.exists()


def test_the_service_records_a_ban_only_in_its_case_from_the_decision_on_by_the_case_handler(world):
    """The service holds the page's rules (FORM_STAGES["ban"], the handler): before the decision the case has
    established nothing a ban rests on; an officer of another department who sees the unit (应急管理局, the
    comprehensive supervisor) does not record a ban in the 商务局's case."""
    from enterprises.models import Enterprise

    from .helpers import notified_case

    early = notified_case(world)  # at 告知, its 主要负责人 a party since the filing
    with pytest.raises(ServiceError) as exc:
        _ban(world, early, ground="dismissal", start=_day(-1))
    assert exc.value.field == "kind" and "告知" in exc.value.message
    case = decided_case(world)
    emergency = world.user("emergency")
    assert Enterprise.objects.visible_to(emergency).filter(pk=case.enterprise_id).exists()
    with pytest.raises(NotPermitted):
        services.ban_person(emergency, case, person_name=principal(case).name, ground="dismissal", start=_day(-1))
    assert not SectorBan.objects.exists()
    assert _ban(world, case, ground="dismissal", start=_day(-1)).case == case
