"""`yunting unlock USERNAME|IP`: lift a sign-in lock early; recorded as a security event (who, why)."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from yunting.core.people.lockout import login_unlock
from yunting.kernel.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Unlock an account (username) or an address (IP) locked after repeated failed sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("subject", help="A username, or an IP address.")
        parser.add_argument("--by", default="", help="The administrator who unlocks (default: the OS user).")
        parser.add_argument("--reason", default="", help="Why (recorded).")

    def handle(self, *args, subject, by, reason, **options):
        actor = by or f"os:{getpass.getuser()}"
        try:
            cleared = login_unlock(subject=subject, actor=actor, reason=reason)
        except ApplicationError as exc:
            raise CommandError(str(exc.message), returncode=2) from None
        if cleared:
            self.stdout.write(self.style.SUCCESS(f"unlocked {subject} ({cleared} record(s) cleared); recorded as {actor}"))
        else:
            self.stdout.write(f"{subject} was not locked; the attempt is recorded as {actor}")
