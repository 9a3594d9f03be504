"""`yunting token create|revoke|list`: API bearer tokens.

`create` prints only the token on stdout (one line), so `TOKEN=$(yunting token create bank)` works; the notice
that it is shown once goes to stderr. Only the token's SHA-256 is stored.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yunting.interfaces.api.tokens import token_create, token_list, token_revoke
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import SHANGHAI


def _when(dt) -> str:
    return timezone.localtime(dt, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S%z") if dt else "-"


class Command(BaseCommand):
    help = "Create, revoke or list API bearer tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token for a user; prints only the token.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for, e.g. 'bank integration'.")
        revoke = sub.add_parser("revoke", help="Revoke a token by id or prefix (as `list` shows).")
        revoke.add_argument("ref", metavar="PREFIX_OR_ID")
        lst = sub.add_parser("list", help="A user's tokens (never the tokens themselves).")
        lst.add_argument("username")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None

    def _create(self, *, username, name, **_):
        token, raw = token_create(username=username, name=name)
        self.stdout.write(raw)
        self.stderr.write(f"令牌 {token.key_prefix}…（编号 {token.pk}）已为 {username} 签发；它只显示这一次，请妥善保存。")

    def _revoke(self, *, ref, **_):
        token, changed = token_revoke(prefix_or_id=ref)
        if changed:
            self.stdout.write(f"已吊销令牌 {token.key_prefix}…（编号 {token.pk}，用户 {token.user.username}）")
        else:
            self.stdout.write(f"令牌 {token.key_prefix}…（编号 {token.pk}）已于 {_when(token.revoked_at)} 吊销")

    def _list(self, *, username, **_):
        rows = [("id", "prefix", "name", "created", "last used", "revoked")]
        for t in token_list(username=username):
            rows.append((str(t.pk), t.key_prefix, t.name or "-", _when(t.created_at), _when(t.last_used_at),
                         _when(t.revoked_at)))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
