"""Who reacts to journal entries.

Two tables, both filled from AppConfig.ready():
- recorders run *inside* the appending transaction (the e-file filing a document, the ledger adding a leaf):
  if one fails, the entry is not written at all;
- subscribers run *after* commit, as one idempotent background task per (subscriber, entry); a failing
  subscriber is retried and reported and never rolls the entry back. Workflow apps talk to each other this way.
- listeners run after commit in the appending process, best-effort and never retried: for ephemeral things
  such as pushing the new entry to open browser tabs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import JournalEntry
    from .services import DocumentInput

Recorder = Callable[["JournalEntry", "list[DocumentInput]"], None]
BulkRecorder = Callable[["list[JournalEntry]", "list[list[DocumentInput]]"], None]


@dataclass(frozen=True)
class CompanionRow:
    """One row a recorder needs written with the entry, `entry_column` holding the new entry's id: the journal
    folds it into the statement that inserts the entry (one round trip on PostgreSQL) instead of calling the
    recorder. A recorder's `row` function returns one, or None to be called as a recorder as usual."""

    table: str
    entry_column: str
    columns: tuple[str, ...]
    values: tuple


@dataclass(frozen=True)
class ChainSql:
    """A CompanionRow value that depends on the entry's place in its chain, which on PostgreSQL the inserting
    statement itself computes: SQL over `x.prev` (the previous head, hex) and `x.body` (the canonical body,
    bytea), with its own %s params."""

    sql: str
    params: tuple


RowRecorder = Callable[["JournalEntry"], "CompanionRow | None"]

_recorders: dict[str, tuple[Recorder, BulkRecorder | None]] = {}
_rows: dict[str, RowRecorder] = {}
_subscribers: dict[str, list[str]] = defaultdict(list)
_listeners: dict[str, Callable[[JournalEntry], None]] = {}
_many_listeners: dict[str, Callable[[list[JournalEntry]], None]] = {}


def register_recorder(name: str, recorder: Recorder, many: BulkRecorder | None = None,
                      row: RowRecorder | None = None) -> None:
    """`many`, when given, does for a list of entries (journal_append_many) what `recorder` does for one;
    `row`, when given, may instead hand journal_append one CompanionRow to insert with the entry."""
    _recorders[name] = (recorder, many)
    if row is not None:
        _rows[name] = row
    else:
        _rows.pop(name, None)


def recorders() -> list[Recorder]:
    return [one for one, _many in _recorders.values()]


def recorders_with_rows() -> list[tuple[Recorder, RowRecorder | None]]:
    return [(one, _rows.get(name)) for name, (one, _many) in _recorders.items()]


def recorders_with_bulk() -> list[tuple[Recorder, BulkRecorder | None]]:
    return list(_recorders.values())


def subscribe(kind: str, handler_path: str) -> None:
    """Run the handler (dotted path to `fn(entry)`) after every committed entry of `kind` (`*` for all)."""
    if handler_path not in _subscribers[kind]:
        _subscribers[kind].append(handler_path)


def unsubscribe(kind: str, handler_path: str) -> None:
    if handler_path in _subscribers.get(kind, []):
        _subscribers[kind].remove(handler_path)


def subscribers_for(kind: str) -> list[str]:
    return [*_subscribers.get(kind, []), *_subscribers.get("*", [])]


def register_listener(name: str, listener: Callable[[JournalEntry], None],
                      many: Callable[[list[JournalEntry]], None] | None = None) -> None:
    """`many`, when given, takes all the entries one commit wrote (journal_append_many: thousands at once)."""
    _listeners[name] = listener
    if many is not None:
        _many_listeners[name] = many
    else:
        _many_listeners.pop(name, None)


def listeners() -> list[Callable[[JournalEntry], None]]:
    return list(_listeners.values())


def listeners_with_bulk() -> list[tuple[Callable[[JournalEntry], None], Callable[[list[JournalEntry]], None] | None]]:
    return [(one, _many_listeners.get(name)) for name, one in _listeners.items()]


# Entry kinds (besides case.registered and case.participant_added) that grant participations, and how to read
# the grants from a payload: `yunting audit` re-derives who takes part in a case from these.
_grants: dict[str, Callable[[dict], list[tuple[int, str]]]] = {}


def register_participation_grants(kind: str, reader: Callable[[dict], list[tuple[int, str]]]) -> None:
    _grants[kind] = reader


def participation_grants() -> dict[str, Callable[[dict], list[tuple[int, str]]]]:
    return dict(_grants)
