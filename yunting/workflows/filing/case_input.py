"""A filing as the case it becomes: what accepting or refusing it reads (its parties, documents and events), and
the CaseInput it makes. Shared by acceptance and by the refusal ruling, which registers a case of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yunting.core.cases.services import CaseInput, PartyInput
from yunting.core.journal.services import DocumentInput
from yunting.kernel.common import rawsql

from .models import Filing, FilingDocument, FilingEvent, FilingParty

ACCEPT_RELATED = ("court", "case_type", "cause", "filer", "on_behalf_of", "institution")
ACCEPT_UNUSED = ("payload", "questionnaire", "facts", "fingerprint", "supplement_request", "decision_reason",
                 "notice_error")  # large or irrelevant to an acceptance: not read for thousands of filings


def with_shared_related(filings: list[Filing], shared: dict) -> list[Filing]:
    """ACCEPT_RELATED attached to each filing from one query per relation for the whole chunk (kept in `shared`
    for the next chunks): a batch's filings share their court, case type, cause and institution, and a join
    built them again as model instances for every row."""
    for name in ACCEPT_RELATED:
        field = Filing._meta.get_field(name)
        known = shared.setdefault(name, {})
        missing = {getattr(f, field.attname) for f in filings} - known.keys() - {None}
        if missing:
            known.update(field.related_model._base_manager.in_bulk(missing))
        for filing in filings:
            value = getattr(filing, field.attname)
            field.set_cached_value(filing, None if value is None else known[value])
    return filings


@dataclass
class Related:
    """What an acceptance needs besides the filing row, read for a whole chunk in three plain queries."""

    parties: list[PartyInput] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


def related_of(filings: list[Filing]) -> dict[int, Related]:
    from yunting.core.people.models import User

    ids = [f.pk for f in filings]
    out = {pk: Related() for pk in ids}
    party_rows = list(FilingParty.objects.extra(**rawsql.where_in(FilingParty, "filing_id", ids)).order_by(
        "filing_id", "order", "id").values_list("filing_id", "role", "kind", "name", "id_number", "credit_code", "address", "phone", "user_id"))
    users = User.objects.in_bulk({row[-1] for row in party_rows if row[-1] is not None})
    for fid, role, kind, name, id_number, credit_code, address, phone, user_id in party_rows:
        out[fid].parties.append(PartyInput(role=role, kind=kind, name=name, id_number=id_number,
                                           credit_code=credit_code, address=address, phone=phone,
                                           user=users.get(user_id)))
    for fid, sha, title, kind, filename, pages in FilingDocument.objects.extra(
            **rawsql.where_in(FilingDocument, "filing_id", ids)).order_by(
            "id").values_list("filing_id", "blob_id", "title", "kind", "filename", "page_count"):
        out[fid].documents.append(DocumentInput(sha256=sha, title=title, kind=kind, filename=filename,
                                                page_count=pages))
    for fid, kind, at, actor_id in FilingEvent.objects.extra(
            **rawsql.where_in(FilingEvent, "filing_id", ids)).order_by("id").values_list(
            "filing_id", "kind", "recorded_at", "actor_id"):
        out[fid].events.append({"kind": kind, "at": at.isoformat(), "actor_id": actor_id})
    return out


def case_input_of(filing: Filing, related: Related) -> CaseInput:
    from yunting.core.cases.choices import CaseRole

    participants = []
    if filing.filer is not None and filing.on_behalf_of is not None:  # the lawyer acts for the client's party
        participants.append((filing.filer, CaseRole.LAWYER, client_party(related.parties, filing.on_behalf_of)))
    return CaseInput(
        court=filing.court, case_type=filing.case_type, cause=filing.cause, parties=related.parties,
        procedure=filing.procedure, claim_amount=filing.claim_amount, filed_at=filing.submitted_at,
        participants=participants,
    )


def client_party(parties: list[PartyInput], client) -> int | None:
    """Which party a lawyer's client is: the one linked to the client's account at submission, else the first
    plaintiff-side party (the client's name written differently from the account's)."""
    from .validation import FIRST_SIDE

    linked = next((i for i, p in enumerate(parties) if p.user is not None and p.user.pk == client.pk), None)
    if linked is not None:
        return linked
    return next((i for i, p in enumerate(parties) if p.role in FIRST_SIDE), None)
