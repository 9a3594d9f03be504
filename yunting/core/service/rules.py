"""Pure service rules: the proposed channel order from the address history, and the legal date of service per
channel. No ORM — table-tested, and the benchmark plans 10,000 tasks through the same function.

Legal effect (DOMAIN.md; OLR arts 29–31; CPL arts 87–95):
- portal / SMS / e-mail: effective the day the message reaches the recipient's system (delivered) — a read
  receipt proves it too; only with consent to electronic service; with several e-channels the earliest counts.
- post: the day signed for on the receipt (EMS); returned mail is a failure.
- direct: the day handed over and signed; a refusal witnessed and recorded is 留置送达 (CPL art 89): served.
- phone: serves only a summons or notice (the simplified ways of CPLI art 261); otherwise it confirms a contact.
- announcement: deemed served 30 days after publication (60 foreign-related, CPL arts 95, 283), counted with
  the official calendar (a last day on a rest day moves to the next working day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from yunting.kernel.calendar import compute
from yunting.kernel.common.timeutil import SHANGHAI

PORTAL, SMS, EMAIL, PHONE, POST, DIRECT, ANNOUNCEMENT = ("portal", "sms", "email", "phone", "post", "direct",
                                                          "announcement")
SPACE = "space"  # the case space: a receipt signed there (never planned; the court delivers there by hand)
CHANNELS = (PORTAL, SMS, EMAIL, PHONE, POST, DIRECT, SPACE, ANNOUNCEMENT)
ELECTRONIC = frozenset({PORTAL, SMS, EMAIL, SPACE})
NOT_PLANNED = frozenset({SPACE})
CONTACT_OF = {PORTAL: "account", SMS: "phone", EMAIL: "email", PHONE: "phone", POST: "address", DIRECT: "address",
              SPACE: "account"}
DELIVERED, READ, FAILED, REFUSED, PUBLISHED = "delivered", "read", "failed", "refused", "published"
OUTCOMES = (DELIVERED, READ, FAILED, REFUSED, PUBLISHED)
PHONE_SERVES = frozenset({"summons", "notice"})
# the usual order before history speaks: electronic first (fast, cheap, consented), then paper, then 公告
BASE_ORDER = {PORTAL: 0, SMS: 1, EMAIL: 2, PHONE: 3, POST: 4, DIRECT: 5, SPACE: 6, ANNOUNCEMENT: 9}
CHANNEL_LABEL = {PORTAL: "平台账户", SMS: "短信", EMAIL: "电子邮件", PHONE: "电话", POST: "邮寄", DIRECT: "直接送达",
                 SPACE: "案件空间", ANNOUNCEMENT: "公告送达"}
# how long a channel is given before the next one is tried (hours)
TIMEOUT_HOURS = {PORTAL: 72, SMS: 48, EMAIL: 72, PHONE: 24, POST: 240, DIRECT: 168, SPACE: 72, ANNOUNCEMENT: 0}
DEMOTE_AFTER_FAILURES = 2
TRUST_AFTER = 3  # this many successes in a row put a contact first


@dataclass(frozen=True)
class Contact:
    """One row of the address history, as the planner sees it."""

    kind: str
    value: str
    delivered: int = 0
    failed: int = 0
    recent: str = ""  # last ten outcomes, newest last: s / f
    lawyer: bool = False  # an account of the recipient's lawyer


@dataclass(frozen=True)
class Recipient:
    contacts: Sequence[Contact]
    consented: frozenset[str] = frozenset()  # electronic channels consented to
    document_kind: str = "other"
    has_address: bool = False
    contacts_by_kind: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Step:
    channel: str
    reason: str
    value: str = ""

    def as_dict(self) -> dict:
        return {"channel": self.channel, "reason": self.reason}


def _streak(recent: str) -> int:
    n = 0
    for ch in reversed(recent):
        if ch != "s":
            break
        n += 1
    return n


def _judge(channel: str, c: Contact | None) -> tuple[int, str]:
    """(rank adjustment, reason) for a channel given its best contact's history."""
    label = CHANNEL_LABEL[channel]
    if c is None:
        return 0, f"按常规顺序：{label}"
    what = {"account": "该律师" if c.lawyer else "该账户", "phone": "此号码", "email": "此邮箱",
            "address": "此地址"}[c.kind]
    streak = _streak(c.recent)
    if c.failed >= DEMOTE_AFTER_FAILURES and c.delivered == 0:
        return 100, f"{what} {c.failed} 次送达失败，排在最后"
    if streak >= TRUST_AFTER:
        verb = "在平台签收" if c.kind == "account" else "送达成功"
        return -100, f"{what}近 {streak} 次均{verb}"
    if c.delivered:
        return -1, f"{what}曾 {c.delivered} 次送达成功"
    if c.failed:
        return 1, f"{what}曾 {c.failed} 次送达失败"
    return 0, f"按常规顺序：{label}"


