"""The data step of enforcement 0004: existing records are placed once, from what the database knows."""

import importlib

from django.apps import apps

from enforcement import services

from .helpers import notified_case

placed = importlib.import_module("enforcement.migrations.0004_placed_records")


def test_existing_cases_take_their_enterprise_s_place_and_measures_and_typical_cases_their_case_s(world):
    """Before 0004 no record kept its place: a case takes its enterprise's place at migration time,
    a measure or typical case its case's, a measure without a case its enterprise's."""
    from enforcement.models import Case, EnterpriseMeasure, TypicalCase

    com, emg = world.user("commerce"), world.user("emergency")
    case = notified_case(world)
    other = notified_case(world, persona="emergency", ent=world.ent_construction)
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
