"""`yunting filing_key create|rotate|revoke|list`: institutions' keys for the batch filing API.

`create ORG_NAME` prints only the key on stdout (one line), so `KEY=$(yunting filing_key create 某银行)` works;
the notice that it is shown once goes to stderr. `rotate` issues a new key and revokes the institution's
other keys for that court in the same transaction. Only each key's SHA-256 is stored.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yunting.core.people.models import Organisation
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.workflows.filing.batches import institution_key_create, institution_key_revoke
from yunting.workflows.filing.models import InstitutionApiKey


def _when(dt) -> str:
    return timezone.localtime(dt, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S%z") if dt else "-"


class Command(BaseCommand):
    help = "Create, rotate, revoke or list an institution's batch filing API keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("create", "Issue a key; prints only the key."),
                           ("rotate", "Issue a new key and revoke the institution's other keys.")):
            p = sub.add_parser(name, help=text)
            p.add_argument("org_name", metavar="ORG_NAME", help="The institution's registered name.")
            p.add_argument("--court", default="", help="Court code (法院代字), needed when there are several courts.")
        revoke = sub.add_parser("revoke", help="Revoke a key by id or prefix (as `list` shows).")
        revoke.add_argument("ref", metavar="PREFIX_OR_ID")
        lst = sub.add_parser("list", help="An institution's keys (never the keys themselves).")
        lst.add_argument("org_name", metavar="ORG_NAME")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None

    def _court(self, code: str) -> Organisation:
        courts = Organisation.objects.filter(kind="court")
        if code:
            courts = courts.filter(court_code=code)
        found = list(courts[:2])
        if len(found) != 1:
            raise CommandError("请用 --court 指定法院代字" if found else f"没有代字为“{code}”的法院")
        return found[0]

    def _institution(self, name: str) -> Organisation:
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            raise CommandError(f"没有名为“{name}”的机构")
        return org

    def _create(self, *, org_name, court, rotate=False, **_):
        org, court_org = self._institution(org_name), self._court(court)
        key, raw = institution_key_create(institution=org, court=court_org, rotate=rotate)
        self.stdout.write(raw)
        self.stderr.write(f"机构密钥 {key.key_prefix}…（编号 {key.pk}）已为 {org.name} 签发，向 {court_org.name} 批量立案；"
                          "它只显示这一次，请妥善保存。" + ("其他旧密钥已同时吊销。" if rotate else ""))

    def _rotate(self, **options):
        self._create(rotate=True, **options)

    def _revoke(self, *, ref, **_):
        key = institution_key_revoke(prefix_or_id=ref)
        self.stdout.write(f"已吊销机构密钥 {key.key_prefix}…（编号 {key.pk}，{key.institution.name}，{_when(key.revoked_at)}）")

    def _list(self, *, org_name, **_):
        rows = [("id", "prefix", "court", "created", "last used", "revoked")]
        for k in InstitutionApiKey.objects.filter(institution=self._institution(org_name)).select_related("court"):
            rows.append((str(k.pk), k.key_prefix, k.court.court_code or "-", _when(k.created_at),
                         _when(k.last_used_at), _when(k.revoked_at)))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
