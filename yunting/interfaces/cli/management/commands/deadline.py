"""`yunting deadline KIND --from YYYY-MM-DD [--excluded START:END ...] [--court CODE]`: one statutory period
as JSON (the same as GET /api/v1/deadlines/compute). Exit 0 with the JSON on stdout; 2 with a message on stderr
for an unknown kind or a malformed date."""

import json

from django.core.management.base import BaseCommand
from django.utils import translation

from yunting.core.clocks.compute import deadline_compute_checked
from yunting.kernel.calendar import PERIODS
from yunting.kernel.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Compute a statutory period (民事诉讼法第八十五条, official holiday calendar); prints JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("kind", metavar="KIND", help=f"One of: {', '.join(PERIODS)}.")
        parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                            help="The day of the event the period runs from (not counted).")
        parser.add_argument("--excluded", action="append", default=[], metavar="START:END",
                            help="An interval not counted (both days included); repeat for several.")
        parser.add_argument("--court", default="", metavar="CODE",
                            help="Court code (e.g. 粤0306): also skip the days that court declared closed.")

    def handle(self, *args, kind, start, excluded, court, **options):
        with translation.override("zh-hans"):
            try:
                result = deadline_compute_checked(kind, start, excluded, court_code=court)
            except ApplicationError as exc:
                self.stderr.write(f"错误：{exc.message}")
                raise SystemExit(2) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
