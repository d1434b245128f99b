"""The data steps of enforcement 0004 (records placed once, from what the database knows) and 0005 (listings' last day)."""

import importlib

from django.apps import apps

from enforcement import services

from .helpers import decided_case

placed = importlib.import_module("enforcement.migrations.0004_placed_records")


def test_existing_cases_take_their_enterprise_s_place_and_measures_and_typical_cases_their_case_s(world):
    """Before 0004 no record kept its place: a case takes its enterprise's place at migration time,
    a measure or typical case its case's, a measure without a case its enterprise's."""
    from enforcement.models import Case, EnterpriseMeasure, TypicalCase

    com, emg = world.user("commerce"), world.user("emergency")
    case = decided_case(world)
    other = decided_case(world, persona="emergency", ent=world.ent_construction)
    services.advance(emg, other, "close")
    services.add_measure(com, enterprise=world.ent_commerce, kind="exposure", case=case)
    services.add_measure(world.user("other_region"), enterprise=world.ent_other_region, kind="interview")
    services.publish_typical(emg, other, title="案例", summary="……")
    blank = {f"{lv}_code": "" for lv in placed.LEVELS}
    for model in (Case, EnterpriseMeasure, TypicalCase):
        model.objects.update(**blank)

    placed.place_existing_records(apps, None)

    def codes(row):
        return tuple(getattr(row, f"{lv}_code") for lv in placed.LEVELS)

    for c in Case.objects.select_related("enterprise"):
        assert codes(c) == codes(c.enterprise) and c.county_code
    for row in list(EnterpriseMeasure.objects.all()) + list(TypicalCase.objects.all()):
        assert codes(row) == codes(row.case if row.case_id else row.enterprise)
    assert EnterpriseMeasure.objects.get(case__isnull=True).county_code == world.ent_other_region.county_code


ends = importlib.import_module("enforcement.migrations.0005_creditlisting_ends_on")


def test_existing_listings_get_their_last_day_from_their_start_and_term(world):
    """0005 writes ``ends_on`` of the listings that exist, from start and duration (dates from the
    calendar: 2024 is a leap year, 2023 is not)."""
    import datetime

    from enforcement.models import CreditListing

    com = world.user("commerce")
    decided_case(world)  # the unit was penalised (the ground of a listing)
    a = services.propose_listing(com, enterprise=world.ent_commerce, reason="多次处罚", start=datetime.date(2023, 11, 30),
                                 duration_months=3)
    b = services.propose_listing(com, enterprise=world.ent_commerce, reason="多次处罚", start=datetime.date(2022, 11, 30),
                                 duration_months=3)
    c = services.propose_listing(com, enterprise=world.ent_commerce, reason="多次处罚", start=datetime.date(2021, 3, 15),
                                 duration_months=36)
    CreditListing.objects.update(ends_on=datetime.date(1900, 1, 1))

    ends.fill_ends_on(apps, None)

    got = {row.pk: row.ends_on for row in CreditListing.objects.all()}
    assert got == {a.pk: datetime.date(2024, 2, 29), b.pk: datetime.date(2023, 2, 28), c.pk: datetime.date(2024, 3, 15)}
