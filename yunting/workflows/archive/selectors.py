"""Reads for archiving, transfer and remote reading: what a volume holds, the case-level metadata, what is due,
who read a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yunting.core.cases.choices import CaseStatus
from yunting.core.cases.models import Case, Participation
from yunting.core.cases.selectors import case_parties
from yunting.core.efile.catalog import COURT, INSTITUTION, kind_issuer
from yunting.core.efile.models import Document
from yunting.core.efile.selectors import efile_catalog_for
from yunting.core.journal.models import JournalEntry
from yunting.kernel.calendar.periods import add_months
from yunting.kernel.common.timeutil import SHANGHAI

from .models import ArchiveVolume, Transfer

ARCHIVE_LIMIT_MONTHS = 3  # DOMAIN.md: archived within 3 months of closure
WARN_DAYS = 15  # the archivist is warned this many days before the limit
VOLUME_LABELS = {"main": "正卷", "secondary": "副卷"}
JUDGE_ROLES = ("presiding_judge", "judge")


@dataclass
class VolumeItem:
    """One row of the item catalogue (卷内目录) and the document behind it."""

    seq: int
    number: str  # 文号
    responsible: str  # 责任者
    title: str  # 题名
    on: date  # 日期
    first_page: int
    last_page: int
    document: Document
    section: str


def archive_volume_items(case: Case, volume: str) -> list[VolumeItem]:
    """The documents of one volume in the prescribed order (section by section, as filed; the latest signed version
    of each court paper), numbered and paged for the item catalogue."""
    items: list[VolumeItem] = []
    page = 1
    court_name = case.court.name
    for vol in efile_catalog_for(case, include_secondary=volume == "secondary"):
        if vol.code != volume:
            continue
        for node in vol.sections:
            for doc in node.documents:
                pages = max(doc.page_count, 1)
                issuer = kind_issuer(doc.kind)
                payload = doc.entry.payload or {}
                responsible = court_name if issuer == COURT else (
                    doc.entry.actor_label if issuer == INSTITUTION or doc.entry.actor_id else court_name)
                items.append(VolumeItem(
                    seq=len(items) + 1, number=str(payload.get("number") or payload.get("paper_number") or ""),
                    responsible=responsible or court_name, title=getattr(doc, "paper_title", "") or doc.title,
                    on=doc.entry.recorded_at.astimezone(SHANGHAI).date(), first_page=page,
                    last_page=page + pages - 1, document=doc, section=f"{node.section.code} {node.section.title}"))
                page += pages
    return items


def _closing(case: Case) -> tuple[date | None, str]:
    """(closure date, outcome) from the journal's `case.closed`, else from the case row."""
    entry = JournalEntry.objects.filter(case=case, kind="case.closed").order_by("seq").first()
    if entry is not None:
        payload = entry.payload or {}
        try:
            return date.fromisoformat(str(payload.get("closed_on"))[:10]), str(payload.get("outcome") or "")
        except ValueError:
            return entry.recorded_at.astimezone(SHANGHAI).date(), str(payload.get("outcome") or "")
    if case.closed_at is not None:
        return case.closed_at.astimezone(SHANGHAI).date(), ""
    return None, ""


def archive_closed_on(case: Case) -> date | None:
    return _closing(case)[0]


def archive_due_on(case: Case) -> date | None:
    """The last day to archive: three months after closure (None while the case is open)."""
    closed = archive_closed_on(case)
    return add_months(closed, ARCHIVE_LIMIT_MONTHS) if closed else None


def archive_case_metadata(case: Case) -> dict:
    """Case-level metadata of the archive (DOMAIN.md): 案号, 案由, 当事人, 程序, 结果, 法院, 合议庭, 承办人, 书记员,
    dates. Party names only: ID numbers and phones do not go into the package."""
    from yunting.core.cases.choices import PartyRole, Procedure

    closed_on, outcome = _closing(case)
    people = Participation.objects.filter(case=case).select_related("user").order_by("id")
    by_role: dict[str, list[str]] = {}
    for p in people:
        by_role.setdefault(p.role, []).append(p.user.display_name)
    panel = by_role.get("presiding_judge", []) + [n for n in by_role.get("judge", [])
                                                  if n not in by_role.get("presiding_judge", [])]
    outcome_label = outcome
    try:
        from yunting.core.courts.choices import Outcome

        outcome_label = str(Outcome(outcome).label) if outcome in Outcome.values else outcome
    except ImportError:  # pragma: no cover - courts is part of every deployment
        pass
    return {
        "case_number": case.number, "title": case.title, "cause": case.cause.name, "court": case.court.name,
        "court_code": case.court.court_code, "case_type": case.case_type_id,
        "procedure": str(Procedure(case.procedure).label) if case.procedure in Procedure.values else case.procedure,
        "parties": [{"role": p.role, "role_label": str(PartyRole(p.role).label) if p.role in PartyRole.values
                     else p.role, "name": p.name, "kind": p.kind} for p in case_parties(case)],
        "outcome": outcome, "outcome_label": outcome_label,
        "panel": panel, "judge": (by_role.get("presiding_judge") or by_role.get("judge") or [""])[0],
        "clerk": (by_role.get("clerk") or [""])[0],
        "filed_on": case.filed_at.astimezone(SHANGHAI).date().isoformat(),
        "registered_on": case.registered_at.astimezone(SHANGHAI).date().isoformat(),
        "closed_on": closed_on.isoformat() if closed_on else None,
    }


@dataclass
class DueRow:
    case: Case
    closed_on: date
    due_on: date
    days_left: int
    state: str  # ok | near | overdue

    @property
    def days_over(self) -> int:
        return -self.days_left


def archive_due_list(*, court_ids, today: date) -> list[DueRow]:
    """Closed, not yet archived cases of these courts with their archiving limit, the most urgent first."""
    closed_entries = JournalEntry.objects.filter(kind="case.closed").values("case_id")
    cases = (Case.objects.filter(court_id__in=court_ids).exclude(status=CaseStatus.ARCHIVED)
             .exclude(archive_volumes__isnull=False)
             .filter(models_q_closed(closed_entries)).select_related("court", "case_type", "cause"))
    rows = []
    for case in cases:
        closed = archive_closed_on(case)
        if closed is None:
            continue
        due = add_months(closed, ARCHIVE_LIMIT_MONTHS)
        left = (due - today).days
        state = "overdue" if left < 0 else "near" if left <= WARN_DAYS else "ok"
        rows.append(DueRow(case, closed, due, left, state))
    rows.sort(key=lambda r: (r.due_on, r.case.pk))
    return rows


def models_q_closed(closed_entries):
    from django.db.models import Q

    return Q(status=CaseStatus.CLOSED) | Q(pk__in=closed_entries)


def archive_volumes_of(case: Case) -> list[ArchiveVolume]:
    return list(ArchiveVolume.objects.filter(case=case).order_by("volume"))


def archive_transfers_of(case: Case) -> list[Transfer]:
    return list(Transfer.objects.filter(case=case).order_by("-created_at"))


def archive_case_reads(case: Case):
    """Every logged read of this case, newest first: who read what, when, through which channel."""
    from yunting.kernel.security.models import ReadLog

    return ReadLog.objects.filter(case_id=case.pk).order_by("-at", "-id")
