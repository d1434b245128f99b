"""The demo shows a 移送司法机关 (a person, 涉嫌危险作业罪, with a valid 公民身份号码) and 责任倒查追责问责
records, so dispatch rows 3.5 and 3.9 are not 0 where they were handled.

The expected figures are counted here from the records themselves (one person per 公民身份号码, or per
name where none was recorded), and the check character is recomputed by the test's own GB 11643
routine, not by the demo's helper."""

import datetime

from django.utils import timezone

from core import idnumber
from core.models import Event
from enforcement import demo, dispatch
from enforcement.models import Accountability, Case, CaseParty, Decision

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_character(first17: str) -> str:
    """GB 11643-1999 §8.2: Σ(digit × weight) mod 11 → 1 0 X 9 8 7 6 5 4 3 2."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def _person(id_number: str, name: str) -> str:
    return id_number if id_number else f"name:{name}"


def _transfers():
    return Decision.objects.filter(kind=Decision.Kind.TRANSFER, status=Decision.Status.EFFECTIVE).select_related("party", "case")


def test_the_demo_transfers_a_person_with_a_valid_identity_number_for_dangerous_operations(world):
    demo.load(world.ctx)
    transfers = list(_transfers())
    assert transfers
    flagged = [d for d in transfers if d.dangerous_ops and d.party.id_number]
    assert flagged, "no transfer flagged 涉嫌危险作业罪 whose person carries a 公民身份号码"
    d = flagged[0]
    number = d.party.id_number
    assert d.party.kind == CaseParty.Kind.PERSON
    assert idnumber.clean(number) == number
    assert number[17] == check_character(number[:17])
    assert number.startswith("12")  # a 天津 number, the demo's province
    assert "第一百三十四条之一" in d.reason
    assert d.decided_on < timezone.localdate() and d.decided_on >= d.case.opened_on
    assert Event.objects.filter(verb="case.transfer", data__decision=d.pk).exists()


def test_the_demo_records_officials_held_accountable_one_with_a_valid_identity_number(world):
    demo.load(world.ctx)
    rows = list(Accountability.objects.all())
    assert rows
    numbered = [a for a in rows if a.id_number]
    assert numbered
    for a in numbered:
        assert idnumber.clean(a.id_number) == a.id_number and a.id_number[17] == check_character(a.id_number[:17])
    assert all(a.date <= timezone.localdate() for a in rows)
    assert Event.objects.filter(verb="enforcement.accountability").count() == len(rows)


def test_dispatch_rows_3_5_and_3_9_count_the_demo_persons_where_they_were_handled(world):
    demo.load(world.ctx)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=90)
    district = world.district

    transfers = [d for d in _transfers() if start <= d.decided_on <= today]
    by_unit: dict = {}
    for d in transfers:
        by_unit.setdefault(d.decided_by_org, set()).add(_person(d.party.id_number, d.party.name))
    in_district = {_person(d.party.id_number, d.party.name) for d in transfers if d.case.county_code == district.code}
    assert len(in_district) >= 1 and by_unit
    assert dispatch.region_rows(district, start, today)["3.5"] == len(in_district)
    for unit, persons in by_unit.items():
        assert dispatch.unit_rows(unit, start, today)["3.5"] == len(persons) >= 1, unit.name

    held = [a for a in Accountability.objects.select_related("organisation") if start <= a.date <= today]
    acc_by_unit: dict = {}
    for a in held:
        acc_by_unit.setdefault(a.organisation, set()).add(_person(a.id_number, a.person_name))
    acc_in_district = {_person(a.id_number, a.person_name) for a in held if a.county_code == district.code}
    assert len(acc_in_district) >= 1 and acc_by_unit
    assert dispatch.region_rows(district, start, today)["3.9"] == len(acc_in_district)
    for unit, persons in acc_by_unit.items():
        assert dispatch.unit_rows(unit, start, today)["3.9"] == len(persons) >= 1, unit.name


def test_loading_twice_adds_nothing_and_an_older_demo_database_gains_the_new_rows_once(world):
    """A database loaded before the transfer and the accountability records existed (only the three
    first cases) gains them on the next load; a further load adds nothing."""
    demo._cases(world.ctx)
    assert not _transfers().exists() and not Accountability.objects.exists()
    demo.load(world.ctx)
    counts = (Case.objects.count(), Decision.objects.count(), Accountability.objects.count(), Event.objects.count())
    assert _transfers().count() == 1 and Accountability.objects.count() == 2
    demo.load(world.ctx)
    assert (Case.objects.count(), Decision.objects.count(), Accountability.objects.count(), Event.objects.count()) == counts
