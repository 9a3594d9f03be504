from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import ValidationFailed

from . import registry
from .chain import GENESIS, chain_hash, entry_body
from .models import Delivery, JournalEntry

log = logging.getLogger(__name__)
KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DocumentInput:
    """A document produced by an act: the blob must already be stored (kernel.blobs)."""

    sha256: str
    title: str
    kind: str
    security_level: str = ""
    section: str = ""
    filename: str = ""
    page_count: int | None = None  # when the caller has already counted them (content checks at upload)


@dataclass(frozen=True)
class EntryInput:
    """One entry for journal_append_many: what journal_append takes, as a value."""

    case: Any
    kind: str
    actor: Any = None
    payload: dict[str, Any] | None = None
    documents: Sequence[DocumentInput] = ()


ARCHIVED_STATUS = "archived"
AFTER_ARCHIVING = ("archive.", "case.status_changed")  # what an archived case may still record: the archive's own acts (a transfer)


def _refuse_archived(case, kind: str) -> None:
    """An archived case is read-only (单套制: the archived file is the record): only archive acts are appended."""
    from yunting.kernel.common.errors import Conflict

    if getattr(case, "status", "") == ARCHIVED_STATUS and not kind.startswith(AFTER_ARCHIVING):
        raise Conflict(_("The case is archived: its file is read-only."), code="case_archived", data={"kind": kind})


def _check(kind: str, documents: Sequence[DocumentInput]) -> None:
    if not KIND_RE.match(kind):
        raise ValidationFailed(_("Invalid journal kind: %(kind)s") % {"kind": kind}, code="journal_kind")
    for doc in documents:
        if not SHA256_RE.match(doc.sha256):
            raise ValidationFailed(_("Invalid document hash."), code="journal_document_hash", data={"sha256": doc.sha256})


EFILE_FACTS = "efile"  # payload key: what each document is, so `yunting audit` can re-derive the e-file rows


def document_facts(documents: Sequence[DocumentInput], case, mime_types: dict[str, str]) -> list[dict]:
    """The facts of each document an act produced, as the e-file will file them: they enter the entry's hashed
    body (and its ledger commitment), so a document row whose title, kind, case, volume section, security level
    or bytes were changed afterwards — or a blob whose type was — no longer matches its entry."""
    return [{"sha256": d.sha256, "title": d.title, "kind": d.kind, "section": d.section,
             "security_level": d.security_level or case.security_level, "filename": (d.filename or "")[:255],
             "mime_type": mime_types.get(d.sha256, "")} for d in documents]


def _mime_types(items: Sequence[EntryInput]) -> dict[str, str]:
    from yunting.kernel.blobs.store import blobs_stored

    return {sha256: blob.mime_type for sha256, blob in blobs_stored(d.sha256 for item in items
                                                                     for d in item.documents).items()}


def _entry(item: EntryInput, seq: int, prev_hash: str, recorded_at, mime_types: dict[str, str] | None = None,
           salt: str | None = None) -> JournalEntry:
    """The entry for `item` at place `seq` of its case's chain; `entry.body` keeps the canonical bytes so
    recorders (the ledger) need not serialise them again."""
    case, actor, payload = item.case, item.actor, item.payload or {}
    if item.documents:
        payload = {**payload, EFILE_FACTS: document_facts(item.documents, case, mime_types or {})}
    hashes = [d.sha256 for d in item.documents]
    actor_id = actor.pk if actor is not None else None
    body = entry_body(
        case_number=case.number, seq=seq, kind=item.kind, actor_id=actor_id, recorded_at=recorded_at,
        payload=payload, document_hashes=hashes,
    )
    label = (getattr(actor, "display_name", "") or str(actor)) if actor is not None else "系统"
    entry_hash, salt = chain_hash(prev_hash, body), salt or secrets.token_hex(16)
    if _POSITIONAL:  # Model(*values) skips the keyword machinery: a fifth of building an append's entry
        entry = JournalEntry(None, case.pk, seq, item.kind, actor_id, label, payload, hashes, recorded_at,
                             prev_hash, entry_hash, salt)
    else:
        entry = JournalEntry(case_id=case.pk, seq=seq, kind=item.kind, actor_id=actor_id, actor_label=label,
                             payload=payload, document_hashes=hashes, recorded_at=recorded_at, prev_hash=prev_hash,
                             entry_hash=entry_hash, salt=salt)
    entry.body = body
    _CASE_FIELD.set_cached_value(entry, case)  # what `entry.case = case` does, without re-checking the type
    return entry


