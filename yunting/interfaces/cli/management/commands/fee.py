"""`yunting fee KIND [--amount A] [--half]`: the litigation fee as JSON (the same as GET /api/v1/fees/estimate).

Exit status 0 with the JSON on stdout; 2 with a message on stderr for bad input (unknown kind, a bad or missing
amount, --half for an application fee); 1 when the court's fee settings are wrong.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from yunting.workflows.filing.errors import FeeConfigurationError, FeeInputError
from yunting.workflows.filing.fees import FEE_KINDS, HALVABLE_KINDS, fee_estimate_for_court


class Command(BaseCommand):
    help = "Estimate a litigation fee under 《诉讼费用交纳办法》; prints JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("kind", metavar="KIND", help=f"One of: {', '.join(FEE_KINDS)}.")
        parser.add_argument("--amount", help="Yuan, e.g. 100000 or 100,000.50 (claim, property, damages, "
                                             "enforcement or preservation amount, or bankruptcy assets).")
        parser.add_argument("--half", action="store_true",
                            help="Halve once: simple procedure, mediation, withdrawal, counterclaim. "
                                 f"Only for: {', '.join(HALVABLE_KINDS)}.")

    def handle(self, *args, kind, amount, half, **options):
        try:
            result = fee_estimate_for_court(kind, amount, half)
        except FeeInputError as exc:
            self.stderr.write(f"错误：{exc.message}")
            raise SystemExit(2) from None
        except FeeConfigurationError as exc:
            raise CommandError(f"诉讼费设置有误：{exc}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
