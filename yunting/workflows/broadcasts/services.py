"""Writes of live Q&A sessions: create (cards to every case's space), start, end, post to the stream, ask (word
filter, rate limit), moderate, count viewers.

Who may watch: the host and court staff of a covered case; members (parties, lawyers) of a covered case; and for
a public session anyone holding its link — who sees the stream and the published questions, never a case.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.choices import CaseRole, CaseStatus
from yunting.core.cases.models import Case, Participation
from yunting.core.journal.services import EntryInput, journal_append_many

from . import errors
from .models import (
    Broadcast,
    BroadcastCase,
    BroadcastPost,
    BroadcastQuestion,
    BroadcastStatus,
    BroadcastViewer,
    QuestionStatus,
)

HOST_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT)
MEMBER_ROLES = (CaseRole.PARTY, CaseRole.LAWYER)
LIVE_WINDOW = timedelta(seconds=15)  # a viewer whose page polled within this is "watching now"
ASK_WINDOW = timedelta(seconds=60)
ASK_LIMIT = 3  # questions per asker per minute
MAX_CASES = 500
CARD_WANTED = "casespace.card_wanted"
CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


def broadcast_url(broadcast_id: int) -> str:
    return f"/space-extras/broadcasts/{broadcast_id}/"


def viewer_key(*, user=None, anonymous_id: str = "") -> str:
    """The hashed key a viewer is counted and rate-limited by: the account, or the anonymous browser's cookie."""
    raw = f"user:{user.pk}" if user is not None and user.is_authenticated else f"anon:{anonymous_id}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _host_cases(actor):
    return Case.objects.filter(participations__user=actor, participations__role__in=HOST_ROLES).exclude(
        status__in=CLOSED).distinct()


@transaction.atomic
def broadcast_create(*, actor, title: str, description: str = "", cause_code: str = "", case_numbers=(),
                     public: bool = False) -> Broadcast:
    """A judge opens a session for the cases they hear of one cause, or a list of case numbers (each must be
    theirs); a public outreach session may have no case. Each case's space gets a card."""
    from yunting.core.cases.models import Cause

    title = (title or "").strip()
    if not 1 <= len(title) <= 100:
        raise errors.invalid(_("A title is 1 to 100 characters."), "title")
    description = (description or "").strip()
    if len(description) > 500:
        raise errors.invalid(_("The description is at most 500 characters."), "description")
    numbers = [n.strip() for n in case_numbers or () if n and n.strip()]
    cause = None
    mine = _host_cases(actor)
    if cause_code:
        cause = Cause.objects.filter(code=cause_code).first()
        if cause is None:
            raise errors.invalid(_("Choose a cause from the list."), "cause")
        cases = list(mine.filter(cause=cause).select_related("court")[:MAX_CASES + 1])
    elif numbers:
        found = {c.number: c for c in mine.filter(number__in=numbers).select_related("court")}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise errors.invalid(_("Not among the open cases you hear: %(numbers)s")
                                 % {"numbers": "、".join(missing[:5])}, "case_numbers", code="broadcast_cases",
                                 numbers=missing)
        cases = list(dict.fromkeys(found[n] for n in numbers))
    else:
        cases = []
    if not cases and not public:
        raise errors.invalid(_("Choose the cases: a cause, or a list of case numbers."), "cases",
                             code="broadcast_cases")
    if len(cases) > MAX_CASES:
        raise errors.invalid(_("At most %(n)s cases in one session.") % {"n": MAX_CASES}, "cases",
                             code="broadcast_cases")
    court = cases[0].court if cases else _court_of(actor)
    if court is None:
        raise errors.host_only()
    b = Broadcast.objects.create(court=court, host=actor, title=title, description=description, cause=cause,
                                 public=bool(public), public_token=secrets.token_urlsafe(16) if public else None)
    BroadcastCase.objects.bulk_create([BroadcastCase(broadcast=b, case=c) for c in cases])
    items = []
    for c in cases:
        items.append(EntryInput(case=c, kind="broadcasts.opened", actor=actor,
                                payload={"broadcast_id": b.pk, "title": title, "public": b.public}))
        items.append(EntryInput(case=c, kind=CARD_WANTED, actor=actor, payload={
            "card": "broadcast", "title": f"直播答疑：{title}", "url": broadcast_url(b.pk), "user_ids": None}))
    if items:
        journal_append_many(items)
    return b