_CASE_FIELD = JournalEntry._meta.get_field("case")
_POSITIONAL = [f.attname for f in JournalEntry._meta.concrete_fields] == [
    "id", "case_id", "seq", "kind", "actor_id", "actor_label", "payload", "document_hashes", "recorded_at",
    "prev_hash", "entry_hash", "salt"]


@transaction.atomic
def journal_append(
    *, case, kind: str, actor=None, payload: dict[str, Any] | None = None,
    documents: Sequence[DocumentInput] = (),
) -> JournalEntry:
    """Append one entry to a case's journal: the only write path for anything that happens to a case.

    Within one transaction: the entry with its place in the case's hash chain, then every recorder (e-file,
    ledger). Subscribers are scheduled for after commit.
    """
    _check(kind, documents)
    _refuse_archived(case, kind)
    item = EntryInput(case, kind, actor, payload, documents)
    mime_types = _mime_types([item])
    folded = connection.vendor == "postgresql"
    if folded:  # the chain is computed by the insert itself: the entry is built at seq 0, completed afterwards
        entry = _entry(item, 0, GENESIS, timezone.now(), mime_types)
        entry.chain_sql = True
    else:
        seq, prev_hash = _advance_head(case.pk)
        entry = _entry(item, seq, prev_hash, timezone.now(), mime_types)
    later, companions = [], []
    for recorder, row in registry.recorders_with_rows():
        companion = row(entry) if row is not None else None
        if companion is None:
            later.append(recorder)
        else:
            companions.append(companion)
    if folded:
        _insert_chained(entry, companions)
        seq = entry.seq
    else:
        _insert(entry, companions)
    case.journal_length, case.journal_head = seq, entry.entry_hash
    for recorder in later:
        recorder(entry, list(documents))
    _after_commit([entry])
    return entry


@transaction.atomic
def journal_append_many(items: Sequence[EntryInput], *, new_cases: Collection[int] = ()) -> list[JournalEntry]:
    """Append many entries (to many cases, several per case allowed, kept in the given order) at once.

    The same entries, chains, ledger leaves and e-file documents as calling journal_append for each item in
    turn, but each case's head is advanced once and rows are written in bulk, and recorders that offer a bulk
    form get the whole list: this is what lets one-click filing of thousands of cases keep up.

    `new_cases`: ids of cases inserted in this very transaction with an empty journal (case_open_many). Their
    heads are known, so they are not read and locked first: each such case row is updated once, not twice —
    a row version and its index entries fewer per new case.
    """
    if not items:
        return []
    for item in items:
        _check(item.kind, item.documents)
        _refuse_archived(item.case, item.kind)
    per_case: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        per_case.setdefault(item.case.pk, []).append(i)
    recorded_at = timezone.now()
    mime_types = _mime_types(items)
    entries: list[JournalEntry | None] = [None] * len(items)
    salts = secrets.token_hex(16 * len(items))  # one system call for all: 16 random bytes each, as one by one
    with rawsql.cursor() as cur:
        heads = _advance_heads(cur, {case_id: len(positions) for case_id, positions in per_case.items()
                                     if case_id not in new_cases})
        heads.update({case_id: (len(per_case[case_id]), None) for case_id in new_cases if case_id in per_case})
        for case_id, positions in per_case.items():
            if case_id not in heads:
                raise ValidationFailed(_("The case does not exist."), code="journal_case_missing")
            length, head = heads[case_id]
            seq, prev_hash = length - len(positions), head or GENESIS
            for i in positions:
                seq += 1
                entry = _entry(items[i], seq, prev_hash, recorded_at, mime_types, salts[32 * i:32 * i + 32])
                prev_hash, entries[i] = entry.entry_hash, entry
            case = items[positions[-1]].case
            case.journal_length, case.journal_head = seq, prev_hash
        rawsql.bulk_insert(entries)
        heads_after = [(case_id, items[p[-1]].case.journal_head, items[p[-1]].case.journal_length)
                       for case_id, p in per_case.items()]
        cur.deferred(lambda: rawsql.bulk_update(cur, "cases_case", "id", ("journal_head", "journal_length"),
                                                heads_after))
    documents = [list(item.documents) for item in items]
    for recorder, many in registry.recorders_with_bulk():
        if many is not None:
            many(entries, documents)
        else:
            for entry, docs in zip(entries, documents, strict=True):
                recorder(entry, docs)
    _after_commit(entries)
    return entries


