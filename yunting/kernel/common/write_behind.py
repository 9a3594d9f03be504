"""Write-behind for bulk paths on PostgreSQL: the statements whose results nobody reads run on a writer thread, in
order, on the same connection and in the same transaction, while the caller's thread builds the next rows.

Why: a bulk acceptance is Python building rows (case numbers, journal hashes, search tokens) and PostgreSQL
storing them, strictly one after the other. On two cores each waited for the other: a third of 一键立案's time on
PostgreSQL was the client idle while the server inserted, checked foreign keys and committed. With the writes
handed over, the server's work overlaps the client's. No library does this for Django's connection: psycopg's
pipeline mode cannot carry COPY, which the bulk paths are built on.

Contract (`write_behind()` inside a transaction):
- `rawsql` cursors queue `execute`, `executemany`, `copy_in` and `close`; anything that reads a result
  (`fetchone`, `fetchall`, `rowcount`) first waits for the queue, and so does every statement through Django's
  own cursors (an execute wrapper), savepoints included: the caller sees exactly what it would without the
  writer.
- `RawCursor.deferred(fn)` runs `fn` on the writer in its turn: a check on a result (rows changed) that may
  raise; its exception, like any statement's, is raised to the caller at the next wait or when the block ends,
  and the transaction is then rolled back by the caller's `atomic` as usual.
- New ids for COPY come from the sequences on a second, autocommit connection: `nextval` is not transactional,
  so taking them there changes nothing but lets the rows be built without waiting for the queue.
- Foreign keys are checked as each statement runs (`SET CONSTRAINTS ALL IMMEDIATE`), on the writer, rather
  than all at once at COMMIT, where the client would wait for them.
- Values handed to a queued statement must not be changed by the caller afterwards (the bulk paths build
  fresh rows for each statement).
SQLite, or no transaction: does nothing; statements run as they are issued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import connections

_ATTR = "_yunting_write_behind"
_SIDE = "_yunting_side_connection"  # on the driver's connection: the autocommit one kept beside it
# Statements Django issues through its cursors whose results it never reads: a nested atomic()'s savepoint and
# its release are queued like the bulk writes (a rollback to a savepoint waits, as any other statement).
_QUEUED_BY_DJANGO = ("SAVEPOINT ", "RELEASE SAVEPOINT ")


class WriteBehind:
    def __init__(self, conn):
        self._conn = conn
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write-behind")
        self._queued: list[Future] = []
        self._error: BaseException | None = None
        self._writer: int | None = None
        self.kept: dict[tuple, Any] = {}  # what callers read beside the queue (read_beside), kept for the block
        self._ids: dict[str, list[int]] = {}  # ids reserved for a table's coming inserts (reserve_ids)
        self.waits = 0  # how many times the caller had to wait for the queue (reads between writes)

    def on_writer(self) -> bool:
        return threading.get_ident() == self._writer

    def submit(self, fn: Callable[[], Any]) -> None:
        self._queued.append(self._pool.submit(self._run, fn))

    def _run(self, fn: Callable[[], Any]) -> None:
        self._writer = threading.get_ident()
        if self._error is None:  # after a failure the transaction is aborted: the rest would only fail too
            try:
                fn()
            except BaseException as exc:  # raised to the caller at its next wait
                self._error = exc

    def wait(self) -> None:
        """Every queued statement done; the first failure raised here, and again at every later wait: the
        transaction is aborted, so a caller that swallows it (a best-effort recorder) cannot go on to commit."""
        if self.on_writer():
            return
        if self._queued:
            self.waits += 1
            for future in self._queued:
                future.result()
            self._queued.clear()
        if self._error is not None:
            raise self._error

    def next_ids(self, table: str, column: str, count: int) -> list[int]:
        reserved = self._ids.get(table, [])
        if len(reserved) >= count:
            taken, self._ids[table] = reserved[:count], reserved[count:]
            return taken
        rows = self.read_committed("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                                   [table, column, count])
        return sorted(r[0] for r in rows)

    def reserve_ids(self, counts: dict[tuple[str, str], int]) -> None:
        """Ids for the coming inserts into several tables ({(table, key column): how many}), taken from their
        sequences in one round trip; next_ids hands them out. A round trip per table cost the waiting thread
        far more than the server's work: its answer waits for the interpreter's lock."""
        wanted = [(table, column, n) for (table, column), n in counts.items() if n > 0]
        if not wanted:
            return
        sql = " UNION ALL ".join(
            ["SELECT %s::text, nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"] * len(wanted))
        rows = self.read_committed(sql, [x for table, column, n in wanted for x in (table, table, column, n)])
        for table, value in rows:
            self._ids.setdefault(table, []).append(value)
        for table, _column, _n in wanted:
            self._ids[table].sort()

    def read_committed(self, sql: str, params) -> list[tuple]:
        """`sql` on the second connection, beside the queue: for sequences, and for rows that never change once
        committed (a blob's), whose caller reads the rest in turn."""
        return _side_connection(self._conn).execute(sql, params).fetchall()

    def read_beside(self, model, where: str, params) -> list:
        """Instances of `model` matching `where`, read on the second connection: for rows this transaction does not
        write and that do not change once committed (a blob's, the e-file catalogue's), which the bulk paths
        would otherwise wait for the queue to read. Callers may keep them in `kept` for the rest of the block."""
        columns = [f.column for f in model._meta.concrete_fields]
        rows = self.read_committed(f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE {where}", params)
        return [model.from_db(self._conn.alias, columns, row) for row in rows]

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _side_connection(conn):
    """The autocommit connection beside Django's `conn`: opened at its first block and then kept with the driver's
    connection, closed when that one is (connecting costs a server process each time: opened per block, it was a
    fifth of a batch's filing on PostgreSQL)."""
    import weakref

    import psycopg

    raw = conn.connection
    side = getattr(raw, _SIDE, None)
    if side is None or side.closed:
        side = psycopg.connect(**conn.get_connection_params(), autocommit=True)
        setattr(raw, _SIDE, side)
        weakref.finalize(raw, side.close)
    return side


def active(conn) -> WriteBehind | None:
    return getattr(conn, _ATTR, None)


@contextmanager
def write_behind(using: str = "default"):
    """See the module's docstring. Nested blocks share the outer one."""
    conn = connections[using]
    if conn.vendor != "postgresql" or not conn.in_atomic_block or active(conn) is not None:
        yield None
        return
    wb = WriteBehind(conn)

    raw = conn.connection

    def wait_first(execute, sql, params, many, context):
        if sql.startswith(_QUEUED_BY_DJANGO) and not params:  # atomic() inside the block: nothing to read back
            wb.submit(lambda: raw.execute(sql))
            return None
        wb.wait()
        return execute(sql, params, many, context)

    with conn.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    setattr(conn, _ATTR, wb)
    try:
        with conn.execute_wrapper(wait_first):
            try:
                yield wb
            except BaseException:
                try:
                    wb.wait()  # nothing may still run on the connection when the caller rolls back
                except BaseException:
                    pass  # the caller's own exception is the one to report
                raise
            wb.wait()
    finally:
        setattr(conn, _ATTR, None)
        wb.close()
    if not conn.needs_rollback:
        with conn.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
