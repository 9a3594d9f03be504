"""Writes of the case space: spaces and members, posts, read marks, moderation, cards, the transcript.

Every act is one transaction with its journal entry on the space's lead case; every post is a core/threads item
(immutable, filtered, journaled). The rules (who may speak, who may moderate) are checked here, whatever page,
API call or socket asked.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Case, Participation
from yunting.core.journal.services import journal_append
from yunting.core.threads.models import Item, ReadMark
from yunting.core.threads.services import thread_ensure, thread_mark_read, thread_post

from . import entries, errors
from .models import Member, Space, SpaceCase

log = logging.getLogger(__name__)

MUTE_MAX_MINUTES = 30 * 24 * 60
REASON_MAX = 200
TITLE_MAX = 200
GROUP_MAX = 2000

ROLE_OF = {  # case role → space role; other case roles (filing, service, archive officers…) are not members
    CaseRole.PRESIDING_JUDGE: Member.Role.JUDGE,
    CaseRole.JUDGE: Member.Role.JUDGE,
    CaseRole.JUDGE_ASSISTANT: Member.Role.ASSISTANT,
    CaseRole.CLERK: Member.Role.CLERK,
    CaseRole.PARTY: Member.Role.PARTY,
    CaseRole.LAWYER: Member.Role.LAWYER,
}
RANK = [Member.Role.JUDGE, Member.Role.ASSISTANT, Member.Role.CLERK, Member.Role.LAWYER, Member.Role.PARTY]


# --- spaces and members ------------------------------------------------------------------------------------------
def _label(user, role: str, party_name: str = "") -> str:
    name = getattr(user, "display_name", "") or str(user)
    role_label = str(Member.Role(role).label)
    if party_name and role == Member.Role.LAWYER:
        return f"{name}（{party_name}{role_label}）"[:200]
    return f"{name}（{role_label}）"[:200]


def members_sync(space: Space) -> int:
    """Members follow the cases' participations: anyone taking part as judge, assistant, clerk, party or lawyer
    is a member (the highest role wins); a removed member stays removed. Returns how many were added."""
    best: dict[int, tuple[int, str, str]] = {}
    users = {}
    rows = (Participation.objects.filter(case__space_link__space=space, role__in=list(ROLE_OF))
            .select_related("user", "party"))
    for p in rows:
        role = ROLE_OF[p.role]
        rank = RANK.index(role)
        users[p.user_id] = p.user
        if p.user_id not in best or rank < best[p.user_id][0]:
            best[p.user_id] = (rank, role, p.party.name if p.party_id else "")
    existing = {m.user_id: m for m in Member.objects.filter(space=space)}
    added = []
    for user_id, (_rank, role, party_name) in best.items():
        label = _label(users[user_id], role, party_name)
        m = existing.get(user_id)
        if m is None:
            added.append(Member(space=space, user_id=user_id, role=role, label=label))
        elif m.role != role or m.label != label:
            Member.objects.filter(pk=m.pk).update(role=role, label=label)
    Member.objects.bulk_create(added, ignore_conflicts=True)
    return len(added)


@transaction.atomic
def space_ensure(*, case: Case, actor=None) -> Space:
    """The case's space, created (with its thread and members) the first time it is wanted."""
    link = SpaceCase.objects.select_related("space").filter(case=case).first()
    if link is not None:
        return link.space
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one creator at a time per case
    link = SpaceCase.objects.select_related("space").filter(case=case).first()
    if link is not None:
        return link.space
    thread = thread_ensure(case=case, purpose=entries.PURPOSE, title=case.number)
    space = Space.objects.create(kind=Space.Kind.CASE, title=f"{case.number} {case.title}"[:TITLE_MAX],
                                 court_id=case.court_id, lead_case=case, thread=thread, created_by=actor)
    SpaceCase.objects.create(space=space, case=case)
    members_sync(space)
    journal_append(case=case, kind=entries.OPENED, actor=actor,
                   payload={"space_id": space.pk, "kind": space.kind, "case_ids": [case.pk]})
    return space


