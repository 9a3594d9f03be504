"""Demo: the archivist has archived one closed case (not one the fee demo still works on), so the desk, the
archive page and `yunting verify var/archive/<id>/main` have something real to show; other closed cases wait on
the desk with their three-month limit. Idempotent: once a case of the court is archived, nothing more is done."""

from __future__ import annotations

from collections.abc import Callable

from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry

from .models import ArchiveVolume
from .services import archive_case

# the fee demo runs after this one and writes to every case of these types: they are not archived here
FEE_TYPES = ("民初", "民终", "行初")


def archive_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    court = orgs["court"]
    if ArchiveVolume.objects.filter(case__court=court).exists():
        return {"archived": 0}
    closed = JournalEntry.objects.filter(case__court=court, kind="case.closed").values("case_id")
    case = (Case.objects.filter(court=court, pk__in=closed).exclude(case_type_id__in=FEE_TYPES)
            .exclude(status="archived").exclude(security_level="secret").order_by("id").first())
    if case is None:
        progress("archive: no closed case to archive in the demo")
        return {"archived": 0}
    built = archive_case(case=case, actor=users["archivist"], retention="permanent", security_level=case.security_level)
    progress(f"archive: {case.number} archived ({', '.join(str(b.path) for b in built)})")
    return {"archived": 1}
