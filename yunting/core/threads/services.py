"""Writes on threads: post an item (filtered, immutable, journaled), mark read, close, notify, word rules.

A workflow (asynctrial, mediation, casespace) decides who may post what; this module guarantees what every
thread needs: one transaction per post with its journal entry, the content filter, ordered items, unread marks.
The journal entry carries only the item's SHA-256 and place — never its text — because the case journal is
read by every participant and an item may be for the court or one party only.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.journal.services import journal_append
from yunting.kernel.common.canonical import canonical_json
from yunting.kernel.common.errors import Conflict, ValidationFailed

from . import wordfilter
from .errors import SensitiveWords
from .models import Item, Notice, ReadMark, Thread, WordRule

TEXT_MAX = 5000
ITEM_POSTED = "threads.item_posted"


def thread_ensure(*, case, purpose: str, title: str = "") -> Thread:
    thread, _created = Thread.objects.get_or_create(case=case, purpose=purpose, defaults={"title": title})
    return thread


# --- the content filter ------------------------------------------------------------------------------------------
_filters: dict[int, tuple[tuple, wordfilter.WordFilter]] = {}


def word_filter_for(court_id: int) -> wordfilter.WordFilter:
    """The court's filter, rebuilt only when its list changed (one small aggregate query per call)."""
    rules = WordRule.objects.filter(court_id=court_id)
    version = tuple(rules.aggregate(n=Count("id"), last=Max("updated_at")).values())
    cached = _filters.get(court_id)
    if cached and cached[0] == version:
        return cached[1]
    own = list(rules.filter(active=True).values_list("word", "action"))
    built = wordfilter.WordFilter(wordfilter.effective_rules(own))
    _filters[court_id] = (version, built)
    return built


def content_check(*, court_id: int, text: str, data: dict[str, Any] | None = None) -> tuple[str, dict, list[str]]:
    """(text, data) with masked words replaced, and the masked words; SensitiveWords for a blocked word anywhere
    (text or any string inside data)."""
    flt = word_filter_for(court_id)
    masked: list[str] = []

    def clean(value, field):
        if isinstance(value, str):
            scan = flt.scan(value)
            if scan.blocked:
                raise SensitiveWords(scan.blocked, field=field)
            masked.extend(w for w in scan.masked if w not in masked)
            return scan.text
        if isinstance(value, dict):
            return {k: clean(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v, field) for v in value]
        return value

    return clean(text, "text"), clean(data or {}, "data"), masked


@transaction.atomic
def wordrule_set(*, court, word: str, action: str, actor=None) -> WordRule:
    word = (word or "").strip()
    if not word or len(word) > 50:
        raise ValidationFailed(_("A word is 1 to 50 characters."), code="thread_word", data={"field": "word"})
    if action not in WordRule.Action.values:
        raise ValidationFailed(_("Choose block, mask or allow."), code="thread_word_action", data={"field": "action"})
    rule, _created = WordRule.objects.update_or_create(court=court, word=word, defaults={
        "action": action, "active": True, "created_by": actor})
    return rule


def wordrule_deactivate(*, rule: WordRule) -> None:
    rule.active = False
    rule.save(update_fields=["active", "updated_at"])


# --- posting -----------------------------------------------------------------------------------------------------
def visibility_check(visibility: str, *, party_ids: set[int]) -> str:
    if visibility in ("court", "all"):
        return visibility
    if visibility.startswith("party:") and visibility[6:].isdigit() and int(visibility[6:]) in party_ids:
        return visibility
    raise ValidationFailed(_("Visibility is court, all, or party:<id> of a party to the case."),
                           code="thread_visibility", data={"field": "visibility", "visibility": visibility})


def item_digest(*, thread_id: int, seq: int, author_id: int, party_id: int | None, kind: str, visibility: str,
                text: str, refers_to: int | None, data: dict, documents: list, salt: str = "") -> str:
    body = {"thread": thread_id, "seq": seq, "author": author_id, "party": party_id, "kind": kind,
            "visibility": visibility, "text": text, "refers_to": refers_to, "data": data, "documents": documents,
            "salt": salt}
    return hashlib.sha256(canonical_json(body)).hexdigest()


@transaction.atomic
def thread_post(*, thread: Thread, author, author_label: str, party=None, kind: str, text: str, visibility: str,
                refers_to: Item | None = None, data: dict[str, Any] | None = None,
                documents: list[dict] | None = None, case=None) -> Item:
    """Post one item: filtered, numbered, journaled (`threads.item_posted` with its SHA-256), immutable.

    The caller (a workflow) has checked who may post this kind with this visibility. Masked words are
    replaced in what is stored (the caller reads `item.masked_words` to tell the author)."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Please write something."), code="thread_text", data={"field": "text"})
    if len(text) > TEXT_MAX:
        raise ValidationFailed(_("An item is at most %(max)d characters.") % {"max": TEXT_MAX},
                               code="thread_text_too_long", data={"field": "text", "max": TEXT_MAX})
    case = case or thread.case
    text, data, masked = content_check(court_id=case.court_id, text=text, data=data)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if locked.closed_at is not None:
        raise Conflict(_("This exchange is closed; nothing more can be posted."), code="thread_closed")
    if refers_to is not None and refers_to.thread_id != locked.pk:
        raise ValidationFailed(_("The item referred to is not in this exchange."), code="thread_refers_to",
                               data={"field": "refers_to"})
    seq, now = locked.item_count + 1, timezone.now()
    documents = documents or []
    party_id = party.pk if party is not None else None
    digest = item_digest(thread_id=locked.pk, seq=seq, author_id=author.pk, party_id=party_id, kind=kind,
                         visibility=visibility, text=text, refers_to=refers_to.pk if refers_to else None,
                         data=data, documents=documents, salt=(salt := secrets.token_hex(16)))
    # the hash only (salted): the case journal is read by every participant, and the item may be for a few
    entry = journal_append(case=case, kind=ITEM_POSTED, actor=author,
                           payload={"thread": locked.pk, "purpose": locked.purpose, "sha256": digest})
    item = Item.objects.create(thread=locked, seq=seq, kind=kind, visibility=visibility, author=author,
                               author_label=author_label[:200], author_party=party, text=text, refers_to=refers_to,
                               data=data, documents=documents, sha256=digest, salt=salt, entry=entry,
                               created_at=now)
    Thread.objects.filter(pk=locked.pk).update(item_count=seq, last_item_at=now)
    thread.item_count, thread.last_item_at = seq, now
    item.masked_words = masked
    return item


def thread_mark_read(*, thread: Thread, user, upto: int | None = None) -> None:
    """Mark the thread read up to `upto` (default: everything so far); never moves backwards."""
    upto = thread.item_count if upto is None else upto
    mark, created = ReadMark.objects.get_or_create(thread=thread, user=user, defaults={"last_seq": upto})
    if not created and mark.last_seq < upto:
        ReadMark.objects.filter(pk=mark.pk, last_seq__lt=upto).update(last_seq=upto, updated_at=timezone.now())


def thread_close(*, thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk, closed_at__isnull=True).update(closed_at=timezone.now())
    thread.refresh_from_db(fields=["closed_at"])


def notice_send(*, user, thread: Thread, key: str, text: str, url: str = "") -> Notice:
    """One in-app notice per (user, key): sending again changes nothing."""
    notice, _created = Notice.objects.get_or_create(user=user, key=key[:80], defaults={
        "thread": thread, "text": text[:500], "url": url[:300]})
    return notice


def notices_mark_read(*, user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