def _court_of(actor):
    from yunting.core.people.models import Membership

    m = Membership.objects.filter(user=actor, organisation__kind="court").select_related("organisation").first()
    return m.organisation if m else None


def may_host(actor) -> bool:
    return Participation.objects.filter(user=actor, role__in=HOST_ROLES).exists()


def role_in(broadcast: Broadcast, user) -> str:
    """host | court | member | "" (not allowed) for a logged-in user."""
    if user is None or not user.is_authenticated:
        return ""
    if broadcast.host_id == user.pk:
        return "host"
    roles = set(Participation.objects.filter(user=user, case__in=broadcast.cases.values("case_id"))
                .values_list("role", flat=True))
    if roles & set(MEMBER_ROLES):
        return "member"
    if roles:
        return "court"
    return ""


def broadcast_for(*, user, broadcast_id) -> tuple[Broadcast, str]:
    """The session and the caller's role in it; broadcast_none for anyone else (as for no such session)."""
    try:
        b = Broadcast.objects.get(pk=int(broadcast_id))
    except (Broadcast.DoesNotExist, TypeError, ValueError):
        raise errors.none() from None
    role = role_in(b, user)
    if not role:
        raise errors.none()
    return b, role


def broadcast_public(token: str) -> Broadcast:
    b = Broadcast.objects.filter(public=True, public_token=token or "-").first() if token else None
    if b is None:
        raise errors.none()
    return b


def _host(b: Broadcast, actor) -> Broadcast:
    if b.host_id != getattr(actor, "pk", None):
        raise errors.host_only()
    return Broadcast.objects.select_for_update().get(pk=b.pk)


@transaction.atomic
def broadcast_start(*, broadcast: Broadcast, actor) -> Broadcast:
    b = _host(broadcast, actor)
    if b.status != BroadcastStatus.SCHEDULED:
        raise errors.state(_("The session has already started."))
    b.status, b.started_at = BroadcastStatus.LIVE, timezone.now()
    b.save(update_fields=["status", "started_at"])
    return b


@transaction.atomic
def broadcast_end(*, broadcast: Broadcast, actor) -> Broadcast:
    b = _host(broadcast, actor)
    if b.status != BroadcastStatus.LIVE:
        raise errors.state(_("The session is not live."))
    b.status, b.ended_at = BroadcastStatus.ENDED, timezone.now()
    b.save(update_fields=["status", "ended_at"])
    stats = viewer_stats(b)
    journal_append_many([EntryInput(case=bc.case, kind="broadcasts.ended", actor=actor, payload={
        "broadcast_id": b.pk, "posts": b.posts.count(), "questions": b.questions.count(),
        "published": b.questions.filter(status=QuestionStatus.PUBLISHED).count(), "viewers": stats["total"]})
        for bc in b.cases.select_related("case")])
    return b


def _clean(b: Broadcast, text: str, limit: int) -> str:
    from yunting.core.threads.services import content_check

    text = (text or "").strip()
    if not 1 <= len(text) <= limit:
        raise errors.invalid(_("Write 1 to %(n)s characters.") % {"n": limit}, "text")
    cleaned, _data, _masked = content_check(court_id=b.court_id, text=text)
    return cleaned


@transaction.atomic
def broadcast_post(*, broadcast: Broadcast, actor, text: str, question_id=None) -> BroadcastPost:
    """The judge's answer in the stream; answering a question publishes it too."""
    b = _host(broadcast, actor)
    if b.status != BroadcastStatus.LIVE:
        raise errors.state(_("Start the session first."))
    text = _clean(b, text, 2000)
    question = None
    if question_id not in (None, ""):
        question = b.questions.filter(pk=question_id).exclude(status=QuestionStatus.REJECTED).first()
        if question is None:
            raise errors.invalid(_("No such question in this session."), "question")
        BroadcastQuestion.objects.filter(pk=question.pk).update(
            status=QuestionStatus.PUBLISHED, answered=True, decided_at=question.decided_at or timezone.now())
    return BroadcastPost.objects.create(broadcast=b, text=text, question=question)


