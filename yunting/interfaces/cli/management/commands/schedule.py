"""`yunting schedule solve --input problem.json --output plan.json [--time-limit S] [--greedy]`: plan a week of
hearings from a JSON file (formats in docs/SCHEDULING.md). Exit 0 with the plan written (and a one-line summary
on stdout); 2 with a message on stderr for a missing or malformed file or an invalid problem."""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from yunting.kernel import scheduling
from yunting.kernel.common.errors import ValidationFailed


class Command(BaseCommand):
    help = "Plan a week of hearings (CP-SAT, or first-fit with --greedy) from a JSON problem; writes the plan."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="solve")
        solve = sub.add_parser("solve", help="Plan the hearings of a problem file.")
        solve.add_argument("--input", required=True, metavar="problem.json", help="The problem; - for stdin.")
        solve.add_argument("--output", default="-", metavar="plan.json", help="Where the plan goes; - for stdout.")
        solve.add_argument("--time-limit", type=float, default=10.0, metavar="S",
                           help="Seconds the solver may use (default 10).")
        solve.add_argument("--greedy", action="store_true", help="First-fit baseline instead of CP-SAT.")
        solve.add_argument("--planned-on", metavar="YYYY-MM-DD",
                           help="The day of planning (default: the problem's planned_on, else today in Shanghai).")
        solve.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"],
                           help="Language of the reasons and messages.")

    def handle(self, *args, action, input, output, time_limit, greedy, planned_on, lang, **options):
        with translation.override(lang):
            problem = self._read(input)
            try:
                day = date.fromisoformat(planned_on) if planned_on else None
            except ValueError:
                self._fail(f"--planned-on: {planned_on}")
            if time_limit <= 0:
                self._fail("--time-limit > 0")
            try:
                plan = (scheduling.greedy(problem, planned_on=day) if greedy
                        else scheduling.solve(problem, time_limit=time_limit, planned_on=day))
            except ValidationFailed as exc:
                self._fail(str(exc.message))
        text = json.dumps(plan, ensure_ascii=False, indent=2)
        if output == "-":
            self.stdout.write(text)
            return
        Path(output).write_text(text + "\n", encoding="utf-8")
        s = plan["stats"]
        self.stdout.write(f"{s['placed']}/{s['hearings']} placed ({s['method']}, {s['status']}, {s['seconds']} s)"
                          f" → {output}")

    def _read(self, name: str):
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            return json.loads(text)
        except OSError as exc:
            self._fail(f"{name}: {exc.strerror}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail(f"{name}: JSON — {exc}")

    def _fail(self, message: str):
        prefix = "错误：" if translation.get_language() == "zh-hans" else "Error: "
        self.stderr.write(prefix + message)
        raise SystemExit(2)
