from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.journal.services import DocumentInput, EntryInput, journal_append, journal_append_many
from yunting.core.people.models import Organisation
from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import Conflict, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.search.engine import search_index_many
from yunting.kernel.security.identifiers import IdentifierError, ric_validate, uscc_validate

from .choices import CaseRole, CaseStatus, PartyKind, PartyRole
from .models import Case, CaseNumberSequence, CaseType, Cause, Participation, Party
from .numbers import format_case_number


@dataclass
class PartyInput:
    role: str
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    address: str = ""
    phone: str = ""
    user: object | None = None


@dataclass
class CaseInput:
    court: Organisation
    case_type: CaseType
    cause: Cause
    parties: Sequence[PartyInput]
    title: str = ""
    procedure: str = ""
    security_level: str = "internal"
    claim_amount: Decimal | None = None
    tribunal_code: str = ""
    filed_at: datetime | None = None
    # (user, CaseRole) or (user, CaseRole, i): a lawyer acting for `parties[i]` (the party they represent)
    participants: Sequence[tuple] = field(default_factory=tuple)


def case_number_allocate(*, year: int, court_code: str, type_code: str, tribunal_code: str = "") -> int:
    """Next sequence number for (year, court, tribunal, type). Call inside the transaction that uses it.

    The counter row is bumped with UPDATE … RETURNING: PostgreSQL's row lock and SQLite's single writer both
    serialise it, and a rolled-back case rolls its number back too, so numbers stay gap-free and unique.
    """
    return case_number_allocate_many(year=year, court_code=court_code, type_code=type_code, count=1,
                                     tribunal_code=tribunal_code)[0]


def case_number_allocate_many(*, year: int, court_code: str, type_code: str, count: int,
                              tribunal_code: str = "", counters: dict | None = None) -> range:
    """`count` consecutive sequence numbers with one bump of the counter (same guarantees as above).

    `counters` ({counter key: last number taken}, updated in place): for bulk opens in a line, each started
    before the one in front has committed (one-click acceptance's lanes on PostgreSQL). A counter the line has
    already taken from is not read: the numbers follow on from the last one in front, and the counter's bump,
    which waits in the database for the open in front to commit, is checked to land exactly there; otherwise
    Conflict, and the caller redoes its cases after the one in front. Numbers stay gap-free, unique and in the
    line's order either way."""
    if not connection.in_atomic_block:
        raise RuntimeError("case numbers must be allocated inside the transaction that creates the case")
    table = CaseNumberSequence._meta.db_table
    key = (year, court_code, tribunal_code, type_code)
    create = (f"INSERT INTO {table} (year, court_code, tribunal_code, type_code, last_value)"
              " VALUES (%s, %s, %s, %s, 0) ON CONFLICT DO NOTHING")
    bump = (f"UPDATE {table} SET last_value = last_value + %s"
            " WHERE year = %s AND court_code = %s AND tribunal_code = %s AND type_code = %s RETURNING last_value")
    if counters is not None and key in counters:
        last = counters[key] + count
        moved = Conflict(_("The case numbers moved meanwhile; the cases are opened again in turn."),
                         code="case_number_moved")
        # Queued under a write-behind: the insert and the bump wait in the database for the open in front (its
        # row may not be committed yet), not the caller. The bump is unconditional and checked afterwards: a
        # condition on the old value would be judged on the row as it stood before the open in front commits
        # (PostgreSQL re-reads only rows the condition already matched).
        with rawsql.cursor() as cur:
            cur.execute(create, key)
            cur.execute(bump, [count, *key])

            def check() -> None:
                if cur.fetchone() != (last,):
                    raise moved

            cur.deferred(check)
    else:
        with connection.cursor() as cur:
            cur.execute(create, key)
            cur.execute(bump, [count, *key])
            last = cur.fetchone()[0]
    if counters is not None:
        counters[key] = last
    return range(last - count + 1, last + 1)


PARTY_ROLES, PARTY_KINDS = frozenset(PartyRole.values), frozenset(PartyKind.values)


def _validated_party(p: PartyInput) -> PartyInput:
    if p.role not in PARTY_ROLES:
        raise ValidationFailed(_("Invalid party role."), code="party_role", data={"role": p.role})
    if p.kind not in PARTY_KINDS:
        raise ValidationFailed(_("Invalid party kind."), code="party_kind", data={"kind": p.kind})
    if not p.name.strip():
        raise ValidationFailed(_("A party's name cannot be empty."), code="party_name")
    try:
        if p.kind == PartyKind.NATURAL and p.id_number:
            p.id_number = ric_validate(p.id_number)
        if p.kind != PartyKind.NATURAL and p.credit_code:
            p.credit_code = uscc_validate(p.credit_code)
    except IdentifierError as exc:
        raise ValidationFailed(_("%(party)s: %(problem)s") % {"party": p.name, "problem": exc}, code=exc.code, data={"party": p.name}) from None
    return p


