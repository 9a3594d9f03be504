"""`yunting verify FILE [--proof proof.json] [--public-key ledger.pem] [--root court-root.pem …]`: check one
file offline.

- With --proof: the file is in the transparency log (inclusion proof under a signed tree head). The proof file
  comes from the public verify page ("Download the offline proof") or `yunting ledger proof FILE`.
- With --root (and --intermediate, --crl): every PAdES signature of the PDF — signer, time, integrity, chain to
  the court root, revocation.
Nothing is read from the database or the network. Exit status 0 when every check passes, 1 otherwise.
- With a directory (an archive package, `yunting archive build … --out DIR` → DIR/<volume>): every payload file's
  SHA-256, the signed manifest, the signed tree head and every document's inclusion proof, offline; the first
  problem is named (which file, which proof, or the manifest signature). `--public-key` pins the court's key.
- With neither: look the file up in this deployment's own ledger (online): its leaf and proof under a signed
  tree head, or "已登记，正在写入账本（约 N 秒）" while its leaf waits for the sequencer (exit 0, not an error).
"""

import base64
import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yunting.kernel.ledger.bundle import verify_bundle


class Command(BaseCommand):
    help = "Check a file offline against a saved signed tree head and inclusion proof."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="The document to check (e.g. the PDF the court delivered), or an archive "
                            "package directory (DIR/<volume>).")
        parser.add_argument("--proof", help="Proof file (JSON) with tree head and audit path.")
        parser.add_argument("--public-key", help="The court's ledger public key (PEM), obtained independently.")
        parser.add_argument("--root", action="append", default=[], help="Trusted court root CA (PEM); repeatable.")
        parser.add_argument("--intermediate", action="append", default=[], help="Intermediate CA (PEM).")
        parser.add_argument("--crl", action="append", default=[], help="CRL (DER or PEM); repeatable.")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if path.is_dir():
            if not self._check_package(path, opts):
                raise SystemExit(1)
            return
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        if not opts.get("proof") and not opts.get("root"):
            if not self._check_deployment(path):
                raise SystemExit(1)
            return
        ok = True
        if opts.get("proof"):
            ok = self._check_ledger(path, opts) and ok
        if opts.get("root"):
            ok = self._check_signatures(path, opts) and ok
        if not ok:
            raise SystemExit(1)

    def _check_package(self, path: Path, opts) -> bool:
        """An archive package (one volume's BagIt directory): every payload hash, the manifest's signature, the
        tree head's signature and every inclusion proof, offline. The first problem is named."""
        from yunting.workflows.archive.bagcheck import verify_package

        pem = Path(opts["public_key"]).read_text() if opts.get("public_key") else None
        check = verify_package(path, public_key_pem=pem)
        manifest = check.manifest
        if manifest:
            self.stdout.write(f"{manifest.get('case', {}).get('case_number', '')} · {manifest.get('volume_label', '')}"
                              f" · {manifest.get('archive', {}).get('archive_number', '')}")
        for step in check.steps:
            self.stdout.write("  " + step)
        if not check.ok:
            self.stderr.write(self.style.ERROR(f"NOT VERIFIED: {check.problem}"))
            return False
        self.stdout.write(self.style.SUCCESS(f"VERIFIED: package {path} ({len(manifest.get('documents', []))} "
                                             f"documents under tree size {manifest['tree_head']['tree_size']})"))
        return True

    def _check_deployment(self, path: Path) -> bool:
        from yunting.kernel.ledger import merkle, sequencer
        from yunting.kernel.ledger.errors import LedgerError
        from yunting.kernel.ledger.selectors import ledger_proof_by_document
        from yunting.kernel.ledger.services import ledger_sth_current

        sha = _sha256(path)
        head = ledger_sth_current()
        try:
            proof = ledger_proof_by_document(sha, head.tree_size)
        except LedgerError:
            self.stdout.write(f"{path.name}: SHA-256 {sha}")
            queued = sequencer.queued_document(sha)
            if queued is not None:
                self.stdout.write(f"已登记，正在写入账本（约 {sequencer.eta_s(queued)} 秒） / recorded, being "
                                  "written to the ledger")
                return True
            self.stderr.write(self.style.ERROR("NOT IN THE LEDGER"))
            return False
        self._say_who({"leaf_input": base64.b64encode(proof.leaf_input).decode(),
                       "record": self._record(sha, proof.leaf_index)})
        self.stdout.write(f"{path.name}: SHA-256 {sha}")
        root = merkle.root_from_inclusion_proof(merkle.leaf_hash(proof.leaf_input), proof.leaf_index,
                                                head.tree_size, proof.audit_path)
        if root != bytes(head.root_hash):
            self.stderr.write(self.style.ERROR("NOT VERIFIED: the proof does not reach the signed root"))
            return False
        self.stdout.write(self.style.SUCCESS(f"VERIFIED: in the log at leaf {proof.leaf_index} of {head.tree_size}"))
        return True

    def _check_signatures(self, path: Path, opts) -> bool:
        from yunting.kernel.documents.signing.pki import pki_trust_from_files
        from yunting.kernel.documents.signing.validate import pdf_validate, report_lines

        trust = pki_trust_from_files(roots=opts["root"], intermediates=opts["intermediate"], crls=opts["crl"])
        report = pdf_validate(path.read_bytes(), trust=trust)
        self.stdout.write("signatures:")
        for line in report_lines(report):
            self.stdout.write("  " + line)
        if not report.ok:
            self.stderr.write(self.style.ERROR("SIGNATURES NOT VALID"))
            return False
        self.stdout.write(self.style.SUCCESS(f"SIGNATURES VALID: {len(report.signatures)} signature(s)"))
        return True

    @staticmethod
    def _record(sha: str, leaf_index: int) -> dict:
        """This deployment's own record of who put the document on record (online mode)."""
        from yunting.core.efile.provenance import document_provenance
        from yunting.interfaces.web.labels import entry_kind_label
        from yunting.kernel.ledger.selectors import ledger_leaf

        found = document_provenance(sha, ledger_leaf(leaf_index)[1], entry_label=entry_kind_label)
        return found.as_json() if found is not None else {}

    def _say_who(self, bundle: dict) -> bool:
        """Print who put the document on record. The leaf's entry kind is signed (it is in the tree): a court
        paper (`papers.*`) is the court's by the leaf alone; for anything else the court's record in the proof
        file says who, and must name the same entry kind as the leaf, or the file was tampered with."""
        from datetime import datetime

        from django.utils.translation import gettext as _

        from yunting.core.efile.provenance import (
            PARTY,
            SEALED_ENTRY_KINDS,
            issuer_label,
            issuer_of_leaf_kind,
            statement,
        )
        from yunting.kernel.common.timeutil import SHANGHAI

        leaf = json.loads(base64.b64decode(bundle["leaf_input"]))
        leaf_kind, record = leaf["kind"], bundle.get("record") or {}
        if record and record.get("entry_kind") != leaf_kind:
            self.stderr.write(self.style.ERROR(_("The proof file's record names another entry kind than its leaf: "
                                                 "it has been altered.")))
            return False
        issued_by = issuer_of_leaf_kind(leaf_kind) or record.get("issued_by") or PARTY
        at = datetime.fromisoformat(leaf["time"].replace("Z", "+00:00"))
        self.stdout.write(statement(issued_by=issued_by, sealed=leaf_kind in SEALED_ENTRY_KINDS, recorded_at=at))
        rows = [(_("Put on record by"), issuer_label(issued_by)),
                (_("Case number"), record.get("case_number", "—")),
                (_("Document"), " · ".join(x for x in (record.get("title"), record.get("document_kind_label")) if x)
                 or "—"),
                (_("Recorded as"), f"{record.get('entry_kind_label') or leaf_kind} ({leaf_kind})"),
                (_("Recorded at"), f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S} {_('Beijing time')}")]
        for label, value in rows:
            self.stdout.write(f"  {label}: {value}")
        return True

    def _check_ledger(self, path: Path, opts) -> bool:
        try:
            bundle = json.loads(Path(opts["proof"]).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the proof file: {exc}") from exc
        pem = Path(opts["public_key"]).read_text() if opts.get("public_key") else None
        sha = _sha256(path)
        check = verify_bundle(sha, bundle, public_key_pem=pem)
        if check.ok:  # first, plainly: who put the document on record, in what capacity
            check.ok = self._say_who(bundle)
        self.stdout.write(f"{path.name}: SHA-256 {sha}")
        for step in check.steps:
            self.stdout.write("  " + step)
        if not check.ok:
            self.stderr.write(self.style.ERROR("NOT VERIFIED"))
            return False
        self.stdout.write(self.style.SUCCESS(f"VERIFIED: in the log at leaf {bundle['leaf_index']} of "
                                             f"{bundle['sth']['tree_size']}"))
        return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