def _advance_heads(cur, counts: dict[int, int], chunk: int = 500) -> dict[int, tuple[int, str]]:
    """_advance_head for many cases at once: {case_id: (new length, previous head)}, one UPDATE … FROM (VALUES)
    … RETURNING per `chunk` cases instead of one round trip per case (portable: SQLite ≥ 3.33, PostgreSQL)."""
    out: dict[int, tuple[int, str]] = {}
    items = sorted(counts.items())  # rows locked in id order, so two bulk appends cannot deadlock on PostgreSQL
    for start in range(0, len(items), chunk):
        part = items[start:start + chunk]
        values = ", ".join(["(%s, %s)"] * len(part))
        cur.execute(
            "UPDATE cases_case SET journal_length = journal_length + d.n"
            f" FROM (SELECT column1 AS cid, column2 AS n FROM (VALUES {values}) AS v) AS d"
            " WHERE cases_case.id = d.cid RETURNING cases_case.id, cases_case.journal_length, cases_case.journal_head",
            [x for pair in part for x in pair],
        )
        for case_id, length, head in cur.fetchall():
            out[case_id] = (length, head)
    return out


def _after_commit(entries: list[JournalEntry]) -> None:
    scheduled = [(e.pk, subs) for e in entries if (subs := registry.subscribers_for(e.kind))]
    if scheduled:
        transaction.on_commit(lambda: _schedule_many(scheduled))
    if listeners := registry.listeners_with_bulk():
        transaction.on_commit(lambda: _notify(entries, listeners))


def _notify(entries: list[JournalEntry], listeners) -> None:
    """Each listener gets the commit's entries at once when it has a bulk form (one event loop and one round of
    sends for a thousand new cases, not a thread and a send each), else one by one."""
    for listener, many in listeners:
        try:
            if many is not None and len(entries) > 1:
                many(entries)
            else:
                for entry in entries:
                    listener(entry)
        except Exception:  # best-effort by contract: a closed socket must not fail the caller
            log.exception("journal listener %r failed on entries %s…", listener, entries[0].pk)


# The three statements below are the hot path of every act on every case. They are written as plain SQL on
# the driver's cursor on purpose: through the ORM the same work costs several times more (queryset cloning,
# compilation, cursor wrappers), and the journal must sustain thousands of appends per second on SQLite. The
# SQL is portable (SQLite ≥ 3.35 and PostgreSQL both have UPDATE … RETURNING).

def _advance_head(case_id: int) -> tuple[int, str]:
    """Bump the case's entry count and return (new seq, previous head hash).

    The UPDATE takes PostgreSQL's row lock on the case until commit, serialising appends per case (SQLite's
    IMMEDIATE transactions serialise all writers already)."""
    with rawsql.cursor(server_binding=True) as cur:
        cur.execute(
            "UPDATE cases_case SET journal_length = journal_length + 1 WHERE id = %s RETURNING journal_length, journal_head",
            [case_id],
        )
        row = cur.fetchone()
    if row is None:
        raise ValidationFailed(_("The case does not exist."), code="journal_case_missing")
    return row[0], row[1] or GENESIS


