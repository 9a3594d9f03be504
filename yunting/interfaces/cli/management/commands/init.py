"""`yunting init`: keys and the first administrator, so a fresh data directory becomes a deployment."""

import getpass
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from yunting.core.people.models import User


class Command(BaseCommand):
    help = "Create keys (field encryption, ledger signing) and the first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--admin", default="admin", help="Username of the first administrator.")
        parser.add_argument("--password", default=os.environ.get("YUNTING_ADMIN_PASSWORD"), help="Else prompted.")
        parser.add_argument("--no-input", action="store_true")

    def handle(self, *args, admin, password, no_input, **options):
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"data directory: {settings.DATA_DIR}")
        self.stdout.write(f"field-encryption key: {settings.KEYS_DIR / 'field_encryption.key'} (or YUNTING_FIELD_KEYS)")
        try:
            from yunting.kernel.ledger.keys import ensure_signing_key
        except ImportError:
            ensure_signing_key = None
        if ensure_signing_key:
            path = ensure_signing_key()
            self.stdout.write(f"ledger signing key: {path}")
        if User.objects.filter(username=admin).exists():
            self.stdout.write(f"administrator {admin!r} already exists")
            return
        if not password:
            if no_input or not sys.stdin.isatty():  # no terminal to ask on (a script, CI, a container)
                raise CommandError(
                    f"no password for the administrator {admin!r}: pass --password (or set YUNTING_ADMIN_PASSWORD)"
                    " when there is no terminal to ask on / 未提供管理员密码：无终端可输入时请使用 --password"
                    " 或设置 YUNTING_ADMIN_PASSWORD", returncode=2)
            password = getpass.getpass(f"password for {admin}: ")
        User.objects.create_superuser(username=admin, password=password, real_name="系统管理员")
        self.stdout.write(self.style.SUCCESS(f"administrator {admin!r} created"))