@transaction.atomic
def space_open(*, actor, case_id) -> Space:
    """Someone taking part in the case (judge, assistant, clerk, party, lawyer) opens its space: created the first
    time it is wanted (a journal entry), or the person joined to it when they came to the case after it was made
    and their membership was not synced yet (a removed member stays removed). Anyone else, or a case that does not
    exist: SpaceNotFound. Pages and the API call this on a POST only: a GET never opens or joins."""
    from yunting.core.cases.access import _case_pk

    pk = _case_pk(case_id)
    uid = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    if not Participation.objects.filter(case_id=pk, user_id=uid or 0, role__in=list(ROLE_OF)).exists():
        raise errors.SpaceNotFound()
    link = SpaceCase.objects.select_related("space").filter(case_id=pk).first()
    if link is None:
        return space_ensure(case=Case.objects.get(pk=pk), actor=actor)
    if not Member.objects.filter(space=link.space, user_id=uid).exists():
        members_sync(link.space)
    return link.space


@transaction.atomic
def space_group_create(*, actor, numbers: list[str] | str, title: str = "") -> Space:
    """One space for many similar cases (e.g. 300 buyers against one developer), from a list of case numbers.
    The actor must be the judge or assistant of every one; no case may already be in a space."""
    if isinstance(numbers, str):
        numbers = [n for n in numbers.replace(",", "\n").replace("，", "\n").splitlines()]
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if len(wanted) < 2:
        raise errors.invalid(_("A group space needs at least two case numbers."), "space_group_numbers",
                             field="numbers")
    if len(wanted) > GROUP_MAX:
        raise errors.invalid(_("A group space takes at most %(max)d cases.") % {"max": GROUP_MAX},
                             "space_group_numbers", field="numbers")
    cases = {c.number: c for c in Case.objects.filter(number__in=wanted)}
    mine = set(Participation.objects.filter(case__number__in=wanted, user=actor, role__in=[
        CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT]).values_list("case__number", flat=True))
    for n in wanted:  # a case that does not exist and one that is not the actor's read the same
        if n not in cases or n not in mine:
            raise errors.invalid(_("Case %(number)s is not one of your cases.") % {"number": n},
                                 "space_group_case", field="numbers", number=n)
    taken = SpaceCase.objects.filter(case__number__in=wanted).values_list("case__number", flat=True).first()
    if taken:
        raise errors.already_in_space(taken)
    title = (title or "").strip()[:TITLE_MAX]
    lead = cases[wanted[0]]
    if len({c.court_id for c in cases.values()}) > 1:
        raise errors.invalid(_("All the cases of a group space must be of one court."), "space_group_court",
                             field="numbers")
    thread = thread_ensure(case=lead, purpose=entries.PURPOSE, title=title or lead.number)
    space = Space.objects.create(kind=Space.Kind.GROUP,
                                 title=title or _("%(first)s and %(n)d more cases") % {
                                     "first": lead.number, "n": len(wanted) - 1},
                                 court_id=lead.court_id, lead_case=lead, thread=thread, created_by=actor)
    SpaceCase.objects.bulk_create([SpaceCase(space=space, case=cases[n]) for n in wanted])
    members_sync(space)
    journal_append(case=lead, kind=entries.OPENED, actor=actor,
                   payload={"space_id": space.pk, "kind": space.kind, "case_ids": [cases[n].pk for n in wanted]})
    return space


# --- speaking ----------------------------------------------------------------------------------------------------
def member_muted(space: Space, member: Member, now=None) -> bool:
    now = now or timezone.now()
    if member.court_side:
        return False
    return space.all_muted or (member.muted_until is not None and member.muted_until > now)


def _speaker(space: Space, user) -> Member:
    member = Member.objects.filter(space=space, user=user).first()
    if member is None:
        from .errors import SpaceNotFound

        raise SpaceNotFound()
    if member.removed_at is not None:
        raise errors.removed(member.removed_reason)
    space.refresh_from_db(fields=["all_muted"])
    if member_muted(space, member):
        raise errors.muted(member.muted_until if not space.all_muted else None)
    return member


def _party_of(space: Space, user):
    p = (Participation.objects.filter(case__space_link__space=space, user=user, party__isnull=False)
         .select_related("party").first())
    return p.party if p else None


