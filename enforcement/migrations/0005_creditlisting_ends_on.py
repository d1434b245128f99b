import datetime

from django.db import migrations, models


def months_after(start: datetime.date, months: int) -> datetime.date:
    """A frozen copy of ``enforcement.rules.months_after`` as it stood when this migration was
    written (a migration must not change when the rule's module does)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    day = min(start.day, [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return datetime.date(year, month, day)


def fill_ends_on(apps, schema_editor):
    """Every existing listing's last day in force, from its start and duration."""
    CreditListing = apps.get_model("enforcement", "CreditListing")
    for row in CreditListing.objects.only("pk", "start", "duration_months").iterator(chunk_size=2000):
        CreditListing.objects.filter(pk=row.pk).update(ends_on=months_after(row.start, row.duration_months))


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0004_placed_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="creditlisting",
            name="ends_on",
            field=models.DateField(editable=False, null=True, verbose_name="期满日期"),
        ),
        migrations.RunPython(fill_ends_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="creditlisting",
            name="ends_on",
            field=models.DateField(editable=False, verbose_name="期满日期"),
        ),
    ]
