"""`yunting ledger …`: operate and watch the transparency log.

  sth [--every N]              issue a signed tree head now (or every N seconds while the log grows)
  sequence [--every S]         integrate queued leaves (the sequencer; once, or every S seconds) and issue
                               a tree head when the log grew
  status                       size, root and newest tree head
  proof FILE [-o proof.json]   write the offline proof for a recorded document (for `yunting verify`)
  watch URL [--state F] [--interval N] [--once] [--public-key PEM]
                               monitor a deployment's log (…/api/v1/ledger/): keep the last tree head, check
                               consistency to each new one, alarm loudly (exit 2) on a fork
"""

import hashlib
import json
import sys
import time
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yunting.kernel.ledger import keys
from yunting.kernel.ledger.bundle import make_bundle
from yunting.kernel.ledger.errors import LedgerError
from yunting.kernel.ledger.monitor import LedgerMonitor, LogFork, MonitorAlarm, http_fetch
from yunting.kernel.ledger.selectors import ledger_proof_by_document, ledger_size, ledger_sth_latest
from yunting.kernel.ledger.services import ledger_sth_current, ledger_sth_issue

ALARM = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  LEDGER ALARM: {kind}
!!  {url}
!!  {message}
!!  Keep the state file {state}: it holds the signed tree head that proves it.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


