"""Identity protection (RULES.md §1, 2013 opinion: no disclosure of the reporter): a tip no longer
keeps a digest of the reporter's address.

``Tip.ip_hash`` held HMAC-SHA256(TIP_IP_SALT or SECRET_KEY, address) for good. With the database and
the key, trying all 2^32 IPv4 addresses gives an anonymous reporter's address back. Nothing read the
column (rate limiting counts ``TipAttempt`` rows, not tips; there is no duplicate detection or abuse
review on it), and no rule requires it to be kept (the case file the law requires is the tip, its
handling and its events — not where the report came from). So the values are blanked first (an
UPDATE, so no later step of this migration can fail with the values still there) and the column is
dropped. The rate-limit trail older than its window (one hour) is deleted here too; from now on the
periodic job ``tips.purge_attempts`` does it (docs/operations.md).

Not done by a migration (docs/security.md "Tip address digests"): PostgreSQL keeps dropped and
updated values in dead row versions until the table is rewritten (``VACUUM FULL tips_tip``), and
backups taken before this migration still hold the digests — they age out with the backups.
There is no per-tip event: no tip's state changed; this note and the migration are the record.
Idempotent."""

from django.db import migrations


def blank_ip_digests(apps, schema_editor):
    Tip = apps.get_model("tips", "Tip")
    if not any(f.name == "ip_hash" for f in Tip._meta.get_fields()):
        return  # re-run on today's models (core.testing.restore_migration_data): the column is gone
    Tip.objects.exclude(ip_hash="").update(ip_hash="")


def purge_old_attempts(apps, schema_editor):
    from tips.services import purge_attempts

    purge_attempts()


class Migration(migrations.Migration):

    dependencies = [
        ('tips', '0010_feedback_from_verification'),
    ]

    operations = [
        migrations.RunPython(blank_ip_digests, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='tip',
            name='ip_hash',
        ),
        migrations.RunPython(purge_old_attempts, migrations.RunPython.noop),
    ]
