"""import_enterprises <file.xlsx|file.csv> [--dry-run] [--actor username]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.services import ServiceError
from enterprises.importing import import_enterprises
from enterprises.spreadsheets import read_rows


class Command(BaseCommand):
    help = "Import enterprises from an xlsx/csv file (layout: docs/import-formats.md). Updates by credit code."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--actor", help="username acting (scope and permissions apply); default: system")

    def handle(self, *args, file, dry_run, actor, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"file not found: {file}")
        user = None
        if actor:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"unknown user: {actor}")
        try:
            rows = read_rows(path.read_bytes(), path.name)
            result = import_enterprises(user, rows, dry_run=dry_run, source=f"命令行导入 {path.name}")
        except ServiceError as exc:
            raise CommandError(exc.message)
        for e in result.errors:
            self.stdout.write(f"第{e['row']}行 [{e['column']}] {e['reason']}")
        verb = "would create" if dry_run else "created"
        self.stdout.write(f"{result.total} rows: {verb} {result.created}, updated {result.updated}, "
                          f"unchanged {result.unchanged}, errors in {len(result.bad_rows)} rows")
        if result.errors:
            self.stderr.write("some rows were skipped" if not dry_run else "dry run found errors")
