"""Persons in enforcement records carry their 公民身份号码, and rows 3.5 / 3.9 count persons by it.

DISPATCH_TABLE.md counts 移送司法机关 and 责任倒查追责问责 in 人. Two people who share a name (张伟) are
two persons; one person whose name was written two ways (张伟 / 張偉) is one. The numbers used here
are built by the test's own GB 11643-1999 check character (ISO 7064 MOD 11-2, written out below),
not by the code under test; the figures are counted by hand."""

import datetime

import pytest
from django.utils import timezone

from core import idnumber
from core.events import Event
from core.services import ServiceError
from core.testing import exported
from enforcement import dispatch, services
from enforcement.models import Accountability, CaseParty

from .helpers import entity, notified_case, principal

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def gb11643(first17: str) -> str:
    """GB 11643-1999 §8.2: the check character of the first 17 digits."""
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


ZHANG_A = gb11643("42088119800101123")   # 湖北省钟祥市, born 1980-01-01
ZHANG_B = gb11643("11010519751231004")   # 北京市朝阳区, born 1975-12-31
ZHAO = gb11643("32010219690715002")      # 南京市玄武区, born 1969-07-15


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# ---------------------------------------------------------------- the number itself

def test_a_valid_number_is_kept_normalised_and_shown_masked():
    x_number = next(n for n in (gb11643(f"1101051949123100{i}") for i in range(10)) if n.endswith("X"))
    assert idnumber.clean(f" {x_number[:6]} {x_number[6:-1]}{x_number[-1].lower()} ") == x_number
    assert idnumber.masked(ZHANG_A) == ZHANG_A[:6] + "********" + ZHANG_A[-4:]
    assert "19800101" not in idnumber.masked(ZHANG_A)
    assert idnumber.clean("") == "" and idnumber.masked("") == ""


def test_a_number_whose_county_code_is_younger_than_its_holder_is_valid():
    """18-digit numbers were assigned from 1999 with the county code current then: a person born in
    1970 in 南京市玄武区 (320102, a code since 1983) holds 320102 19700101 ….; a 台湾居民居住证 number
    begins 83."""
    born_1970 = gb11643("32010219700101123")
    assert idnumber.clean(born_1970) == born_1970
    assert idnumber.clean(gb11643("83000019850601002")) == gb11643("83000019850601002")


@pytest.mark.parametrize("value, reason", [
    (ZHANG_A[:17] + ("0" if ZHANG_A[-1] != "0" else "1"), "校验位"),
    ("420881800101123", "18位"),                       # a first-generation 15-digit number
    (ZHANG_A[:16], "应为18位"),
    ("42088119800101A23X", "前17位应为数字"),
    (gb11643("42088119801301123"), "出生日期"),        # month 13, a correct check character
    (gb11643("99088119800101123"), "行政区划代码"),    # no province 99, a correct check character
    (gb11643("42088130000101123"), "晚于今天"),        # born in 3000
])
def test_an_invalid_number_is_refused_with_its_reason(value, reason):
    with pytest.raises(ServiceError) as err:
        idnumber.clean(value, "id_number")
    assert reason in err.value.message and err.value.field == "id_number"


# ---------------------------------------------------------------- rows 3.5 and 3.9