_PREPARED = {"payload", "document_hashes", "recorded_at"}  # the rest are plain ints and strings
_FIELDS = ("case_id", "seq", "kind", "actor_id", "actor_label", "payload", "document_hashes", "recorded_at",
           "prev_hash", "entry_hash", "salt")


@cache
def _insert_sql() -> tuple[str, list]:
    meta = JournalEntry._meta
    fields = [meta.get_field(name) for name in _FIELDS]
    columns = ", ".join(f.column for f in fields)
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id", fields


_HEAD_SQL = "UPDATE cases_case SET journal_head = %s WHERE id = %s"


def _insert(entry: JournalEntry, companions: Sequence[registry.CompanionRow] = ()) -> None:
    """Insert the entry, set its case's head and write the recorders' companion rows. On PostgreSQL that is one
    statement (data-modifying CTEs: one round trip instead of 2 + one per companion); SQLite has no
    data-modifying CTEs, so there they are separate statements on the same in-process connection."""
    sql, fields = _insert_sql()
    values = [
        f.get_db_prep_save(v, connection) if f.name in _PREPARED else v
        for f, v in zip(fields, (getattr(entry, f.attname) for f in fields), strict=True)
    ]
    with rawsql.cursor(server_binding=True) as cur:
        if connection.vendor == "postgresql":
            parts, params = [f"WITH e AS ({sql})"], list(values)
            for n, c in enumerate(companions):
                parts.append(f", c{n} AS (INSERT INTO {c.table} ({c.entry_column}, {', '.join(c.columns)})"
                             f" SELECT e.id, {', '.join(['%s'] * len(c.values))} FROM e)")
                params += c.values
            cur.execute(" ".join(parts) + f" {_HEAD_SQL} RETURNING (SELECT id FROM e)",
                        [*params, entry.entry_hash, entry.case_id])
            entry.pk = cur.fetchone()[0]
        else:
            cur.execute(sql, values)
            entry.pk = cur.fetchone()[0]
            cur.execute(_HEAD_SQL, [entry.entry_hash, entry.case_id])
            for c in companions:
                cur.execute(f"INSERT INTO {c.table} ({c.entry_column}, {', '.join(c.columns)})"
                            f" VALUES (%s, {', '.join(['%s'] * len(c.values))})", [entry.pk, *c.values])
    entry._state.adding = False
    entry._state.db = connection.alias


_SEQ_TAIL = b',"seq":0,"v":1}'  # canonical JSON sorts keys: the seq and the version always end the body


def _body_around_seq(body: bytes) -> tuple[bytes, bytes]:
    """The canonical body of an entry built at seq 0, split around that seq: prefix ‖ str(seq) ‖ suffix."""
    if not body.endswith(_SEQ_TAIL):
        raise AssertionError("entry body does not end with its seq and version")
    return body[:-len(_SEQ_TAIL) + len(',"seq":')], _SEQ_TAIL[len(',"seq":0'):]


_CHAIN_SQL = (
    # The case row is locked (FOR UPDATE returns its newest committed version, so concurrent appends to one case
    # queue here exactly as on the UPDATE they replace), then the next seq, the previous head and the entry hash
    # SHA-256(prev_hash ‖ body) — chain.chain_hash, computed by PostgreSQL from the body split around its seq.
    "WITH o AS (SELECT id, journal_length + 1 AS seq, COALESCE(NULLIF(journal_head, ''), %s) AS prev"
    " FROM cases_case WHERE id = %s FOR UPDATE),"
    " y AS (SELECT o.id, o.seq, o.prev, %s::bytea || convert_to(o.seq::text, 'UTF8') || %s::bytea AS body FROM o),"
    " x AS (SELECT y.*, encode(sha256(decode(y.prev, 'hex') || y.body), 'hex') AS hash FROM y),"
    " h AS (UPDATE cases_case SET journal_length = x.seq, journal_head = x.hash FROM x WHERE cases_case.id = x.id)"
)


