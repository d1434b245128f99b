from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import KEY_WARNING, BackupError, restore, verify


class Command(BaseCommand):
    help = "Restore a backup directory over the configured database and media (stop the app first)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, directory, no_media=False, yes=False, **options):
        if not yes and input("This REPLACES the database and media files. Type 'yes': ").strip() != "yes":
            raise CommandError("aborted")
        try:
            manifest = restore(Path(directory), media=not no_media)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        problems = verify(manifest)
        if problems:
            raise CommandError("row counts differ from the manifest: " + "; ".join(problems[:20]))
        self.stdout.write(f"restored {directory}: every table's row count matches the manifest")
        self.stderr.write(KEY_WARNING)