def test_two_people_of_one_name_transferred_are_two_persons_one_person_written_two_ways_is_one(world):
    """Case 1: principal 张伟 (ZHANG_A) and another 张伟 (ZHANG_B) transferred; case 2: the principal
    written 張偉 with ZHANG_A transferred again. Persons: ZHANG_A, ZHANG_B = 2 (by name alone: 张伟,
    張偉 = 2 as well, but for the wrong reason — checked below with a third case)."""
    handler = world.user("commerce")
    first = notified_case(world, parties=[("other", "张伟")])
    second = notified_case(world, title="另案", parties=[("other", "張偉")])
    services.set_party_id_number(handler, first, party=first.parties.get(name="张伟"), id_number=ZHANG_B)
    services.set_party_id_number(handler, second, party=second.parties.get(name="張偉"), id_number=ZHANG_A)
    services.set_party_id_number(handler, first, party=principal(first), id_number=ZHANG_A)
    CaseParty.objects.filter(pk=principal(first).pk).update(name="张伟")
    services.transfer(handler, first, party=principal(first), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    services.transfer(handler, first, party=first.parties.get(name="张伟", role="other"), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    services.transfer(handler, second, party=second.parties.get(name="張偉"), reason="涉嫌危险作业罪", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    assert dispatch.unit_rows(world.org("commerce"), _day(-1), _day(0))["3.5"] == 2
    assert dispatch.region_rows(world.district, _day(-1), _day(0))["3.5"] == 2
    # a third case: a 张伟 without a number — a name alone is one more person only if no numbered
    # record could be him; it is counted by name (3), the number being what identifies a person
    third = notified_case(world, title="第三案", parties=[("other", "张伟")])
    services.transfer(handler, third, party=third.parties.get(name="张伟", role="other"), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    assert dispatch.unit_rows(world.org("commerce"), _day(-1), _day(0))["3.5"] == 3


def test_accountability_counts_a_person_by_number_when_recorded(world):
    committee = world.user("committee")
    services.record_accountability(committee, person_name="赵某", measure="诫勉谈话", id_number=ZHAO)
    services.record_accountability(committee, person_name="赵 某", measure="党内警告", id_number=ZHAO)  # same person
    services.record_accountability(committee, person_name="钱某", measure="通报批评", id_number=ZHANG_A)
    services.record_accountability(committee, person_name="钱某", measure="通报批评", id_number=ZHANG_B)  # another 钱某
    services.record_accountability(committee, person_name="孙某", measure="通报批评")
    services.record_accountability(committee, person_name="孙某", measure="诫勉谈话")  # by name: one
    # ZHAO, ZHANG_A, ZHANG_B, 孙某 = 4
    assert dispatch.unit_rows(world.org("committee"), _day(-1), _day(0))["3.9"] == 4
    assert dispatch.region_rows(world.district, _day(-1), _day(0))["3.9"] == 4


# ---------------------------------------------------------------- recording it

def test_the_number_is_recorded_with_a_masked_event_and_refused_once_the_case_is_closed(world):
    handler = world.user("commerce")
    case = services.open_case(handler, enterprise=world.ent_commerce, title="案由", facts="事实")
    party = services.set_party_id_number(handler, case, party=principal(case), id_number=ZHANG_A.lower())
    assert CaseParty.objects.get(pk=party.pk).id_number == ZHANG_A
    event = Event.objects.filter(verb="case.party_identified", object_id=case.pk).get()
    assert event.data["to"] == idnumber.masked(ZHANG_A) and ZHANG_A not in str(event.data)
    # the same number again changes nothing and writes nothing; a correction is a second event
    services.set_party_id_number(handler, case, party=principal(case), id_number=ZHANG_A)
    assert Event.objects.filter(verb="case.party_identified", object_id=case.pk).count() == 1
    services.set_party_id_number(handler, case, party=principal(case), id_number=ZHANG_B)
    fixed = Event.objects.filter(verb="case.party_identified", object_id=case.pk).order_by("-pk").first()
    assert (fixed.data["from"], fixed.data["to"]) == (idnumber.masked(ZHANG_A), idnumber.masked(ZHANG_B))
    with pytest.raises(ServiceError) as err:
        services.set_party_id_number(handler, case, party=entity(case), id_number=ZHANG_B)
    assert err.value.field == "party"
    other = services.open_case(handler, enterprise=world.ent_commerce, title="另案", facts="事实")
    with pytest.raises(ServiceError):
        services.set_party_id_number(handler, case, party=principal(other), id_number=ZHAO)
    services.advance(handler, case, "close", note="不予立案")
    case.refresh_from_db()
    with pytest.raises(ServiceError):
        services.set_party_id_number(handler, case, party=principal(case), id_number=ZHAO)
    assert CaseParty.objects.get(pk=party.pk).id_number == ZHANG_B


def test_the_case_page_takes_a_number_shows_it_masked_and_refuses_a_bad_one_keeping_nothing(client, world):
    handler = world.user("commerce")
    client.force_login(handler)
    case = notified_case(world)
    url = f"/enforcement/cases/{case.pk}/party_id/"
    bad = client.post(url, {"party_id-party": principal(case).pk, "party_id-id_number": ZHANG_A[:17] + "Y"})
    assert bad.status_code == 400 and "前17位应为数字" in bad.content.decode()
    assert CaseParty.objects.get(pk=principal(case).pk).id_number == ""
    ok = client.post(url, {"party_id-party": principal(case).pk, "party_id-id_number": ZHANG_A})
    assert ok.status_code == 302
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert idnumber.masked(ZHANG_A) in page and ZHANG_A not in page
    api = client.get(f"/api/v1/cases/{case.pk}/").json()
    numbers = {p["name"]: p["id_number_masked"] for p in api["parties"]}
    assert numbers[principal(case).name] == idnumber.masked(ZHANG_A) and ZHANG_A not in str(api)


def test_a_party_added_on_the_page_keeps_its_number(client, world):
    handler = world.user("commerce")
    client.force_login(handler)
    case = services.open_case(handler, enterprise=world.ent_commerce, title="案由", facts="事实")
    r = client.post(f"/enforcement/cases/{case.pk}/party/",
                    {"party-name": "孙某", "party-role": "other", "party-id_number": ZHANG_B})
    assert r.status_code == 302
    assert case.parties.get(name="孙某").id_number == ZHANG_B
    r = client.post(f"/enforcement/cases/{case.pk}/party/",
                    {"party-name": "李某", "party-role": "other", "party-id_number": "123"})
    assert r.status_code == 400 and "公民身份号码应为18位" in r.content.decode()
    assert not case.parties.filter(name="李某").exists()


@pytest.mark.parametrize("who, status", [
    ("housing", 404), ("other_region", 404), ("enterprise_other", 404),  # another sector, region, enterprise
    ("enterprise", 403), ("emergency", 403),  # they see the case; only its handler acts on it
    (None, 302),  # anonymous: to the login page
])
def test_only_the_handler_records_a_number(client, world, who, status):
    case = notified_case(world)
    if who:
        client.force_login(world.user(who))
    r = client.post(f"/enforcement/cases/{case.pk}/party_id/",
                    {"party_id-party": principal(case).pk, "party_id-id_number": ZHANG_A})
    assert r.status_code == status
    assert CaseParty.objects.get(pk=principal(case).pk).id_number == ""


def test_the_accountability_page_records_the_number_and_lists_and_exports_it_masked(client, world):
    import io

    import openpyxl

    client.force_login(world.user("committee"))
    r = client.post("/enforcement/facts/accountability/new/",
                    {"acc-person_name": "赵某", "acc-measure": "诫勉谈话", "acc-id_number": ZHAO,
                     "acc-date": timezone.localdate().isoformat()})
    assert r.status_code == 302
    assert Accountability.objects.get(person_name="赵某").id_number == ZHAO
    page = client.get("/enforcement/accountability/").content.decode()
    assert idnumber.masked(ZHAO) in page and ZHAO not in page
    _job, content = exported(client, "/enforcement/accountability/export.xlsx")
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row]
    assert idnumber.masked(ZHAO) in cells and ZHAO not in cells
    bad = client.post("/enforcement/facts/accountability/new/",
                      {"acc-person_name": "钱某", "acc-measure": "通报批评", "acc-id_number": gb11643("42088119801301123"),
                       "acc-date": timezone.localdate().isoformat()})
    assert bad.status_code == 400 and "出生日期无效" in bad.content.decode()
    assert not Accountability.objects.filter(person_name="钱某").exists()


def test_the_decision_served_on_a_person_names_his_whole_number(client, world):
    """The 行政处罚决定书 identifies the person it is served on (the pages show the number masked)."""
    from documents.render import docx_text

    from .helpers import article

    handler = world.user("commerce")
    case = notified_case(world)
    services.set_party_id_number(handler, case, party=principal(case), id_number=ZHANG_A)
    fine = services.decide_penalty(handler, case, party=principal(case), article=article(94), amount=30000)
    client.force_login(handler)
    text = docx_text(client.get(f"/enforcement/decisions/{fine.pk}/document/").content)
    assert "公民身份号码" in text and ZHANG_A in text
    unit_fine = services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=30000)
    assert "公民身份号码" not in docx_text(client.get(f"/enforcement/decisions/{unit_fine.pk}/document/").content)