def _best(contacts: Iterable[Contact]) -> Contact | None:
    """The contact to use for a channel: most recent success streak, then most deliveries, fewest failures."""
    best, key = None, None
    for c in contacts:
        k = (-(c.failed >= DEMOTE_AFTER_FAILURES and c.delivered == 0), _streak(c.recent), c.delivered, -c.failed)
        if key is None or k > key:
            best, key = c, k
    return best


def plan_channels(r: Recipient) -> list[Step]:
    """The proposed order of channels for one recipient, each with the reason in Chinese. Electronic channels
    appear only with consent; phone only for a summons or notice; announcement always last."""
    by_kind: dict[str, list[Contact]] = r.contacts_by_kind or {}
    if not by_kind:
        for c in r.contacts:
            by_kind.setdefault(c.kind, []).append(c)
    ranked: list[tuple[int, int, Step]] = []
    for channel in CHANNELS[:-1]:
        if channel in NOT_PLANNED:
            continue
        if channel in ELECTRONIC and channel not in r.consented:
            continue
        if channel == PHONE and r.document_kind not in PHONE_SERVES:
            continue
        kind = CONTACT_OF[channel]
        options = by_kind.get(kind, ())
        if not options and not (kind == "address" and r.has_address):
            continue
        best = _best(options)
        adjust, reason = _judge(channel, best)
        ranked.append((BASE_ORDER[channel] + adjust, BASE_ORDER[channel], Step(channel, reason, best.value if best
                                                                             else "")))
    ranked.sort(key=lambda t: (t[0], t[1]))
    steps = [s for _, _, s in ranked]
    steps.append(Step(ANNOUNCEMENT, "下落不明或其他方式均无法送达时，公告送达"))
    return steps


# --- legal date of service ------------------------------------------------------------------------------------
def serves(channel: str, outcome: str, document_kind: str = "other") -> bool:
    """Does this outcome on this channel complete service?"""
    if channel == ANNOUNCEMENT:
        return outcome == PUBLISHED
    if channel == PHONE:
        return outcome == DELIVERED and document_kind in PHONE_SERVES
    if channel == DIRECT:
        return outcome in (DELIVERED, REFUSED)  # 留置送达: refusal witnessed and recorded
    return outcome in (DELIVERED, READ)


def outcome_allowed(channel: str, outcome: str) -> bool:
    if channel == ANNOUNCEMENT:
        return outcome in (PUBLISHED, FAILED)
    return outcome in (DELIVERED, READ, FAILED, REFUSED) and not (outcome == READ and channel not in ELECTRONIC)


def local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def deemed_served_on(channel: str, at: datetime, *, foreign: bool = False,
                     closures: Iterable[date] = ()) -> tuple[date, bool]:
    """(legal service date, provisional) of a serving attempt at `at`: its own day (Shanghai), or for an
    announcement the last day of the 30/60-day period after publication."""
    day = local_day(at)
    if channel != ANNOUNCEMENT:
        return day, False
    c = compute("public-notice-foreign" if foreign else "public-notice", day, closures=closures, explain=False)
    return c.due, c.provisional


def earliest(days: Iterable[date]) -> date | None:
    """OLR art 31: the same material through several channels — the earliest effective delivery counts."""
    days = [d for d in days if d is not None]
    return min(days) if days else None