def space_post(*, space: Space, user, text: str, kind: str = "message", data: dict | None = None) -> Item:
    """A member says something: refused (nothing stored, nothing sent) when muted or removed; filtered."""
    member = _speaker(space, user)
    return thread_post(thread=space.thread, author=user, author_label=member.label, party=_party_of(space, user),
                       kind=kind, text=text, visibility="all", data=data, case=space.lead_case)


def space_mark_read(*, space: Space, user, upto: int | None = None) -> int:
    space.thread.refresh_from_db(fields=["item_count"])
    count = space.thread.item_count
    upto = count if upto is None else max(0, min(int(upto), count))
    thread_mark_read(thread=space.thread, user=user, upto=upto)
    return upto


# --- moderation --------------------------------------------------------------------------------------------------
def _moderator(space: Space, actor) -> Member:
    member = Member.objects.filter(space=space, user=actor, removed_at__isnull=True).first()
    if member is None:
        from .errors import SpaceNotFound

        raise SpaceNotFound()
    if not member.moderator:
        raise errors.moderators_only()
    return member


def _target(space: Space, user_id) -> Member:
    from yunting.core.cases.access import _case_pk

    uid = _case_pk(user_id)  # 0 for anything that is not a usable id (text, negative, beyond 64 bits)
    target = Member.objects.select_for_update().filter(space=space, user_id=uid).first() if uid else None
    if target is None:
        raise errors.member_not_found()
    if target.court_side:
        raise errors.court_side_not_muted()
    return target