def _default_title(parties: Sequence[PartyInput], cause: Cause) -> str:
    first = [p.name for p in parties if p.role in ("plaintiff", "applicant", "appellant")]
    second = [p.name for p in parties if p.role in ("defendant", "respondent", "appellee")]
    if first and second:
        return f"{'、'.join(first)}诉{'、'.join(second)}{cause.name}"
    return f"{'、'.join(p.name for p in parties)}{cause.name}"


def case_validate_input(data: CaseInput) -> list[PartyInput]:
    """The checks case_open makes before writing anything; raises ValidationFailed. Returns cleaned parties."""
    if data.court.kind != "court" or not data.court.court_code:
        raise ValidationFailed(_("Only a court can register a case."), code="case_court")
    if not data.parties:
        raise ValidationFailed(_("A case needs at least one party."), code="case_parties")
    return [_validated_party(p) for p in data.parties]


@transaction.atomic
def case_open(*, data: CaseInput, actor=None, documents: Sequence[DocumentInput] = ()) -> Case:
    """Register a case: number it, record parties and participants, and journal `case.registered`."""
    return case_open_many(items=[data], actor=actor, documents_of=[documents])[0]


@transaction.atomic
def case_open_many(*, items: Sequence[CaseInput], actor=None,
                   documents_of: Sequence[Sequence[DocumentInput]] | None = None,
                   entries_after: Callable[[list[Case]], Sequence[EntryInput]] | None = None,
                   counters: dict | None = None, numbered: Callable[[dict], None] | None = None) -> list[Case]:
    """Register many cases in one transaction, exactly as case_open would one by one (numbers in the given
    order), but with one counter bump per (court, type) and the rows, search entries and journal entries
    written in bulk. Any invalid input raises before anything is written, so callers that must isolate bad
    items validate them first with case_validate_input.

    `entries_after(cases)` gives the caller's own entries on the new cases (a filing's `filing.accepted`):
    appended right after each case's `case.registered` in the same bulk append, so every new case row is
    written once more, not once per append.

    `counters`: see case_number_allocate_many (bulk opens in a line); `numbered(counters)` is called once the
    numbers are taken and checked in the database (under a write-behind, on its writer, in turn): from then on
    the next open in the line may number on from them."""
    parties_of = [case_validate_input(data) for data in items]
    now = timezone.now()
    year = now.astimezone(SHANGHAI).year
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, data in enumerate(items):
        groups.setdefault((data.court.court_code, data.case_type.code, data.tribunal_code), []).append(i)
    sequences = [0] * len(items)
    for (court_code, type_code, tribunal_code), positions in sorted(groups.items()):  # one lock order: no deadlock
        numbers = case_number_allocate_many(year=year, court_code=court_code, type_code=type_code,
                                            tribunal_code=tribunal_code, count=len(positions),
                                            counters=counters)
        for i, seq in zip(positions, numbers, strict=True):
            sequences[i] = seq
    if numbered is not None:
        line = dict(counters or {})
        with rawsql.cursor() as cur:
            cur.deferred(lambda: numbered(line))
    cases = []
    for data, parties, seq in zip(items, parties_of, sequences, strict=True):
        number = format_case_number(year=year, court_code=data.court.court_code, type_code=data.case_type.code,
                                    sequence=seq, tribunal_code=data.tribunal_code)
        cases.append(Case(
            number=number, year=year, sequence=seq, court=data.court, case_type=data.case_type,
            tribunal_code=data.tribunal_code, cause=data.cause,
            title=(data.title or _default_title(parties, data.cause))[:300],
            procedure=data.procedure or data.case_type.default_procedure, status=CaseStatus.REGISTERED,
            security_level=data.security_level, claim_amount=data.claim_amount, filed_at=data.filed_at or now,
            registered_at=now,
        ))
    rawsql.bulk_insert(cases)
    party_rows = [
        [Party(case=case, role=p.role, kind=p.kind, name=p.name.strip(), id_number=p.id_number,
               credit_code=p.credit_code, address=p.address, phone=p.phone, user=p.user, order=i)
         for i, p in enumerate(parties)]
        for case, parties in zip(cases, parties_of, strict=True)
    ]
    rawsql.bulk_insert([row for rows in party_rows for row in rows])
    participations: dict[tuple[int, int, str], Participation] = {}
    for case, data, rows in zip(cases, items, party_rows, strict=True):
        for row in rows:
            if row.user is not None:
                participations.setdefault((case.pk, row.user.pk, CaseRole.PARTY),
                                          Participation(case=case, user=row.user, role=CaseRole.PARTY, party=row))
        for user, role, *acting_for in data.participants:
            party = rows[acting_for[0]] if acting_for and acting_for[0] is not None else None
            participations.setdefault((case.pk, user.pk, role),
                                      Participation(case=case, user=user, role=role, party=party))
    rawsql.bulk_insert(list(participations.values()))
    participants_of: dict[int, list[dict]] = {}
    for p in participations.values():  # journaled below, so `yunting audit` can tell an inserted row
        participants_of.setdefault(p.case.pk, []).append(
            {"user_id": p.user.pk, "role": p.role, "party_id": p.party.pk if p.party is not None else None})
    search_index_many(scope="case", items=[
        (case.pk, f"{case.number} {case.title} {case.cause.name} {' '.join(r.name for r in rows)}", None)
        for case, rows in zip(cases, party_rows, strict=True)
    ])
    documents_of = documents_of or [()] * len(items)
    journal_append_many(new_cases={case.pk for case in cases}, items=[
        EntryInput(case=case, kind="case.registered", actor=actor, documents=documents, payload={
            "number": case.number,
            "type_code": data.case_type.code,
            "cause": data.cause.name,
            "procedure": case.procedure,
            "parties": [{"id": r.pk, "role": r.role, "kind": r.kind, "name": r.name} for r in rows],
            "claim_amount": str(data.claim_amount) if data.claim_amount is not None else None,
            "security_level": case.security_level,
            "participants": participants_of.get(case.pk, []),
        })
        for case, data, rows, documents in zip(cases, items, party_rows, documents_of, strict=True)
    ] + list(entries_after(cases) if entries_after is not None else ()))
    return cases


