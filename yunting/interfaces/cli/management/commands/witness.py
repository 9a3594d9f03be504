"""`yunting witness check --input application.json`: may a witness testify online? Prints
{"online_allowed", "designated_place_required", "reasons"} — the same as POST /api/v1/witness-eligibility for the
same body, with the default (Ningbo Beilun) rules, or with a court's rules (`--court CODE`).

Exit status 0 with the JSON on stdout; 2 with a message on stderr for a bad file or body.
"""

import json
import sys

from django.core.management.base import BaseCommand

from yunting.workflows.witnesses import eligibility


class Command(BaseCommand):
    help = "证人在线作证：check an application against the eligibility rules; prints JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Evaluate one application (JSON file, or - for standard input).")
        check.add_argument("--input", required=True, help="The application body as JSON (issue 15 interface).")
        check.add_argument("--court", default="", help="Use this court's rules (court code) instead of the defaults.")

    def _fail(self, message: str):
        self.stderr.write(f"错误：{message}")
        raise SystemExit(2)

    def handle(self, *args, action, **options):
        path = options["input"]
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
        except OSError as exc:
            self._fail(f"无法读取文件 {path}：{exc.strerror}")
        try:
            body = json.loads(text)
        except ValueError as exc:
            self._fail(f"文件不是有效的 JSON：{exc}")
        rules = eligibility.DEFAULT_RULES
        if options["court"]:
            from yunting.core.people.models import Organisation
            from yunting.workflows.witnesses.services import rules_for

            court = Organisation.objects.filter(court_code=options["court"]).first()
            if court is None:
                self._fail(f"没有代码为 {options['court']} 的法院")
            rules = rules_for(court)
        try:
            result = eligibility.check(body, rules)
        except eligibility.InputError as exc:
            self._fail(exc.message)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
