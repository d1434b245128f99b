from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.reference import load_reference_data
from standards.loader import load_standards


class Command(BaseCommand):
    help = "Load the committed standards catalogue and key inspection lists (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_reference_data()
            created = load_standards()
        self.stdout.write(
            f"standards: {created['standards']} new, items: {created['items']} new, key lists: {created['key_lists']} new"
        )
