"""Who put a document on record, and in what capacity: the first thing the public verify page, the ledger API
and `yunting verify` say about a document.

Derived only from facts a submitter cannot choose: the journal entry kind (`papers.*` entries are appended by the
papers flow, which only court staff can use; `papers.sealed` only by someone holding the court's seal), the
appending person's standing in the case (court staff, an institution, a party or lawyer), and — only when court
staff entered it — the document kind's issuer. Never from a field the submitter sends: a party's "判决书" is a
party's material, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from .catalog import COURT, INSTITUTION, INSTITUTION_ROLES, PARTY, kind_issuer, kind_label

PAPER_ENTRY_KINDS = frozenset({"papers.issued", "papers.signed", "papers.sealed", "papers.handsigned"})
SEALED_ENTRY_KINDS = frozenset({"papers.sealed"})
# entries that carry the filer's own documents into the case (appended by the filing officer who accepted them)
FILER_ENTRY_KINDS = frozenset({"filing.submitted", "filing.accepted", "filing.rejected"})
ISSUERS = (COURT, PARTY, INSTITUTION)


def issuer_of(*, entry_kind: str, capacity: str, document_kind: str, filer_institution: bool = False) -> str:
    """court | party | institution for one document of one entry (a pure rule, table-tested).

    `capacity` is the appending person's standing in the case (court | institution | party)."""
    if entry_kind in PAPER_ENTRY_KINDS:
        return COURT
    if entry_kind in FILER_ENTRY_KINDS:
        return INSTITUTION if filer_institution else PARTY
    if capacity == COURT:  # court staff entering a document: the kind says whose it is (a scanned 答辩状 is a party's)
        return kind_issuer(document_kind)
    return capacity


def issuer_of_leaf_kind(entry_kind: str) -> str | None:
    """What the signed leaf alone proves offline: court papers are `papers.*` entries; anything else needs the
    court's record (the bundle's `record`) to say more."""
    return COURT if entry_kind in PAPER_ENTRY_KINDS else None


def actor_capacity(entry) -> str:
    """The appending person's standing in the entry's case, from their participations and court memberships."""
    from yunting.core.cases.access import COURT_WIDE_ROLES
    from yunting.core.cases.choices import COURT_CASE_ROLES
    from yunting.core.cases.models import Participation
    from yunting.core.people.models import Membership

    if entry.actor_id is None:
        return COURT  # the platform itself (a background job of the court)
    roles = set(Participation.objects.filter(case_id=entry.case_id, user_id=entry.actor_id)
                .values_list("role", flat=True))
    if roles & COURT_CASE_ROLES:
        return COURT
    if Membership.objects.filter(user_id=entry.actor_id, organisation_id=entry.case.court_id,
                                 role__in=COURT_WIDE_ROLES).exists():
        return COURT
    if roles & INSTITUTION_ROLES:
        return INSTITUTION
    return PARTY


def statement(*, issued_by: str, sealed: bool, recorded_at: datetime | None) -> str:
    """The plain answer, in the active language."""
    from yunting.kernel.common.timeutil import SHANGHAI

    when = recorded_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if recorded_at else "—"
    if issued_by == COURT and sealed:
        return _("A document issued by this court (bearing the court's electronic seal).")
    if issued_by == COURT:
        return _("A document made by this court, without the court's electronic seal (a version before sealing, "
                 "or a record of the court).")
    if issued_by == INSTITUTION:
        return _("Material submitted by an institution taking part in the case. The court proves only that it was "
                 "submitted at %(time)s and has not been altered since, not that its content is true.") % {"time": when}
    return _("Material submitted by a party. The court proves only that it was submitted at %(time)s and has not "
             "been altered since, not that its content is true.") % {"time": when}


def issuer_label(issued_by: str) -> str:
    return {COURT: _("This court"), PARTY: _("A party (or their lawyer)"),
            INSTITUTION: _("An institution taking part in the case")}.get(issued_by, issued_by)


@dataclass(frozen=True)
class Provenance:
    """What the public may learn about one recorded document."""

    issued_by: str  # court | party | institution
    sealed: bool
    entry_kind: str
    entry_kind_label: str
    title: str
    document_kind: str
    document_kind_label: str
    case_number: str  # masked unless the case is public
    case_public: bool
    recorded_at: datetime

    @property
    def statement(self) -> str:
        return statement(issued_by=self.issued_by, sealed=self.sealed, recorded_at=self.recorded_at)

    @property
    def issuer_label(self) -> str:
        return issuer_label(self.issued_by)

    def as_json(self) -> dict:
        from yunting.kernel.common.timeutil import iso_utc

        return {"issued_by": self.issued_by, "issued_by_label": self.issuer_label, "sealed": self.sealed,
                "statement": self.statement, "entry_kind": self.entry_kind,
                "entry_kind_label": self.entry_kind_label, "title": self.title, "document_kind": self.document_kind,
                "document_kind_label": self.document_kind_label, "case_number": self.case_number,
                "case_public": self.case_public, "recorded_at": iso_utc(self.recorded_at)}


def _masked_title(title: str, case) -> str:
    """A non-public case's document title without the parties' names (the hash of every document is public)."""
    from yunting.kernel.security.masking import mask_name

    for name in case.parties.values_list("name", flat=True):
        if name and len(name) > 1 and name in title:
            title = title.replace(name, mask_name(name))
    return title


def document_provenance(sha256: str, record_id: int | None, *,
                        entry_label: Callable[[str], str] = str) -> Provenance | None:
    """The provenance of the document with this SHA-256 as recorded by journal entry `record_id` (the ledger
    leaf's record); None when the leaf is not a journal entry's. `entry_label` names entry kinds for people (the
    interfaces hold those labels)."""
    from yunting.core.cases.choices import SecurityLevel
    from yunting.core.journal.ledger_glue import mask_case_number
    from yunting.core.journal.models import JournalEntry

    from .models import Document

    if record_id is None:
        return None
    entry = JournalEntry.objects.select_related("case").filter(pk=record_id).first()
    if entry is None:
        return None
    document = Document.objects.filter(entry=entry, blob_id=sha256).only("title", "kind").first()
    kind = document.kind if document else ""
    public = entry.case.security_level == SecurityLevel.PUBLIC
    issued_by = issuer_of(entry_kind=entry.kind, capacity=actor_capacity(entry), document_kind=kind,
                          filer_institution=bool((entry.payload or {}).get("institution")))
    title = document.title if document else ""
    label = str(entry_label(entry.kind))
    step = (entry.payload or {}).get("slot_label") if entry.kind in PAPER_ENTRY_KINDS else None
    if step and step not in label:  # which signature this version added: 审判员签名, 书记员签名 …
        label = f"{label}（{step}）"
    return Provenance(
        issued_by=issued_by, sealed=entry.kind in SEALED_ENTRY_KINDS, entry_kind=entry.kind,
        entry_kind_label=label, title=title if public else _masked_title(title, entry.case),
        document_kind=kind, document_kind_label=kind_label(kind) if kind else "",
        case_number=entry.case.number if public else mask_case_number(entry.case.number), case_public=public,
        recorded_at=entry.recorded_at,
    )