def _insert_chained(entry: JournalEntry, companions: Sequence[registry.CompanionRow] = ()) -> None:
    """PostgreSQL: the case head bump, the chain hash, the entry and the recorders' companion rows in one
    statement (one round trip; it was the bump, then the insert). A companion value may be a
    registry.ChainSql over the chain's columns (`x.prev`, `x.body`). The hash the database computed is checked
    against chain_hash before the entry is handed back, so the chain stays exactly what it was.

    This is every act's hot path, so the statement's text is built once per shape of companions, and values go
    to the driver as it takes them (JSON as text cast to jsonb, the aware time as is) instead of through the
    fields' generic preparation: the same rows, ~15% less Python per append."""
    prefix, suffix = _body_around_seq(entry.body)
    params: list = [GENESIS, entry.case_id, prefix, suffix, entry.kind, entry.actor_id, entry.actor_label,
                    _json_text(entry.payload), _json_text(entry.document_hashes), entry.recorded_at, entry.salt]
    shape = []
    for c in companions:
        kinds = []
        for v in c.values:
            if isinstance(v, registry.ChainSql):
                kinds.append(v.sql)
                params += v.params
            else:
                kinds.append(None)
                params.append(v)
        shape.append((c.table, c.entry_column, c.columns, tuple(kinds)))
    with rawsql.cursor(server_binding=True, prepared=True) as cur:
        cur.execute(_chained_sql(tuple(shape)), params)
        row = cur.fetchone()
    if row is None:
        raise ValidationFailed(_("The case does not exist."), code="journal_case_missing")
    entry.pk, entry.seq, entry.prev_hash, entry.entry_hash = row
    entry.body = prefix + str(entry.seq).encode() + suffix
    if chain_hash(entry.prev_hash, entry.body) != entry.entry_hash:  # never expected: refuse rather than diverge
        raise AssertionError("the database's chain hash differs from chain_hash")
    del entry.chain_sql
    entry._state.adding = False
    entry._state.db = connection.alias


def _json_text(value) -> str:
    """A JSON column's value as PostgreSQL takes it (`%s::jsonb`): what JSONField would send, as text."""
    return json.dumps(value)


@cache
def _chained_sql(shape: tuple) -> str:
    """The one-statement append for companions of this shape: ((table, entry column, columns, (ChainSql text or
    None for a plain value, …)), …). Parameters, in order: GENESIS, case id, body prefix, body suffix, kind,
    actor id, actor label, payload, document hashes, recorded at, salt, then each companion's."""
    sql, fields = _insert_sql()
    columns = sql[sql.index("("):sql.index(")") + 1]
    chained = {"case_id": "x.id", "seq": "x.seq", "prev_hash": "x.prev", "entry_hash": "x.hash"}
    casts = {"payload": "%s::jsonb", "document_hashes": "%s::jsonb", "recorded_at": "%s::timestamptz"}
    select = [chained.get(f.attname) or chained.get(f.name) or casts.get(f.name, "%s") for f in fields]
    order = [f.name for f in fields if f.attname not in chained and f.name not in chained]
    if order != ["kind", "actor", "actor_label", "payload", "document_hashes", "recorded_at", "salt"]:
        raise AssertionError(f"journal entry fields changed: {order}")  # the parameters above follow this order
    parts = [_CHAIN_SQL, f", e AS (INSERT INTO {JournalEntry._meta.db_table} {columns}"
                         f" SELECT {', '.join(select)} FROM x RETURNING id)"]
    for n, (table, entry_column, cols, kinds) in enumerate(shape):
        exprs = [k if k is not None else "%s" for k in kinds]
        parts.append(f", c{n} AS (INSERT INTO {table} ({entry_column}, {', '.join(cols)})"
                     f" SELECT e.id, {', '.join(exprs)} FROM e, x)")
    parts.append(" SELECT e.id, x.seq, x.prev, x.hash FROM e, x")
    return "".join(parts)


