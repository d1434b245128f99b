"""Catalogue honesty (DOMAIN.md §1, §6): the item lists of ROAD-2023 (only art. 3's 5 general
items known), METAL-MINE-2022, INLAND-SHIP-2024 and CIVIL-EXPLOSIVES-2023 are incomplete → flagged
``items_pending``; HOUSING-2022 (repealed by 建质规〔2024〕5号 art. 18) carries a repeal date — the
repealing document's date 2024-12-13 (the repeal's effective date was not found: R)."""

import datetime

from django.db import migrations

INCOMPLETE = ("ROAD-2023", "METAL-MINE-2022", "INLAND-SHIP-2024", "CIVIL-EXPLOSIVES-2023")


def forward(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    Standard.objects.filter(code__in=INCOMPLETE, is_current=True).update(items_pending=True, expected_item_count=None)
    Standard.objects.filter(code="HOUSING-2022", repealed__isnull=True).update(
        repealed=datetime.date(2024, 12, 13), status="repealed")


def backward(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    Standard.objects.filter(code__in=INCOMPLETE, is_current=True).update(items_pending=False)


class Migration(migrations.Migration):
    dependencies = [("standards", "0002_load_catalogue")]
    operations = [migrations.RunPython(forward, backward)]