def _reason(reason) -> str:
    reason = str(reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise errors.invalid(_("Give a reason of 1 to %(max)d characters.") % {"max": REASON_MAX},
                             "space_reason", field="reason")
    return reason


@transaction.atomic
def space_mute(*, space: Space, actor, user_id, minutes, reason) -> Member:
    _moderator(space, actor)
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MUTE_MAX_MINUTES:
        raise errors.invalid(_("Mute for 1 to %(max)d minutes.") % {"max": MUTE_MAX_MINUTES}, "space_minutes",
                             field="minutes")
    reason = _reason(reason)
    target = _target(space, user_id)
    if target.removed_at is not None:
        raise errors.member_not_found()
    target.muted_until = timezone.now() + timedelta(minutes=minutes)
    target.mute_reason = reason
    target.save(update_fields=["muted_until", "mute_reason"])
    journal_append(case=space.lead_case, kind=entries.MEMBER_MUTED, actor=actor, payload={
        "space_id": space.pk, "user_id": target.user_id, "minutes": minutes,
        "until": target.muted_until.isoformat(), "reason": reason})
    return target


@transaction.atomic
def space_unmute(*, space: Space, actor, user_id) -> Member:
    _moderator(space, actor)
    target = _target(space, user_id)
    target.muted_until, target.mute_reason = None, ""
    target.save(update_fields=["muted_until", "mute_reason"])
    journal_append(case=space.lead_case, kind=entries.MEMBER_UNMUTED, actor=actor,
                   payload={"space_id": space.pk, "user_id": target.user_id})
    return target


@transaction.atomic
def space_mute_all(*, space: Space, actor, muted: bool, reason: str = "") -> Space:
    """全员禁言: parties and lawyers cannot speak; the judge, assistant and clerk still can."""
    _moderator(space, actor)
    reason = _reason(reason) if muted else str(reason or "")[:REASON_MAX]
    Space.objects.filter(pk=space.pk).update(all_muted=bool(muted))
    space.all_muted = bool(muted)
    journal_append(case=space.lead_case, kind=entries.ALL_MUTED, actor=actor,
                   payload={"space_id": space.pk, "muted": bool(muted), "reason": reason})
    return space


@transaction.atomic
def space_pin(*, space: Space, actor, text: str) -> Item:
    """Pin a notice: an item of kind notice, shown on top until another is pinned."""
    _moderator(space, actor)
    member = Member.objects.get(space=space, user=actor)
    item = thread_post(thread=space.thread, author=actor, author_label=member.label, kind="notice", text=text,
                       visibility="all", case=space.lead_case)
    Space.objects.filter(pk=space.pk).update(pinned_item=item)
    space.pinned_item = item
    journal_append(case=space.lead_case, kind=entries.NOTICE_PINNED, actor=actor,
                   payload={"space_id": space.pk, "item_id": item.pk})
    return item


@transaction.atomic
def space_remove(*, space: Space, actor, user_id, reason) -> Member:
    """Remove an abusive member (final): their socket is closed and later connections are refused. What they
    posted stays in the record."""
    _moderator(space, actor)
    reason = _reason(reason)
    target = _target(space, user_id)
    if target.removed_at is not None:
        raise errors.member_not_found()
    target.removed_at, target.removed_reason = timezone.now(), reason
    target.save(update_fields=["removed_at", "removed_reason"])
    journal_append(case=space.lead_case, kind=entries.MEMBER_REMOVED, actor=actor,
                   payload={"space_id": space.pk, "user_id": target.user_id, "reason": reason})
    return target


# --- cards from other workflows ----------------------------------------------------------------------------------
def card_payload_check(payload: dict) -> dict | None:
    """The contract's payload, cleaned; None when it breaks the contract (entries.py)."""
    card, title, url = payload.get("card"), payload.get("title"), payload.get("url")
    user_ids = payload.get("user_ids")
    if card not in entries.CARD_KINDS or not isinstance(title, str) or not title.strip():
        return None
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//") or len(url) > 300:
        return None
    if user_ids is not None and (not isinstance(user_ids, list) or
                                 not all(isinstance(i, int) and not isinstance(i, bool) for i in user_ids)):
        return None
    return {"card": card, "title": title.strip()[:TITLE_MAX], "url": url,
            "user_ids": sorted(set(user_ids)) if user_ids is not None else None}


@transaction.atomic
def space_card_from_entry(entry) -> Item | None:
    """casespace.card_wanted → an immutable card item in the case's space (once per entry)."""
    data = card_payload_check(entry.payload or {})
    if data is None:
        log.warning("casespace: card_wanted entry %s breaks the contract: %r", entry.pk, entry.payload)
        return None
    space = space_ensure(case=entry.case, actor=None)
    members_sync(space)
    if Item.objects.filter(thread=space.thread, kind="card", data__entry=entry.pk).exists():
        return None
    if data["user_ids"] is None and space.kind == Space.Kind.GROUP:
        # "every member" means every member of the card's case: a group space also holds other cases' parties,
        # who must not see this case's payouts, hearing times or sessions (the court side sees every card)
        data["user_ids"] = sorted(set(Participation.objects.filter(case=entry.case, role__in=list(ROLE_OF))
                                      .values_list("user_id", flat=True)))
    if data["user_ids"] is not None:
        present = set(Member.objects.filter(space=space, user_id__in=data["user_ids"], removed_at__isnull=True)
                      .values_list("user_id", flat=True))
        data["user_ids"] = [i for i in data["user_ids"] if i in present]
    author = entry.actor or space.lead_case.participations.filter(
        role__in=[CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT, CaseRole.CLERK]
    ).select_related("user").first()
    if author is None:
        log.warning("casespace: card_wanted entry %s has no actor and the case no court officer", entry.pk)
        return None
    author = getattr(author, "user", author)
    member = Member.objects.filter(space=space, user=author).first()
    label = member.label if member else (getattr(author, "display_name", "") or str(author))
    return thread_post(thread=space.thread, author=author, author_label=label, kind="card", text=data["title"],
                       visibility="all", data={**data, "entry": entry.pk}, case=space.lead_case)


# --- read receipts -----------------------------------------------------------------------------------------------
def read_counts(space: Space, seqs: list[int], exclude_user_ids: dict[int, int]) -> dict[int, int]:
    """{seq: members other than the author who have read up to it}; exclude_user_ids maps seq → author id."""
    marks = list(ReadMark.objects.filter(thread=space.thread).values_list("user_id", "last_seq"))
    return {s: sum(1 for uid, last in marks if last >= s and uid != exclude_user_ids.get(s)) for s in seqs}