@transaction.atomic
def case_add_participant(*, case: Case, user, role: str, actor=None, party: Party | None = None) -> Participation:
    """`user` takes part in the case in `role` (for `party`, when a party's own account or its lawyer).

    Idempotent. One exception to "already there, nothing to do": a lawyer recorded without the party they act
    for (registered as a participant before that was known) is tied to `party` when it is given now; that is
    journaled like an addition, with the party, so the party's panels (seat in the room, witnesses, signing)
    open to the lawyer and the case space labels them as its 代理人."""
    if role not in CaseRole.values:
        raise ValidationFailed(_("Invalid case role."), code="case_role", data={"role": role})
    if party is not None and party.case_id != case.pk:
        raise ValidationFailed(_("That party is not in this case."), code="case_party", data={"party": party.pk})
    participation, created = Participation.objects.get_or_create(
        case=case, user=user, role=role, defaults={"party": party}
    )
    if not created and role == CaseRole.LAWYER and participation.party_id is None and party is not None:
        participation.party = party
        participation.save(update_fields=["party"])
        created = True
    if created:
        journal_append(
            case=case, kind="case.participant_added", actor=actor,
            payload={"user_id": user.pk, "role": role, "party_id": party.pk if party else None},
        )
    return participation


TRANSITIONS = {
    CaseStatus.REGISTERED: {CaseStatus.IN_TRIAL, CaseStatus.MEDIATION, CaseStatus.HEARING_SCHEDULED, CaseStatus.CLOSED},
    CaseStatus.IN_TRIAL: {CaseStatus.MEDIATION, CaseStatus.HEARING_SCHEDULED, CaseStatus.DECIDED, CaseStatus.CLOSED},
    CaseStatus.MEDIATION: {CaseStatus.IN_TRIAL, CaseStatus.HEARING_SCHEDULED, CaseStatus.CLOSED},
    CaseStatus.HEARING_SCHEDULED: {CaseStatus.IN_TRIAL, CaseStatus.DECIDED, CaseStatus.MEDIATION, CaseStatus.CLOSED},
    CaseStatus.DECIDED: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.ARCHIVED},
    CaseStatus.ARCHIVED: set(),
}


@transaction.atomic
def case_change_status(*, case: Case, status: str, actor=None, reason: str = "") -> Case:
    from yunting.kernel.common.errors import Conflict

    current = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
    if status not in TRANSITIONS.get(current, set()):
        raise Conflict(_("This is not possible at the case's current stage."), code="case_status", data={"from": current, "to": status})
    updates = {"status": status}
    if status == CaseStatus.CLOSED:
        updates["closed_at"] = timezone.now()
    Case.objects.filter(pk=case.pk).update(**updates)
    for k, v in updates.items():
        setattr(case, k, v)
    journal_append(case=case, kind="case.status_changed", actor=actor, payload={"from": current, "to": status, "reason": reason})
    return case
