from django.conf import settings
from django.core.management.base import BaseCommand

from yunting.interfaces.cli.demo import demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the demo court, cast and cases (idempotent), and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=settings.YUNTING_DEMO_PASSWORD)
        parser.add_argument("--quiet", action="store_true", help="Print only the logins.")

    def handle(self, *args, password, quiet, **options):
        result = demo_load(password=password, progress=(lambda s: None) if quiet else self.stdout.write)
        self.stdout.write(f"demo: {result['cases']} cases ({result['created']} new)")
        self.print_logins(password)

    def print_logins(self, password):
        self.stdout.write("")
        self.stdout.write(f"演示账号 Demo logins (password for all: {password})")
        for username, name, role in demo_logins():
            self.stdout.write(f"  {username:<16} {name:<6} {role}")
