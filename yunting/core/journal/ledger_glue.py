"""Journal ↔ ledger glue: every journal entry becomes one leaf of the transparency log, in the same transaction.

Wire it once from JournalConfig.ready():  `from . import ledger_glue; ledger_glue.register()`.

The leaf commits to the entry without revealing it (kernel/ledger/leaves.py, docs/LEDGER.md):
commitment = SHA-256(salt ‖ prev_hash(32 bytes) ‖ entry body), the same preimage as the case hash chain, and
lists the SHA-256 of every document the entry produced, so a document's bytes alone find their leaf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from yunting.kernel.common.timeutil import iso_utc
from yunting.kernel.ledger import sequencer
from yunting.kernel.ledger.audit import Problem
from yunting.kernel.ledger.leaves import commitment, leaf_input_for
from yunting.kernel.ledger.services import ledger_submit_many
from yunting.kernel.ledger.store import NewLeaf

from .chain import entry_body
from .models import JournalEntry


def entry_preimage(entry: JournalEntry, case_number: str) -> bytes:
    body = getattr(entry, "body", None) or entry_body(
        case_number=case_number, seq=entry.seq, kind=entry.kind, actor_id=entry.actor_id,
        recorded_at=entry.recorded_at, payload=entry.payload, document_hashes=entry.document_hashes,
    )
    return bytes.fromhex(entry.prev_hash) + body


def entry_leaf_input(entry: JournalEntry, case_number: str) -> bytes:
    return leaf_input_for(
        kind=entry.kind, time=iso_utc(entry.recorded_at),
        commitment_hex=commitment(entry.salt, entry_preimage(entry, case_number)),
        documents=list(entry.document_hashes),
    )


def _leaf(entry: JournalEntry) -> NewLeaf:
    return NewLeaf(entry_leaf_input(entry, entry.case.number), entry.pk, tuple(dict.fromkeys(entry.document_hashes)))


def ledger_record_entry(entry: JournalEntry, documents) -> None:
    """Journal recorder: the entry's leaf, queued or appended inside the appending transaction."""
    ledger_submit_many([_leaf(entry)])


def ledger_record_entries(entries: list[JournalEntry], documents) -> None:
    """Bulk form of ledger_record_entry for journal_append_many: the leaves in the entries' order, at once."""
    ledger_submit_many([_leaf(e) for e in entries])


def ledger_queue_row(entry: JournalEntry):
    """In queued mode, the queued leaf as a row the journal writes with the entry (the same statement on
    PostgreSQL); None in inline mode, so the recorder appends the leaf itself."""
    from .registry import CompanionRow

    if not sequencer.is_queued():
        return None
    if getattr(entry, "chain_sql", False):  # seq and prev_hash are computed by the inserting statement
        record_id, leaf_input = None, _leaf_input_sql(entry)
        documents, queued_ms = " ".join(dict.fromkeys(entry.document_hashes)), sequencer.now_ms()
    else:
        record_id, leaf_input, documents, queued_ms = sequencer.queue_row(_leaf(entry))
    transaction.on_commit(sequencer.nudge)
    return CompanionRow(sequencer.QUEUE_TABLE, "record_id", ("leaf_input", "documents", "queued_ms"),
                        (leaf_input, documents, queued_ms))


_COMMITMENT_KEY = b'"commitment":"'


def _leaf_input_sql(entry: JournalEntry):
    """entry_leaf_input as SQL over the chain's columns: the same canonical bytes, the commitment
    SHA-256(salt ‖ prev_hash ‖ body) computed by PostgreSQL once the statement knows prev_hash and seq."""
    from .registry import ChainSql

    placeholder = "0" * 64
    leaf = leaf_input_for(kind=entry.kind, time=iso_utc(entry.recorded_at), commitment_hex=placeholder,
                          documents=list(entry.document_hashes))
    at = leaf.index(_COMMITMENT_KEY + placeholder.encode()) + len(_COMMITMENT_KEY)
    return ChainSql("%s::bytea || convert_to(encode(sha256(%s::bytea || decode(x.prev, 'hex') || x.body), 'hex'),"
                    " 'UTF8') || %s::bytea", (leaf[:at], bytes.fromhex(entry.salt), leaf[at + 64:]))


def register() -> None:
    from .registry import register_recorder

    register_recorder("ledger", ledger_record_entry, many=ledger_record_entries, row=ledger_queue_row)


# --- the public "verify a document" lookup -------------------------------------------------------------------------

_SEQ = re.compile(r"\d+(号)$")


def mask_case_number(number: str) -> str:
    """（2026）粤0306民初123号 → （2026）粤0306民初***号: court and year stay, the case itself does not."""
    return _SEQ.sub(r"***\1", number) if _SEQ.search(number) else "***"


@dataclass(frozen=True)
class DocumentRecord:
    case_number: str  # masked unless the case is public
    case_public: bool
    entry_kind: str
    recorded_at: datetime
    leaf_index: int


