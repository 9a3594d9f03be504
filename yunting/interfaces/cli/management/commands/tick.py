from django.core.management.base import BaseCommand

from yunting.kernel.common.periodic import run_once


class Command(BaseCommand):
    help = "Run every periodic job once (for cron in scale-out deployments)."

    def handle(self, *args, **options):
        for name in run_once():
            self.stdout.write(f"ran {name}")
