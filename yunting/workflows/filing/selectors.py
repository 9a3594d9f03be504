"""Reads of the filing workflow, and the access rule: who may see which filing."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.kernel.calendar import days_left
from yunting.kernel.common.timeutil import shanghai_today

from .choices import FilingStatus
from .errors import FilingNotFound
from .models import Filing, FilingBatch
from .services import REVIEWER_ROLES, is_reviewer


def reviewer_court_ids(user) -> list[int]:
    from yunting.core.people.selectors import organisations_with

    if not getattr(user, "is_authenticated", False):
        return []
    return organisations_with(user, REVIEWER_ROLES)


def access_filing_for(user, filing_id, *, review: bool = False) -> Filing:
    """The filing if `user` may see it: its filer, the client a lawyer files for, or (once submitted) a filing
    officer or court admin of its court. `review=True` asks for the reviewer's standing. Otherwise FilingNotFound,
    the same for "no such filing" and "not yours"."""
    if not getattr(user, "is_authenticated", False):
        raise FilingNotFound()
    try:
        filing = Filing.objects.select_related("court", "case_type", "cause", "filer", "on_behalf_of", "case",
                                               "institution").get(pk=int(filing_id))
    except (Filing.DoesNotExist, ValueError, TypeError):
        raise FilingNotFound() from None
    if filing.status == FilingStatus.DELETED:
        raise FilingNotFound()
    own = user.pk in (filing.filer_id, filing.on_behalf_of_id)
    reviewer = (filing.status != FilingStatus.DRAFT and filing.court_id is not None
                and is_reviewer(user, filing.court_id))
    if review and not reviewer:
        raise FilingNotFound()
    if not own and not reviewer:
        raise FilingNotFound()
    return filing


def filings_of(user) -> QuerySet[Filing]:
    """A party's or lawyer's own filings, newest first."""
    return (Filing.objects.filter(Q(filer=user) | Q(on_behalf_of=user)).exclude(status=FilingStatus.DELETED)
            .select_related("court", "case_type", "cause", "case").order_by("-updated_at", "-id"))


REVIEW_SORTS = {
    "deadline": ("deadline", "submitted_at", "id"), "-deadline": ("-deadline", "-submitted_at", "-id"),
    "submitted": ("submitted_at", "id"), "-submitted": ("-submitted_at", "-id"),
    "amount": (F("claim_amount").asc(nulls_first=True), "deadline", "id"),
    "-amount": (F("claim_amount").desc(nulls_last=True), "deadline", "id"),
}


def review_queue(user, *, status: str = FilingStatus.SUBMITTED, court_id: int | None = None, q: str = "",
                 sort: str = "deadline") -> QuerySet[Filing]:
    """Filings awaiting the user's courts, the nearest deadline first (or as `sort` says); `q` finds a filing by a
    party's or filer's name, its case number, its cause, its institution or the institution's external id.
    Each row carries `has_duplicates`: another filing with the same court, cause, parties and amount exists."""
    courts = reviewer_court_ids(user)
    if court_id is not None:
        courts = [c for c in courts if c == court_id]
    qs = Filing.objects.filter(court_id__in=courts, status=status)
    q = (q or "").strip()[:100]
    if q:
        from .models import FilingParty

        named = FilingParty.objects.filter(name__contains=q).values("filing_id")
        qs = qs.filter(Q(pk__in=named) | Q(filer__real_name__contains=q) | Q(case__number__contains=q)
                       | Q(cause__name__contains=q) | Q(external_id__icontains=q)
                       | Q(institution__name__contains=q) | Q(pk=int(q) if q.isdigit() else None))
    twins = Filing.objects.filter(fingerprint=OuterRef("fingerprint")).exclude(pk=OuterRef("pk")).exclude(
        status__in=(FilingStatus.DRAFT, FilingStatus.DELETED)).exclude(fingerprint="")
    return (qs.annotate(has_duplicates=Exists(twins))
            .select_related("court", "case_type", "cause", "filer", "institution", "case")
            .order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["deadline"])))


def _batches_of_reviewer(user) -> QuerySet[FilingBatch]:
    """The user's courts' batches, each with `waiting` (still submitted) and `accepted` filing counts."""
    return (FilingBatch.objects.filter(court_id__in=reviewer_court_ids(user))
            .select_related("court", "institution", "accept_requested_by")
            .annotate(waiting=Count("filings", filter=Q(filings__status=FilingStatus.SUBMITTED)),
                      accepted=Count("filings", filter=Q(filings__status=FilingStatus.ACCEPTED))))


def batches_for_review(user, *, days: int = 30) -> list[FilingBatch]:
    """Batches of the last `days` with filings still waiting, or bulk-accepted: the review page's 一键立案 list."""
    recent = timezone.now() - timedelta(days=days)
    return list(_batches_of_reviewer(user).filter(created_at__gte=recent)
                .filter(Q(waiting__gt=0) | Q(accept_requested_at__isnull=False)).order_by("-created_at")[:50])


def batch_for_review(user, batch_id) -> FilingBatch:
    """One such batch, or FilingNotFound (not the user's court: the same answer as no such batch)."""
    batch = _batches_of_reviewer(user).filter(pk=batch_id).first()
    if batch is None:
        raise FilingNotFound()
    return batch


def submitted_by_court(user, filing_ids: list[int]) -> dict:
    """Of the given filings, those still submitted to the user's courts, grouped {court: [filing ids]}."""
    out: dict = {}
    for filing in (Filing.objects.filter(pk__in=filing_ids, court_id__in=reviewer_court_ids(user),
                                         status=FilingStatus.SUBMITTED).select_related("court").only("pk", "court")):
        out.setdefault(filing.court, []).append(filing.pk)
    return out


def with_days_left(filings, today: date | None = None) -> list[Filing]:
    today = today or shanghai_today()
    out = list(filings)
    for f in out:
        f.days_left = days_left(today, f.deadline) if f.deadline else None
    return out


def possible_duplicates(filing: Filing) -> QuerySet[Filing]:
    """Other filings with the same court, cause, parties and amount (a second click, a resent form)."""
    if not filing.fingerprint:
        return Filing.objects.none()
    return (Filing.objects.filter(fingerprint=filing.fingerprint).exclude(pk=filing.pk)
            .exclude(status__in=(FilingStatus.DRAFT, FilingStatus.DELETED)).select_related("case").order_by("id"))


def batch_for_institution(institution, batch_id) -> FilingBatch:
    from yunting.kernel.common.errors import NotFound

    try:
        return FilingBatch.objects.get(pk=int(batch_id), institution=institution)
    except (FilingBatch.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such batch."), code="filing_batch_not_found") from None
