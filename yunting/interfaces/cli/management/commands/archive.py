"""`yunting archive build|transfer|transfer-key|due`: one-click archiving and appeal transfer from the command line.

- `build CASE_NUMBER_OR_ID --out DIR [--retention permanent|60|20] [--security-level LEVEL] [--as USER]`: the
  archive act — one BagIt package per volume in `DIR/main/` (正卷) and `DIR/secondary/` (副卷), journaled; the case
  is read-only afterwards. `--package-only` writes the packages without archiving (a copy for inspection).
- `transfer CASE --to URL --key ytt_…` sends the 正卷 to the appellate court's `POST /api/v1/transfers`;
  `transfer CASE --to-court CODE` to another court of this deployment. `--appellant NAME` (repeatable).
- `transfer-key create --court CODE --sender-name NAME [--sender-url URL/api/v1/ledger/]`: the receiving court
  issues the key a sending court uses (printed once; the sender's ledger key is fetched and pinned); `list`,
  `revoke PREFIX`.
- `due [--court CODE]`: closed cases not yet archived, with the three-month limit (exit 0).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yunting.core.cases.models import Case
from yunting.core.people.models import Organisation, User
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import shanghai_today


def _log(actor, action: str, case) -> None:
    """The packages hold the case's material: exporting them is a read, logged like any other (channel cli)."""
    from yunting.kernel.security.audit import read_log

    read_log(user=actor, action=action, channel="cli", case_id=case.pk, object_type="case", object_id=case.pk)


class Command(BaseCommand):
    help = "Archive a case (BagIt packages per volume), send an appeal transfer, manage court-to-court keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Archive a closed case: one BagIt package per volume.")
        build.add_argument("case", metavar="CASE_NUMBER_OR_ID")
        build.add_argument("--out", required=True, help="Directory; packages go to OUT/main and OUT/secondary.")
        build.add_argument("--retention", default="permanent", choices=["permanent", "60", "20"])
        build.add_argument("--security-level", default="", help="public|internal|confidential|secret (default: the case's).")
        build.add_argument("--as", dest="username", default="", help="The archivist (username).")
        build.add_argument("--package-only", action="store_true", help="Write the packages; do not archive.")
        transfer = sub.add_parser("transfer", help="Send the main volume to the appellate court.")
        transfer.add_argument("case", metavar="CASE_NUMBER_OR_ID")
        transfer.add_argument("--to", default="", help="The appellate court's base URL.")
        transfer.add_argument("--key", default="", help="The court-to-court key it issued (ytt_…).")
        transfer.add_argument("--to-court", default="", help="Court code of another court of this deployment.")
        transfer.add_argument("--appellant", action="append", default=[], help="Name of the appealing party.")
        transfer.add_argument("--as", dest="username", default="")
        key = sub.add_parser("transfer-key", help="Court-to-court keys for receiving transfers.")
        key.add_argument("key_action", choices=["create", "list", "revoke"])
        key.add_argument("prefix", nargs="?", default="")
        key.add_argument("--court", default="", help="The receiving court's code.")
        key.add_argument("--sender-name", default="")
        key.add_argument("--sender-url", default="", help="The sender's ledger base URL (…/api/v1/ledger/).")
        due = sub.add_parser("due", help="Closed cases not yet archived, with their limit.")
        due.add_argument("--court", default="")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None

    @staticmethod
    def _case(ref: str) -> Case:
        case = Case.objects.filter(number=ref).first()
        if case is None and ref.isdigit():
            case = Case.objects.filter(pk=int(ref)).first()
        if case is None:
            raise CommandError(f"没有案号或编号为“{ref}”的案件 / no such case: {ref}")
        return case

    @staticmethod
    def _user(username: str):
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        return user

    @staticmethod
    def _court(code: str) -> Organisation:
        courts = Organisation.objects.filter(kind="court")
        if code:
            courts = courts.filter(court_code=code)
        found = list(courts[:2])
        if len(found) != 1:
            raise CommandError("请用 --court 指定法院代字 / give --court CODE" if found else f"no court {code}")
        return found[0]

    def _build(self, *, case, out, retention, security_level, username, package_only, **_):
        from yunting.workflows.archive.services import archive_build_packages, archive_case

        case_obj, actor = self._case(case), self._user(username)
        level = security_level or case_obj.security_level
        out = Path(out)
        if package_only:
            built = archive_build_packages(case=case_obj, out=out, retention=retention, security_level=level,
                                           actor=actor)
        else:
            built = archive_case(case=case_obj, actor=actor, retention=retention, security_level=level, out=out)
        _log(actor, "archive.package_export", case_obj)
        for b in built:
            self.stdout.write(f"{b.path}\t{b.manifest['archive']['archive_number']}\t{b.documents} documents\t"
                              f"{b.pages} pages\ttree size {b.manifest['tree_head']['tree_size']}")

    def _transfer(self, *, case, to, key, to_court, appellant, username, **_):
        from yunting.workflows.archive.services import archive_transfer_local, archive_transfer_send

        case_obj, actor = self._case(case), self._user(username)
        if to_court:
            transfer = archive_transfer_local(case=case_obj, to_court=self._court(to_court), actor=actor,
                                              appellants=appellant or None)
        elif to and key:
            transfer = archive_transfer_send(case=case_obj, to_url=to, key=key, actor=actor,
                                             appellants=appellant or None)
        else:
            raise CommandError("give --to URL --key KEY, or --to-court CODE")
        _log(actor, "archive.transfer", case_obj)
        answer = transfer.detail.get("answer", {})
        self.stdout.write(f"delivered and verified: {answer.get('case_number', '')} (case {answer.get('case_id', '')})")

    def _transfer_key(self, *, key_action, prefix, court, sender_name, sender_url, **_):
        from yunting.workflows.archive.models import TransferKey
        from yunting.workflows.archive.services import transfer_key_create, transfer_key_revoke

        if key_action == "create":
            if not sender_name:
                raise CommandError("give --sender-name")
            _key, raw = transfer_key_create(court=self._court(court), sender_name=sender_name, sender_url=sender_url)
            self.stderr.write("the key is shown once; give it to the sending court")
            self.stdout.write(raw)
        elif key_action == "revoke":
            key = transfer_key_revoke(prefix=prefix)
            self.stdout.write(f"revoked {key.key_prefix}")
        else:
            for k in TransferKey.objects.order_by("id"):
                state = "revoked" if k.revoked_at else "active"
                self.stdout.write(f"{k.key_prefix}\t{k.sender_name}\t{k.sender_url or '(this deployment)'}\t{state}")

    def _due(self, *, court, **_):
        from yunting.workflows.archive.selectors import archive_due_list

        courts = [self._court(court).pk] if court else list(Organisation.objects.filter(kind="court")
                                                           .values_list("pk", flat=True))
        for row in archive_due_list(court_ids=courts, today=shanghai_today()):
            self.stdout.write(f"{row.case.number}\tclosed {row.closed_on}\tarchive by {row.due_on}\t{row.state}"
                              f"\t{row.days_left} days")
