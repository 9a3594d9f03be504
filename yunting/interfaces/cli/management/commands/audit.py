"""`yunting audit`: recompute everything the ledger vouches for and compare it with what is stored.

Re-hashes every journal entry (its hash chain and its ledger commitment), every blob, every leaf and stored
subtree, and checks every stored tree head's root and signature. Prints each tampered row, blob or tree head by
id; exit status 1 if there is any.
"""

import json

from django.core.management.base import BaseCommand

from yunting.core.journal.ledger_glue import audit_everything


class Command(BaseCommand):
    help = "Re-hash every journal entry, blob and ledger leaf; recompute the root; check every tree head."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args, **opts):
        problems, summary = audit_everything()
        if opts["json"]:
            self.stdout.write(json.dumps({"ok": not problems, "summary": summary,
                                          "problems": [p.__dict__ for p in problems]}, ensure_ascii=False, indent=2))
        else:
            for p in problems:
                self.stdout.write(self.style.ERROR(str(p)))
            self.stdout.write(
                f"audited {summary.get('leaves', 0)} leaves, {summary.get('tree_heads', 0)} tree heads, "
                f"{summary.get('journal_entries', 0)} journal entries; root {summary.get('root', '')}"
            )
            if problems:
                self.stdout.write(self.style.ERROR(f"AUDIT FAILED: {len(problems)} problem(s)"))
            else:
                self.stdout.write(self.style.SUCCESS("AUDIT OK"))
        if problems:
            raise SystemExit(1)
