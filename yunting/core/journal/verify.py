"""Recompute a case's hash chain and report every entry that does not match."""

from dataclasses import dataclass

from .chain import GENESIS, chain_hash, entry_body
from .models import JournalEntry


@dataclass
class ChainProblem:
    entry_id: int
    seq: int
    reason: str


def journal_verify_case(case) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    prev = GENESIS
    expected_seq = 1
    for e in JournalEntry.objects.filter(case=case).order_by("seq"):
        if e.seq != expected_seq:
            problems.append(ChainProblem(e.pk, e.seq, f"sequence gap: expected {expected_seq}"))
        if e.prev_hash != prev:
            problems.append(ChainProblem(e.pk, e.seq, "prev_hash does not match the previous entry"))
        body = entry_body(
            case_number=case.number, seq=e.seq, kind=e.kind, actor_id=e.actor_id, recorded_at=e.recorded_at,
            payload=e.payload, document_hashes=e.document_hashes,
        )
        if chain_hash(e.prev_hash, body) != e.entry_hash:
            problems.append(ChainProblem(e.pk, e.seq, "entry_hash does not match its content"))
        prev, expected_seq = e.entry_hash, e.seq + 1
    if case.journal_head and case.journal_head != prev:
        problems.append(ChainProblem(0, expected_seq - 1, "case journal head does not match the last entry"))
    return problems