def document_record(leaf_index: int, record_id: int | None) -> DocumentRecord | None:
    """What the public may learn about the entry behind a leaf."""
    from yunting.core.cases.choices import SecurityLevel

    if record_id is None:
        return None
    entry = JournalEntry.objects.select_related("case").filter(pk=record_id).first()
    if entry is None:
        return None
    public = entry.case.security_level == SecurityLevel.PUBLIC
    return DocumentRecord(
        case_number=entry.case.number if public else mask_case_number(entry.case.number), case_public=public,
        entry_kind=entry.kind, recorded_at=entry.recorded_at, leaf_index=leaf_index,
    )


# --- audit: journal rows against their leaves; blobs against their keys ----------------------------------------------


def journal_ledger_audit(*, chunk: int = 2000) -> list[Problem]:
    from .verify import journal_verify_case

    problems: list[Problem] = []
    last = 0
    cases = {}
    while True:
        entries = list(JournalEntry.objects.select_related("case").filter(pk__gt=last).order_by("pk")[:chunk])
        if not entries:
            break
        ids = [e.pk for e in entries]
        with connection.cursor() as c:
            c.execute(
                f"SELECT record_id, leaf_input FROM ledger_leaf WHERE record_id IN ({','.join(['%s'] * len(ids))})",
                ids,
            )
            leaves = {rid: bytes(li) for rid, li in c.fetchall()}
            # Leaves still queued for the sequencer are the entry's leaf too (committed with it, not yet indexed).
            c.execute(
                f"SELECT record_id, leaf_input FROM {sequencer.QUEUE_TABLE} WHERE record_id IN ({','.join(['%s'] * len(ids))})",
                ids,
            )
            for rid, li in c.fetchall():
                leaves.setdefault(rid, bytes(li))
        for e in entries:
            cases[e.case_id] = e.case
            leaf = leaves.get(e.pk)
            if leaf is None:
                problems.append(Problem("journal_entry", str(e.pk), "has no ledger leaf"))
            elif leaf != entry_leaf_input(e, e.case.number):
                problems.append(Problem("journal_entry", str(e.pk), "does not match its ledger leaf"))
        last = ids[-1]
    for case in cases.values():
        for p in journal_verify_case(case):
            problems.append(Problem("journal_entry", str(p.entry_id), f"case {case.pk} chain: {p.reason}"))
    with connection.cursor() as c:
        c.execute(
            "SELECT l.idx, l.record_id FROM ledger_leaf l LEFT JOIN journal_journalentry e ON e.id = l.record_id"
            " WHERE l.record_id IS NOT NULL AND e.id IS NULL"
        )
        for idx, rid in c.fetchall():
            problems.append(Problem("journal_entry", str(rid), f"missing, yet leaf {idx} records it"))
    seen, unique = set(), []
    for p in problems:
        if (p.what, p.id, p.message) not in seen:
            seen.add((p.what, p.id, p.message))
            unique.append(p)
    return unique


def blobs_audit() -> list[Problem]:
    from yunting.kernel.blobs.models import Blob
    from yunting.kernel.blobs.store import blob_verify
    from yunting.kernel.common.errors import NotFound

    problems = []
    for sha in Blob.objects.order_by("sha256").values_list("sha256", flat=True).iterator():
        try:
            if not blob_verify(sha):
                problems.append(Problem("blob", sha, "stored bytes do not match their SHA-256"))
        except NotFound:
            problems.append(Problem("blob", sha, "stored bytes are missing"))
    return problems


def security_logs_audit() -> list[Problem]:
    """The read log and the security events: gaps, altered rows, and newest rows cut off (against the anchor)."""
    from yunting.kernel.ledger.anchor import anchor_read
    from yunting.kernel.security.chain import chain_audit
    from yunting.kernel.security.models import ReadLog, SecurityEvent

    problems: list[Problem] = []
    anchors = anchor_read()
    for name, model in (("readlog", ReadLog), ("securityevent", SecurityEvent)):
        found, _last = chain_audit(name, model)
        problems += [Problem(p.table, p.id, p.message) for p in found]
        anchored = max((tuple(a["chains"][name]) for a in anchors if name in a.get("chains", {})), default=None)
        if anchored and anchored[0] > 0:
            row = model.objects.filter(seq=anchored[0]).values_list("chain", flat=True).first()
            if row is None:
                problems.append(Problem(name, f"seq {anchored[0]}", "deleted: the anchor outside the database "
                                                                    "records rows up to here"))
            elif row != anchored[1]:
                problems.append(Problem(name, f"seq {anchored[0]}", "differs from the anchor outside the database"))
    return problems


def audit_everything() -> tuple[list[Problem], dict]:
    from yunting.kernel.ledger.audit import ledger_audit

    from .facts import facts_audit

    problems, summary = ledger_audit()
    problems += journal_ledger_audit()
    problems += blobs_audit()
    problems += facts_audit()
    problems += security_logs_audit()
    summary["journal_entries"] = JournalEntry.objects.count()
    return problems, summary