class Command(BaseCommand):
    help = "Operate and monitor the transparency ledger: sth, status, proof, watch."
    fetch = None  # tests (and embedders) may replace the HTTP fetch used by `watch`

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("sth", help="Issue a signed tree head.")
        s.add_argument("--every", type=float, default=0, help="Keep issuing every N seconds while the log grows.")
        q = sub.add_parser("sequence", help="Integrate queued leaves into the log (the sequencer).")
        q.add_argument("--every", type=float, default=0, help=(
            "Keep integrating every S seconds as the dedicated sequencer (0.25 is the nudge's tick; tree heads are "
            "signed by `ledger sth --every` or the periodic job)."))
        sub.add_parser("status", help="Size, root and newest tree head.")
        p = sub.add_parser("proof", help="Write the offline proof of a recorded document.")
        p.add_argument("file")
        p.add_argument("-o", "--output", help="Where to write the proof (default: stdout).")
        w = sub.add_parser("watch", help="Monitor a log for forks.")
        w.add_argument("url", help="Base URL of the ledger API, e.g. https://court.example/api/v1/ledger/")
        w.add_argument("--state", help="State file (default: DATA_DIR/ledger-watch/<host>.json).")
        w.add_argument("--interval", type=float, default=10.0)
        w.add_argument("--once", action="store_true", help="Check once and exit.")
        w.add_argument("--public-key", help="Pin this PEM instead of trusting the first key fetched.")

    def handle(self, *args, **opts):
        getattr(self, "do_" + opts["action"])(opts)

    def do_sth(self, opts):
        while True:
            th = ledger_sth_issue() if not opts["every"] else ledger_sth_current(max_age_s=opts["every"])
            self.stdout.write(f"tree head {th.id}: size {th.tree_size} root {bytes(th.root_hash).hex()} "
                              f"timestamp {th.timestamp}")
            if not opts["every"]:
                return
            time.sleep(opts["every"])

    def do_sequence(self, opts):
        import os

        from yunting.kernel.ledger import sequencer

        pause_at = os.environ.get("YUNTING_LEDGER_SEQUENCER_PAUSE_AT", "")
        if pause_at:  # for the kill -9 tests: stop between two statements and wait to be killed
            def hook(step):
                if step == pause_at:
                    sys.stdout.write(f"PAUSED {step}\n")
                    sys.stdout.flush()
                    time.sleep(3600)
            sequencer.step_hook = hook
        if opts["every"]:  # the dedicated sequencer: the writers' nudges stand down while it runs
            import threading

            def report(n):
                self.stdout.write(f"integrated {n} leaves")

            sequencer.run_dedicated(threading.Event(), tick=opts["every"], report=report)
            return
        n = sequencer.integrate_pending(wait=True, patience_s=0.5)
        if n:
            th = ledger_sth_current(max_age_s=0)
            self.stdout.write(f"integrated {n} leaves; tree head {th.id}: size {th.tree_size}")
        else:
            self.stdout.write("nothing queued")

    def do_status(self, opts):
        from yunting.kernel.ledger import sequencer

        th = ledger_sth_latest()
        self.stdout.write(f"leaves: {ledger_size()}")
        n, oldest = sequencer.queue_length()
        self.stdout.write(f"sequencer: {sequencer.mode()}, queued {n}"
                          + (f", oldest {(sequencer.now_ms() - oldest) / 1000:.1f} s" if oldest else ""))
        self.stdout.write(f"key: {settings.LEDGER_SIGNING_KEY_PATH} (id {keys.key_id()})")
        if th:
            self.stdout.write(f"newest tree head {th.id}: size {th.tree_size} root {bytes(th.root_hash).hex()} "
                              f"timestamp {th.timestamp}")

    def do_proof(self, opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        th = ledger_sth_issue()
        try:
            proof = ledger_proof_by_document(sha, th.tree_size)
        except LedgerError as exc:
            from yunting.kernel.ledger import sequencer

            queued = sequencer.queued_document(sha)
            if queued is not None:  # committed, its leaf not yet indexed: not an error, say when to come back
                self.stdout.write(f"{path.name}: 已登记，正在写入账本（约 {sequencer.eta_s(queued)} 秒）")
                return
            raise CommandError(f"{path.name} ({sha}): {exc.message}") from exc
        bundle = make_bundle(sha256_hex=sha, leaf_index=proof.leaf_index, leaf_input=proof.leaf_input,
                             audit_path=proof.audit_path, sth=th.as_sth(), public_key_pem=keys.public_key_pem())
        from yunting.core.efile.provenance import document_provenance
        from yunting.interfaces.web.labels import entry_kind_label
        from yunting.kernel.ledger.selectors import ledger_leaf

        found = document_provenance(sha, ledger_leaf(proof.leaf_index)[1], entry_label=entry_kind_label)
        if found is not None:  # who put it on record, for `yunting verify` to say first
            bundle["record"] = found.as_json()
        text = json.dumps(bundle, indent=2, ensure_ascii=False)
        if opts.get("output"):
            Path(opts["output"]).write_text(text)
            self.stdout.write(f"wrote {opts['output']}")
        else:
            self.stdout.write(text)

    def do_watch(self, opts):
        url = opts["url"]
        host = urllib.parse.urlparse(url).netloc.replace(":", "_") or "log"
        state = Path(opts["state"]) if opts.get("state") else Path(settings.DATA_DIR) / "ledger-watch" / f"{host}.json"
        pem = Path(opts["public_key"]).read_text() if opts.get("public_key") else None
        monitor = LedgerMonitor(url, state_path=state, public_key_pem=pem, fetch=self.fetch or http_fetch)
        while True:
            try:
                obs = monitor.check_once()
                self.stdout.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} ok: size {obs.sth.tree_size} "
                                  f"(+{obs.grew_by}, consistency path {obs.consistency_path_len}) "
                                  f"root {obs.sth.root_hash.hex()}")
            except MonitorAlarm as exc:
                kind = "FORK — the log was rewritten or shows different views" if isinstance(exc, LogFork) \
                    else "the log misbehaved"
                self.stderr.write(self.style.ERROR(ALARM.format(kind=kind, url=url, message=exc, state=state)))
                sys.stderr.write("\a")
                raise SystemExit(2) from None
            except (OSError, ValueError) as exc:  # unreachable or garbled: report, keep watching
                self.stderr.write(self.style.WARNING(f"cannot check {url}: {exc}"))
                if opts["once"]:
                    raise SystemExit(3) from None
            if opts["once"]:
                return
            time.sleep(opts["interval"])
