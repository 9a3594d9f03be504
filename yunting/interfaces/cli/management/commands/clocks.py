"""`yunting clocks recompute [--all]`: rebuild the stored deadlines from the journals (all open cases; --all also
closed ones) — e.g. right after updating `chinesecalendar`. `yunting clocks digest`: send today's digests now."""

from django.core.management.base import BaseCommand

from yunting.core.clocks.services import clocks_recompute, digest_send


class Command(BaseCommand):
    help = "Recompute every stored deadline from the journals, or send today's deadline digests."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recompute", "digest"])
        parser.add_argument("--all", action="store_true", help="recompute: closed cases too.")

    def handle(self, *args, action, all, **options):
        if action == "recompute":
            rows = clocks_recompute(only_open=not all)
            self.stdout.write(f"重新计算完成：{rows} 项期限")
        else:
            self.stdout.write(f"已发送 {digest_send()} 份期限提醒")
