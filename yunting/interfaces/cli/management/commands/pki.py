"""`yunting pki init|issue|revoke|list|crl|export|verify`: the court's signing PKI.

init     create the court root CA, the issuing CA and the court seal certificate (idempotent)
issue    a personal signing certificate for a user (`yunting pki issue judge`)
revoke   revoke a certificate by serial; it is listed on the next CRL
list     all certificates with their state
crl      write the current CRL (DER) of a CA to a file or stdout
export   write root.pem, issuing.pem and the CRLs into a directory, for offline verification elsewhere
verify   check every signature of a PDF: signer, time, integrity, chain to the court root, revocation.
         Offline: with --root (and --crl) nothing is read from the database. Exit 0 only when all pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import SHANGHAI


def _when(dt) -> str:
    return timezone.localtime(dt, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S%z") if dt else "-"


class Command(BaseCommand):
    help = "Manage the court's signing PKI and verify signed PDFs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="Create root CA, issuing CA and court seal certificate.")
        init.add_argument("--court", help="Court code (法院代字); default: the first court.")
        issue = sub.add_parser("issue", help="Issue a personal signing certificate for a user.")
        issue.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a certificate by serial (hex).")
        revoke.add_argument("serial")
        revoke.add_argument("--reason", default="unspecified",
                            help="key_compromise, affiliation_changed, superseded, cessation_of_operation, …")
        sub.add_parser("list", help="List certificates.")
        crl = sub.add_parser("crl", help="Write the CRL (DER) of a CA.")
        crl.add_argument("--ca", default="issuing", choices=["issuing", "root"])
        crl.add_argument("--out", help="File to write; default stdout (binary).")
        export = sub.add_parser("export", help="Write root.pem, issuing.pem and CRLs to a directory.")
        export.add_argument("directory")
        verify = sub.add_parser("verify", help="Validate every signature of a PDF.")
        verify.add_argument("file")
        verify.add_argument("--root", action="append", default=[], help="Trusted root (PEM); repeatable.")
        verify.add_argument("--intermediate", action="append", default=[], help="Intermediate CA (PEM).")
        verify.add_argument("--crl", action="append", default=[], help="CRL file (DER or PEM); repeatable.")
        verify.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None

    def _court(self, code=None):
        from yunting.core.people.models import Organisation

        qs = Organisation.objects.filter(kind="court")
        court = qs.filter(court_code=code).first() if code else qs.order_by("id").first()
        if court is None:
            raise CommandError("no court found (run `yunting init` or `yunting demo` first)")
        return court

    def _init(self, *, court=None, **_):
        from yunting.core.papers.services import cert_for_seal
        from yunting.kernel.documents.signing import pki

        org = self._court(court)
        root, issuing = pki.pki_init(organisation=org.name)
        seal = cert_for_seal(org)
        for c in (root, issuing, seal):
            self.stdout.write(f"{c.kind:8} {c.serial}  {c.common_name}  until {_when(c.not_after)}")
        self.stdout.write(f"CRL: {pki.crl_url('issuing')}")

    def _issue(self, *, username, **_):
        from yunting.core.papers.services import cert_for_user
        from yunting.core.people.models import Membership, User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        m = Membership.objects.filter(user=user, organisation__kind="court").select_related("organisation").first()
        if m is None:
            raise CommandError("personal signing certificates are for court staff")
        cert = cert_for_user(user, m.organisation)
        self.stdout.write(f"{cert.kind:8} {cert.serial}  {cert.common_name}  until {_when(cert.not_after)}")

    def _revoke(self, *, serial, reason, **_):
        from yunting.kernel.documents.signing import pki

        cert = pki.pki_revoke(serial=serial, reason=reason)
        self.stdout.write(f"revoked {cert.serial} ({cert.common_name}) at {_when(cert.revoked_at)}: {reason}")

    def _list(self, **_):
        from yunting.kernel.documents.models import Certificate

        for c in Certificate.objects.order_by("id"):
            state = f"REVOKED {_when(c.revoked_at)} {c.revocation_reason}" if c.revoked_at else "valid"
            self.stdout.write(f"{c.kind:8} {c.label:20} {c.serial}  {c.common_name}  {state}")

    def _crl(self, *, ca, out=None, **_):
        from yunting.kernel.documents.signing import pki

        der = pki.pki_crl(pki.issuing_ca() if ca == "issuing" else self._root())
        if out:
            Path(out).write_bytes(der)
            self.stdout.write(f"wrote {out} ({len(der)} bytes)")
        else:
            sys.stdout.buffer.write(der)

    def _root(self):
        from yunting.kernel.documents.models import Certificate, CertKind

        root = Certificate.objects.filter(kind=CertKind.ROOT, revoked_at__isnull=True).order_by("-id").first()
        if root is None:
            raise CommandError("no root CA: run `yunting pki init`")
        return root

    def _export(self, *, directory, **_):
        from yunting.kernel.documents.signing import pki

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        root, issuing = self._root(), pki.issuing_ca()
        (d / "root.pem").write_text(root.cert_pem)
        (d / "issuing.pem").write_text(issuing.cert_pem)
        (d / "root.crl").write_bytes(pki.pki_crl(root))
        (d / "issuing.crl").write_bytes(pki.pki_crl(issuing))
        self.stdout.write(f"wrote root.pem issuing.pem root.crl issuing.crl to {d}")

    def _verify(self, *, file, root, intermediate, crl, json: bool = False, **_):
        from yunting.kernel.documents.signing.validate import pdf_validate, report_lines

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        trust = self._offline_trust(root, intermediate, crl) if root else self._db_trust()
        report = pdf_validate(path.read_bytes(), trust=trust)
        if json:
            import json as json_mod

            self.stdout.write(json_mod.dumps(report.as_dict(), ensure_ascii=False, default=str, indent=2))
        else:
            self.stdout.write(f"{path.name}:")
            for line in report_lines(report):
                self.stdout.write("  " + line)
        if not report.ok:
            self.stderr.write(self.style.ERROR("NOT VALID"))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"VALID: {len(report.signatures)} signature(s)"))

    def _db_trust(self):
        from yunting.kernel.documents.signing import pki

        return pki.pki_trust()

    def _offline_trust(self, roots, intermediates, crls):
        from yunting.kernel.documents.signing.pki import pki_trust_from_files

        return pki_trust_from_files(roots=roots, intermediates=intermediates, crls=crls)