DELIVERIES_PER_JOB = 200


def _schedule_many(scheduled: list[tuple[int, list[str]]]) -> None:
    """The Delivery rows of a commit's entries in one statement (a get_or_create per entry was two round trips
    each: 20,000 for a batch of 10,000 accepted filings), then one `deliver_entries` job per DELIVERIES_PER_JOB
    of them (a job row each was a third of 一键立案). The Delivery rows stay one per (entry, subscriber), so
    retries, `journal_redeliver` and `yunting check` still work delivery by delivery."""
    if len(scheduled) == 1:
        _schedule(*scheduled[0])
        return
    from .tasks import deliver_entries

    pairs = [(pk, path) for pk, subs in scheduled for path in subs]
    _insert_deliveries(pairs)
    try:  # one transaction: with the database job backend, one commit for the jobs instead of one per job
        with transaction.atomic():
            for start in range(0, len(pairs), DELIVERIES_PER_JOB):
                deliver_entries.enqueue(deliveries=[list(p) for p in pairs[start:start + DELIVERIES_PER_JOB]])
    except Exception:  # the entries are safe; `yunting check` lists pending deliveries, redeliver retries them
        log.exception("could not enqueue the deliveries of entries %s…", scheduled[0][0])


def _insert_deliveries(pairs: list[tuple[int, str]], chunk: int = 500) -> None:
    """The pending Delivery rows of (entry id, subscriber) pairs, those already there left alone: `INSERT … ON
    CONFLICT DO NOTHING` on the driver's cursor, from arrays on PostgreSQL and multi-row on SQLite (Django's
    bulk_create compiled every value of every row: a sixth of 一键立案)."""
    now = Delivery._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    table = Delivery._meta.db_table
    with transaction.atomic(), rawsql.cursor() as cur:
        if connection.vendor == "postgresql":  # one statement, arrays bound by the server: no text of thousands
            cur.server_bound().execute(  # of placeholders for psycopg to parse in Python
                f"INSERT INTO {table} (entry_id, subscriber, status, attempts, last_error, updated_at)"
                " SELECT u.e, u.s, %s, 0, '', %s FROM unnest(%s::bigint[], %s::text[]) AS u(e, s)"
                " ON CONFLICT (entry_id, subscriber) DO NOTHING",
                [Delivery.Status.PENDING.value, now, [pk for pk, _ in pairs], [path for _, path in pairs]])
            return
        for start in range(0, len(pairs), chunk):
            part = pairs[start:start + chunk]
            cur.execute(
                f"INSERT INTO {table} (entry_id, subscriber, status, attempts, last_error, updated_at) VALUES "
                + ", ".join(["(%s, %s, %s, 0, '', %s)"] * len(part)) + " ON CONFLICT (entry_id, subscriber) DO NOTHING",
                [x for pk, path in part for x in (pk, path, Delivery.Status.PENDING.value, now)])


def _schedule(entry_id: int, subscribers: list[str]) -> None:
    from .tasks import deliver_entry

    for path in subscribers:
        Delivery.objects.get_or_create(entry_id=entry_id, subscriber=path)
        try:
            deliver_entry.enqueue(entry_id=entry_id, subscriber=path)
        except Exception:  # the entry is safe; `yunting check` lists pending deliveries and redeliver retries them
            log.exception("could not enqueue delivery of entry %s to %s", entry_id, path)


def journal_redeliver(*, max_attempts: int = 10) -> int:
    """Re-enqueue deliveries that are pending or failed; returns how many."""
    from .tasks import deliver_entry

    count = 0
    for d in Delivery.objects.exclude(status=Delivery.Status.DONE).filter(attempts__lt=max_attempts):
        deliver_entry.enqueue(entry_id=d.entry_id, subscriber=d.subscriber)
        count += 1
    return count
