"""Re-derive the security-relevant rows from the journal and report every difference by id.

The journal is hash-chained and committed to the public ledger, so it is the one record that cannot be changed
unseen; rows other tables keep for speed — the e-file's documents, the parties, who takes part in a case, a
case's security level, a blob's type — are facts some entry stated when they were made. This audit reads them
back from the entries (`case.registered`, `case.participant_added`, and the `efile` facts every entry that
produced documents carries) and compares:

- a document row: its case, its bytes (blob), title, kind, security level and file name, and its blob's type;
- document rows an entry never produced, and documents an entry produced that have no row;
- a party: its case, role, kind and name; parties no entry named;
- a participation no entry granted (inserted), and one an entry granted that is gone;
- a case's security level as registered.
Entries written before these facts were journaled (no `efile` list, no party ids) are checked as far as they go.
"""

from __future__ import annotations

from collections import defaultdict

from yunting.kernel.ledger.audit import Problem

from .models import JournalEntry


def facts_audit(*, chunk: int = 2000) -> list[Problem]:
    problems: list[Problem] = []
    problems += _documents_audit(chunk=chunk)
    problems += _cases_audit()
    return problems


def _documents_audit(*, chunk: int) -> list[Problem]:
    from yunting.core.efile.models import Document

    problems: list[Problem] = []
    seen: dict[int, list[Document]] = defaultdict(list)
    last = 0
    while True:
        docs = list(Document.objects.filter(pk__gt=last).select_related("entry", "blob", "section")
                    .order_by("pk")[:chunk])
        if not docs:
            break
        for doc in docs:
            seen[doc.entry_id].append(doc)
            problems += _document_problems(doc)
        last = docs[-1].pk
    for entry in JournalEntry.objects.exclude(document_hashes=[]).only("pk", "document_hashes", "case_id").iterator():
        rows = {d.blob_id for d in seen.get(entry.pk, [])}
        for sha in dict.fromkeys(entry.document_hashes):
            if sha not in rows:
                problems.append(Problem("document", f"entry {entry.pk}",
                                        f"the entry produced document {sha[:16]}…, which has no e-file row (deleted "
                                        f"or moved)"))
    return problems


def _document_problems(doc) -> list[Problem]:
    entry = doc.entry
    out = []

    def bad(message: str) -> None:
        out.append(Problem("document", str(doc.pk), message))

    if doc.case_id != entry.case_id:
        bad(f"case changed: its entry {entry.pk} belongs to case {entry.case_id}, the row says {doc.case_id}")
    if doc.blob_id not in entry.document_hashes:
        bad(f"bytes swapped: blob {doc.blob_id[:16]}… is not among what entry {entry.pk} produced")
        return out
    facts = [f for f in (entry.payload or {}).get("efile") or [] if f.get("sha256") == doc.blob_id]
    if not facts:
        return out  # an entry from before document facts were journaled: case and bytes are all it can tell
    fact = next((f for f in facts if f.get("kind") == doc.kind), facts[0])
    for field, stored in (("title", doc.title), ("kind", doc.kind), ("security_level", doc.security_level),
                          ("filename", doc.filename)):
        if fact.get(field) is not None and fact.get(field) != stored:
            bad(f"{field} changed: the journal says {fact.get(field)!r}, the row says {stored!r}")
    if fact.get("section") and fact["section"] != doc.section.code:
        bad(f"section changed: the journal says {fact['section']}, the row says {doc.section.code}")
    if fact.get("mime_type") and fact["mime_type"] != doc.blob.mime_type:
        out.append(Problem("blob", doc.blob_id, f"type changed: the journal says {fact['mime_type']}, the blob row "
                                                f"says {doc.blob.mime_type}"))
    return out


def _cases_audit() -> list[Problem]:
    from yunting.core.cases.models import Case, Participation, Party

    problems: list[Problem] = []
    granted: dict[int, set[tuple[int, str]]] = defaultdict(set)
    named: dict[int, dict[int, dict]] = defaultdict(dict)
    named_by_order: dict[int, list[dict]] = {}
    levels: dict[int, str] = {}
    from .registry import participation_grants

    readers = participation_grants()
    kinds = ("case.registered", "case.participant_added", *readers)
    for entry in JournalEntry.objects.filter(kind__in=kinds).only("pk", "case_id", "kind", "payload").iterator():
        payload = entry.payload or {}
        if entry.kind in readers:  # e.g. case.assigned: the judge, panel, clerk and assistant
            granted[entry.case_id].update((uid, role) for uid, role in readers[entry.kind](payload))
            continue
        if entry.kind == "case.participant_added":
            granted[entry.case_id].add((payload.get("user_id"), payload.get("role")))
            continue
        if "security_level" in payload:
            levels[entry.case_id] = payload["security_level"]
        for p in payload.get("participants") or []:
            granted[entry.case_id].add((p.get("user_id"), p.get("role")))
        parties = payload.get("parties") or []
        if parties and all("id" in p for p in parties):
            named[entry.case_id] = {p["id"]: p for p in parties}
        else:
            named_by_order[entry.case_id] = parties
    checked_participants = {case_id for case_id in levels}  # cases registered with participants journaled
    for case_id, level in Case.objects.filter(pk__in=list(levels)).values_list("pk", "security_level"):
        if levels[case_id] != level:
            problems.append(Problem("case", str(case_id), f"security level changed: registered "
                                                          f"{levels[case_id]!r}, the row says {level!r}"))
    for party in Party.objects.filter(case_id__in=list(named) + list(named_by_order)).order_by("case_id", "order", "pk"):
        if party.case_id in named:
            fact = named[party.case_id].pop(party.pk, None)
            if fact is None:
                problems.append(Problem("party", str(party.pk), f"not named by any entry of case {party.case_id}"))
                continue
        else:
            order = named_by_order[party.case_id]
            fact = order[party.order] if party.order < len(order) else None
            if fact is None:
                continue
        for field in ("role", "kind", "name"):
            if fact.get(field) != getattr(party, field):
                problems.append(Problem("party", str(party.pk), f"{field} changed: the journal says "
                                                                f"{fact.get(field)!r}, the row says {getattr(party, field)!r}"))
    for case_id, left in named.items():
        for party_id in left:
            problems.append(Problem("party", str(party_id), f"named when case {case_id} was registered, now gone"))
    rows = Participation.objects.filter(case_id__in=checked_participants).values_list("pk", "case_id", "user_id", "role")
    present: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for pk, case_id, user_id, role in rows:
        present[case_id].add((user_id, role))
        if (user_id, role) not in granted[case_id]:
            problems.append(Problem("participation", str(pk), f"user {user_id} as {role} in case {case_id}: no "
                                                              f"entry granted it (inserted)"))
    for case_id in checked_participants:
        for user_id, role in granted[case_id] - present[case_id]:
            problems.append(Problem("participation", f"case {case_id}", f"user {user_id} as {role} was granted by "
                                                                        f"the journal, the row is gone"))
    return problems
