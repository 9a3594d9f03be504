from django.core.management.base import BaseCommand

from yunting.core.journal.services import journal_redeliver


class Command(BaseCommand):
    help = "Re-enqueue journal subscriber deliveries that are pending or failed."

    def handle(self, *args, **options):
        self.stdout.write(f"re-enqueued {journal_redeliver()} deliveries")