@transaction.atomic
def question_ask(*, broadcast: Broadcast, user=None, anonymous_id: str = "", text: str) -> BroadcastQuestion:
    """A viewer asks: filtered (threads' word list; a blocked word refuses it), at most ASK_LIMIT a minute,
    waiting for moderation. Members are labelled 当事人, the public 网友 with a short mark."""
    if broadcast.status == BroadcastStatus.ENDED:
        raise errors.state(_("The session has ended."))
    key = viewer_key(user=user, anonymous_id=anonymous_id)
    since = timezone.now() - ASK_WINDOW
    recent = list(BroadcastQuestion.objects.filter(broadcast=broadcast, viewer_key=key, created_at__gte=since)
                  .order_by("created_at").values_list("created_at", flat=True))
    if len(recent) >= ASK_LIMIT:
        wait = int((recent[0] + ASK_WINDOW - timezone.now()).total_seconds()) + 1
        raise errors.rate_limited(max(wait, 1))
    text = _clean(broadcast, text, 300)
    member = user is not None and user.is_authenticated
    label = "当事人" if member else f"网友{key[:4]}"
    return BroadcastQuestion.objects.create(broadcast=broadcast, author=user if member else None, author_label=label,
                                            viewer_key=key, text=text)


@transaction.atomic
def question_decide(*, broadcast: Broadcast, actor, question_id, publish: bool) -> BroadcastQuestion:
    _host(broadcast, actor)
    q = BroadcastQuestion.objects.select_for_update().filter(broadcast=broadcast, pk=question_id).first() \
        if str(question_id or "").isdigit() else None
    if q is None:
        raise errors.invalid(_("No such question in this session."), "question")
    if q.status != QuestionStatus.PENDING:
        raise errors.state(_("This question has already been moderated."))
    q.status = QuestionStatus.PUBLISHED if publish else QuestionStatus.REJECTED
    q.decided_at = timezone.now()
    q.save(update_fields=["status", "decided_at"])
    return q


def viewer_seen(*, broadcast: Broadcast, user=None, anonymous_id: str = "") -> None:
    """A heartbeat from an open page (every few seconds): counts the viewer once, keeps them "live now"."""
    key = viewer_key(user=user, anonymous_id=anonymous_id)
    now = timezone.now()
    if BroadcastViewer.objects.filter(broadcast=broadcast, viewer_key=key).update(last_seen=now):
        return
    try:
        with transaction.atomic():
            BroadcastViewer.objects.create(broadcast=broadcast, viewer_key=key, last_seen=now)
    except IntegrityError:  # two tabs at once: the other made the row
        BroadcastViewer.objects.filter(broadcast=broadcast, viewer_key=key).update(last_seen=now)


def viewer_stats(broadcast: Broadcast) -> dict:
    since = timezone.now() - LIVE_WINDOW
    qs = BroadcastViewer.objects.filter(broadcast=broadcast)
    return {"total": qs.count(), "live": qs.filter(last_seen__gte=since).count()}


def snapshot(broadcast: Broadcast, *, role: str, after: int = 0) -> dict:
    """What a page shows, as JSON: status, counts, the stream, the published questions (and, for the host, the
    pending ones). Public viewers get nothing of any case — no number, no name."""
    b = Broadcast.objects.get(pk=broadcast.pk)
    posts = [{"id": p.pk, "text": p.text, "at": p.at.isoformat(),
              "question": p.question.text if p.question_id and p.question else ""}
             for p in b.posts.select_related("question").filter(pk__gt=after)]
    published = b.questions.filter(status=QuestionStatus.PUBLISHED)
    out = {"id": b.pk, "title": b.title, "description": b.description, "status": b.status,
           "status_label": b.get_status_display(), "viewers": viewer_stats(b), "posts": posts,
           "questions": [{"id": q.pk, "by": q.author_label, "text": q.text, "answered": q.answered}
                         for q in published]}
    if role == "host":
        out["pending"] = [{"id": q.pk, "by": q.author_label, "text": q.text}
                          for q in b.questions.filter(status=QuestionStatus.PENDING)]
        out["public_token"] = b.public_token or ""
    return out


def broadcasts_for_user(user) -> list[Broadcast]:
    """Sessions the user hosts or whose cases they take part in, newest first."""
    cases = Participation.objects.filter(user=user).values("case_id")
    return list(Broadcast.objects.filter(Q(host=user) | Q(cases__case_id__in=cases)).distinct()[:50])
