"""A backup restored over a changed database gives back identical row counts, the same event trail
of a hazard and the media files (SQLite online backup here; pg_dump/pg_restore on PostgreSQL)."""

import pytest
from django.core.management import call_command

from core.backup import row_counts
from core.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def trail(hazard):
    return list(Event.objects.filter(object_type="hazards.hazard", object_id=hazard.pk)
                .order_by("id").values_list("verb", "from_state", "to_state", "note", "created_at"))


def test_backup_restore_round_trip(tworld, tmp_path, settings, capsys):
    from hazards import services
    from hazards.tests.conftest import PLAN, make_major

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8\xff evidence")
    h = make_major(tworld)
    services.submit_plan(tworld.user("enterprise"), h, plan=PLAN)
    before_counts, before_trail = row_counts(), trail(h)
    assert len(before_trail) >= 2

    call_command("backup", str(tmp_path / "backups"))
    assert "TIP_IDENTITY_KEY" in capsys.readouterr().err
    backup_dir = next((tmp_path / "backups").iterdir())
    assert {p.name for p in backup_dir.iterdir()} >= {"manifest.json", "media.tar.gz"}

    # life goes on after the backup: new rows, a lost file
    make_major(tworld, days=10)
    (tmp_path / "media" / "evidence" / "photo.jpg").unlink()
    assert row_counts() != before_counts

    call_command("restore", str(backup_dir), "--yes")
    assert row_counts() == before_counts
    assert trail(h) == before_trail
    assert (tmp_path / "media" / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8\xff evidence"


def test_restore_refuses_a_backup_of_another_database(tworld, tmp_path):
    import json

    from django.core.management.base import CommandError

    d = tmp_path / "b"
    d.mkdir()
    (d / "manifest.json").write_text(json.dumps({"vendor": "oracle", "row_counts": {}}))
    with pytest.raises(CommandError, match="oracle"):
        call_command("restore", str(d), "--yes")
