"""Reads of the scanning workflow: the station's batches and queue, the clerk's queue, paper originals (with the
archivist's pre-archive check `originals_unaccounted`), and full-text search across the e-files a reader may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yunting.core.cases.access import cases_court_side_for, cases_visible_to
from yunting.core.people.models import Membership

from .models import (
    Movement,
    Original,
    OriginalStatus,
    ScanBatch,
    ScanDocStatus,
    ScanDocument,
)
from .services import STATION_ROLES, scan_batch_sync


def station_court_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user, role__in=STATION_ROLES, organisation__kind="court")
                .values_list("organisation_id", flat=True))


def batches_for_station(user, *, limit: int = 50) -> list[ScanBatch]:
    """The station's recent batches in the user's courts, newest first, refused uploads brought up to date."""
    batches = list(ScanBatch.objects.filter(court_id__in=station_court_ids(user)).select_related("upload")[:limit])
    return [scan_batch_sync(b) for b in batches]


def batch_for(user, batch_id) -> ScanBatch | None:
    """A batch of one of the user's courts' stations; None otherwise (the same answer for none)."""
    try:
        pk = int(batch_id)
    except (TypeError, ValueError):
        return None
    batch = (ScanBatch.objects.filter(pk=pk, court_id__in=station_court_ids(user)).select_related("upload")
             .first())
    return scan_batch_sync(batch) if batch else None


def station_queue(user) -> QuerySet[ScanDocument]:
    """Scanned documents routed back to the station with their reasons (quality problems, a clerk's return)."""
    return (ScanDocument.objects.filter(batch__court_id__in=station_court_ids(user), status=ScanDocStatus.RETURNED)
            .select_related("cover", "case", "batch").order_by("-batch__created_at", "first_page"))


def batch_documents(batch: ScanBatch) -> list[ScanDocument]:
    return list(batch.documents.select_related("cover", "case").order_by("first_page"))


def clerk_queue(user) -> QuerySet[ScanDocument]:
    """Scanned documents awaiting confirmation in cases where the user works as court staff."""
    return (ScanDocument.objects.filter(status=ScanDocStatus.PENDING, case__in=cases_court_side_for(user))
            .select_related("case", "cover", "batch").order_by("case__number", "batch_id", "first_page"))


def scan_document_for(user, document_id) -> ScanDocument | None:
    """A scanned document the user may act on or view: court staff of its case (the clerk), or the station of
    its court. None otherwise."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        return None
    doc = ScanDocument.objects.filter(pk=pk).select_related("case", "cover", "batch", "blob").first()
    if doc is None:
        return None
    if doc.batch.court_id in station_court_ids(user):
        return doc
    if doc.case_id and cases_court_side_for(user).filter(pk=doc.case_id).exists():
        return doc
    return None


# --- paper originals -------------------------------------------------------------------------------------------
def originals_of(case) -> list[Original]:
    return list(Original.objects.filter(case=case).select_related("holder").prefetch_related("movements__actor",
                                                                                             "movements__holder"))


def originals_in_store(user, *, q: str = "", lent_only: bool = False) -> QuerySet[Original]:
    """Originals of the cases the user works as court staff (the intermediate store's list)."""
    qs = Original.objects.filter(case__in=cases_court_side_for(user)).select_related("case", "holder")
    if lent_only:
        qs = qs.filter(status=OriginalStatus.LENT)
    if q.strip():
        qs = qs.filter(Q(barcode__iexact=q.strip()) | Q(case__number__icontains=q.strip())
                       | Q(description__icontains=q.strip()))
    return qs.order_by("case__number", "barcode")


def movements_of(original: Original) -> list[Movement]:
    return list(original.movements.select_related("actor", "holder"))


@dataclass
class Unaccounted:
    original: Original
    reason: str  # lent | no_location | not_registered
    barcode: str = ""


def originals_unaccounted(case) -> list[Unaccounted]:
    """The archivist's check before archiving: every paper original of the case must be back in the store (on a
    shelf), handed back to its owner, or archived. Lists what is not: originals still lent out, originals
    without a shelf, and paper scanned under a cover sheet but never registered. Empty means all accounted for."""
    from yunting.workflows.scanning.i18n import _

    out: list[Unaccounted] = []
    originals = list(Original.objects.filter(case=case).select_related("holder"))
    for o in originals:
        if o.status == OriginalStatus.LENT:
            who = o.holder.display_name if o.holder else ""
            out.append(Unaccounted(o, _("lent to %(who)s") % {"who": who}, o.barcode))
        elif o.status == OriginalStatus.IN_STORE and not o.location.strip():
            out.append(Unaccounted(o, _("in the store without a shelf"), o.barcode))
    known = {o.barcode for o in originals}
    filed = (ScanDocument.objects.filter(case=case, status=ScanDocStatus.FILED, cover__isnull=False)
             .select_related("cover"))
    for doc in filed:
        if doc.cover.barcode not in known:
            out.append(Unaccounted(None, _("scanned but never registered in the store"), doc.cover.barcode))
            known.add(doc.cover.barcode)
    return out


# --- full-text search ------------------------------------------------------------------------------------------
SNIPPET = 48


@dataclass
class Hit:
    document: object
    snippet: SafeString
    in_title: bool = False


@dataclass
class SearchPage:
    query: str
    number: int
    hits: list[Hit] = field(default_factory=list)
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _searchable(user):
    """(cases the user sees, 副卷 documents the user must not see): the search runs inside both."""
    from yunting.core.efile.models import Document, Volume

    visible = cases_visible_to(user)
    hidden = (Document.objects.filter(case__in=visible.values("pk"), section__volume=Volume.SECONDARY)
              .exclude(case__in=cases_court_side_for(user).values("pk")).values("pk"))
    return visible.values("pk"), hidden


def efile_search(*, user, q: str, page: int = 1, per_page: int = 20) -> SearchPage:
    """Documents (OCR text of scans and text of born-digital PDFs, and titles) containing every word of `q`,
    within the cases the reader takes part in or reaches, never a 副卷 document for a party or lawyer. Two-character
    words match (kernel.search bigrams). Pages by offset; `has_next` rather than a total (counting every hit of a
    common word over a million pages is the slow part, and nobody reads page 500)."""
    from yunting.core.efile.models import Document
    from yunting.kernel.search.engine import search_ids

    q = (q or "").strip()[:100]
    page = max(1, min(int(page or 1), 500))
    out = SearchPage(query=q, number=page)
    if not q or not getattr(user, "is_authenticated", False):
        return out
    groups, hidden = _searchable(user)
    ids = search_ids(scope="document", query=q, groups=groups, exclude=hidden, limit=per_page + 1,
                     offset=(page - 1) * per_page)
    out.has_next = len(ids) > per_page
    ids = ids[:per_page]
    docs = Document.objects.filter(pk__in=ids).select_related("case", "section")
    by_id = {d.pk: d for d in docs}
    terms = [t for t in q.split() if t]
    for pk in ids:
        doc = by_id.get(pk)
        if doc is None:
            continue
        out.hits.append(Hit(document=doc, snippet=highlight(doc.text or "", terms),
                            in_title=any(t.lower() in doc.title.lower() for t in terms)))
    return out


def highlight(text: str, terms: list[str], *, width: int = SNIPPET) -> SafeString:
    """A short excerpt around the first match with every term marked (<mark>), HTML-escaped."""
    flat = re.sub(r"\s+", " ", text)
    squeezed_terms = [t for t in terms if t]
    if not flat or not squeezed_terms:
        return mark_safe("")
    pattern = re.compile("|".join(re.escape(t) for t in sorted(squeezed_terms, key=len, reverse=True)), re.I)
    match = pattern.search(flat)
    start = max(0, match.start() - width) if match else 0
    excerpt = flat[start:start + 2 * width + (len(match.group(0)) if match else 0)]
    parts, pos = [], 0
    for m in pattern.finditer(excerpt):
        parts.append(escape(excerpt[pos:m.start()]))
        parts.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    parts.append(escape(excerpt[pos:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + len(excerpt) < len(flat) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 (every piece escaped above)




def cover_sheet_pdf(sheet) -> bytes:
    """The printable cover sheet of a CoverSheet (the same bytes each time it is printed)."""
    from yunting.core.efile.catalog import kind_label

    from .cover import cover_pdf

    case = sheet.case
    return cover_pdf(sheet=sheet, case=case, court_name=case.court.name, kind_label=kind_label(sheet.kind)
                     if sheet.kind else "")
