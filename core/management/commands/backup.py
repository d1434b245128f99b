from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import KEY_WARNING, BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump / SQLite online backup) and the media files into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where the backup directory is created")

    def handle(self, *args, directory, **options):
        try:
            out = backup(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written to {out}")
        self.stderr.write(KEY_WARNING)
