"""The database driver's own cursor on Django's connection, for hot paths (journal appends, ledger leaves).

Same connection, same transaction as the ORM, without Django's per-query wrappers, which cost more than SQLite
itself does for a handful of tiny statements. Values must already be prepared for the database
(`field.get_db_prep_save`). SQL is written with %s placeholders and translated once for sqlite3's "?".
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import connections

from .write_behind import active as _write_behind_of
from .write_behind import write_behind  # noqa: F401  (rawsql.write_behind(): the bulk paths' block)


class RawCursor:
    """The driver's own cursor on Django's connection (same transaction), without Django's per-query wrappers.

    Appends are a handful of tiny statements, and Django's cursor wrapper costs more than SQLite itself does
    for them. SQL is written with %s placeholders and translated once per statement for sqlite3's "?".
    """

    __slots__ = ("_c", "_prepare", "_qmark", "_sql", "_wb")
    _cache: dict[str, str] = {}

    def __init__(self, raw, vendor: str, *, prepare: bool = False, wb=None):
        self._c = raw
        self._qmark = vendor == "sqlite"
        self._prepare = prepare
        self._wb = wb  # the connection's write-behind (write_behind.py), if a block of one is open

    def _queued(self, fn) -> bool:
        """Hand `fn` to the write-behind's writer, if one is open and this is not the writer itself."""
        if self._wb is None or self._wb.on_writer():
            return False
        self._wb.submit(fn)
        return True

    def _wait(self) -> None:
        if self._wb is not None:
            self._wb.wait()

    def server_bound(self) -> RawCursor:
        """A cursor on the same connection whose parameters PostgreSQL binds itself (see raw_cursor), for
        statements whose parameters are typed arrays: psycopg's default client-side binding spells every
        element into the statement's text in Python, a second of 一键立案's CPU. Itself on SQLite."""
        if self._qmark:
            return self
        import psycopg

        return RawCursor(psycopg.Cursor(self._c.connection), "postgresql", wb=self._wb)

    def deferred(self, fn) -> None:
        """`fn()` after the statements issued so far: on the write-behind's writer in its turn, else now."""
        if not self._queued(fn):
            fn()

    def _q(self, sql: str) -> str:
        if not self._qmark:
            return sql
        q = self._cache.get(sql)
        if q is None:
            q = self._cache[sql] = sql.replace("%s", "?")
        return q

    def execute(self, sql: str, params=()):
        if self._queued(partial(self.execute, sql, params)):
            return self
        if self._prepare:
            self._c.execute(sql, params, prepare=True)
        else:
            self._c.execute(self._q(sql), params)
        return self

    def executemany(self, sql: str, rows):
        if self._queued(partial(self.executemany, sql, rows)):
            return self
        self._c.executemany(self._q(sql), rows)
        return self

    def fetchone(self):
        self._wait()
        return self._c.fetchone()

    def copy_in(self, table: str, columns, rows) -> bool:
        """COPY rows into a table on PostgreSQL (streamed, no per-row statement for psycopg to build and parse);
        False on SQLite, where the caller uses executemany. Values must already be prepared for the driver."""
        if self._qmark:
            return False
        if self._queued(partial(self.copy_in, table, columns, rows if isinstance(rows, list) else list(rows))):
            return True
        with self._c.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return True

    def fetchall(self):
        self._wait()
        return self._c.fetchall()

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement; after executemany, by all of them (sqlite3 and psycopg 3)."""
        self._wait()
        return self._c.rowcount

    def close(self) -> None:
        if not self._queued(self._c.close):
            self._c.close()


def _sqlite_cursor():
    import sqlite3

    return sqlite3.Cursor


def prepared_statements() -> bool:
    """`YUNTING_DB_PREPARED` (default on): the hot statements are prepared once per connection. Off only behind
    a pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21)."""
    from django.conf import settings

    return bool(getattr(settings, "YUNTING_DB_PREPARED", True))


def raw_cursor(using: str = "default", conn=None, *, server_binding: bool = False, prepared: bool = False) -> RawCursor:
    """`server_binding` (PostgreSQL): parameters sent apart from the statement instead of psycopg formatting
    them into its text in Python (Django's default, ClientCursor), which is a tenth of the journal's
    append CPU. For the hot paths' own few statements, whose parameters' types PostgreSQL infers from their
    columns. `prepared` (with server_binding, for a statement whose text is built once): PostgreSQL plans it
    once per connection instead of at every execution — the journal's append statement has six CTEs, and
    planning them was half of PostgreSQL's CPU per append."""
    conn = conn or connections[using]
    conn.ensure_connection()
    # On SQLite, the plain sqlite3 cursor: Django's cursor class re-parses every statement for %s.
    if conn.vendor == "sqlite":
        raw = conn.connection.cursor(_sqlite_cursor())
    elif server_binding:
        import psycopg

        raw = psycopg.Cursor(conn.connection)
        return RawCursor(raw, conn.vendor, prepare=prepared and prepared_statements(), wb=_write_behind_of(conn))
    else:
        raw = conn.connection.cursor()
    return RawCursor(raw, conn.vendor, wb=_write_behind_of(conn))


@contextmanager
def cursor(using: str = "default", *, server_binding: bool = False, prepared: bool = False):
    c = raw_cursor(using, server_binding=server_binding, prepared=prepared)
    try:
        yield c
    finally:
        c.close()


def where_in(model, column: str, values) -> dict:
    """`QuerySet.extra(**where_in(Model, "id", ids))`: a `table.column IN (…)` condition whose values go to the
    driver as they are (ints, plain strings: nothing to prepare), not through the `__in` lookup's per-value
    preparation, which for a few 500-id lists was a tenth of 一键立案."""
    values = list(values)
    if not values:
        return {"where": ["1 = 0"]}
    from django.db import connection

    qualified = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"
    return {"where": [f"{qualified} IN ({', '.join(['%s'] * len(values))})"], "params": values}


# Field classes whose Python values the drivers take as they are: no per-value preparation is needed.
_PLAIN_FIELDS = {"CharField", "TextField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                 "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "BooleanField"}


def _needs_prep(field) -> bool:
    if type(field).__name__ in _PLAIN_FIELDS:
        return False
    if field.is_relation and field.many_to_one:
        return _needs_prep(field.target_field) if type(field.target_field).__name__ not in (
            "AutoField", "BigAutoField") else False
    return True


_TIME_FIELDS = {"DateTimeField", "DateField"}


def _fill_auto(objs: list, fields) -> None:
    """auto_now / auto_now_add: one time for all the rows of a bulk insert (they are written in one
    transaction), taken as the field's pre_save takes it."""
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = f.pre_save(objs[0], add=True)
            for obj in objs[1:]:
                setattr(obj, f.attname, value)


def _preparers(fields, conn) -> list[tuple[str, Any]]:
    """(attname, None for a value the driver takes as it is, else a function preparing it). Times are prepared
    once per distinct value: a chunk's rows mostly share theirs (now, a deadline)."""
    out = []
    for f in fields:
        if not _needs_prep(f):
            out.append((f.attname, None))
        elif type(f).__name__ in _TIME_FIELDS:
            out.append((f.attname, _memo(f, conn)))
        else:
            out.append((f.attname, partial(_prep, f, conn)))
    return out


def _prep(field, conn, value):
    return field.get_db_prep_save(value, conn)


def _memo(field, conn):
    seen: dict = {}

    def prep(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = prepared = field.get_db_prep_save(value, conn)
            return prepared

    return prep


def bulk_update(c: RawCursor, table: str, key: str, columns, rows, *, chunk: int = 1000, where: str = "",
                casts=None) -> int:
    """UPDATE many rows by key, each with its own values: `rows` are (key, value…); `where` adds a condition on
    the row (e.g. "status = 'submitted'"), `casts` the SQL type of each column's values (needed on PostgreSQL
    where a column may be all NULL in a chunk). PostgreSQL: one `UPDATE … FROM unnest(array per column)` per
    `chunk` rows when every column's type is known (given, or all ints / all strings), else `FROM (VALUES …)`;
    SQLite: executemany. Returns the rows changed."""
    if not rows:
        return 0
    cond = f" AND {where}" if where else ""
    if c._qmark:
        sets = ", ".join(f"{col} = %s" for col in columns)
        c.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s{cond}", [(*r[1:], r[0]) for r in rows])
        return c.rowcount
    casts = casts or [""] * len(columns)
    names = ", ".join(("k", *(f"v{i}" for i in range(len(columns)))))
    types = [_array_type(r[0] for r in rows), *(cast or _array_type(r[i + 1] for r in rows)
                                                  for i, cast in enumerate(casts))]
    if all(types):  # one array per column: a short statement psycopg and the server parse once, not 500 rows' text
        assign = ", ".join(f"{col} = d.v{i}" for i, col in enumerate(columns))
        sql = (f"UPDATE {table} SET {assign} FROM unnest({', '.join(f'%s::{t}[]' for t in types)}) AS d({names})"
               f" WHERE {table}.{key} = d.k{cond}")
        changed, bound = 0, c.server_bound()
        try:
            for start in range(0, len(rows), chunk):
                bound.execute(sql, [list(column) for column in zip(*rows[start:start + chunk], strict=True)])
                changed += bound.rowcount
        finally:
            if bound is not c:
                bound.close()
        return changed
    assign = ", ".join(f"{col} = d.v{i}{'::' + cast if cast else ''}"
                       for i, (col, cast) in enumerate(zip(columns, casts, strict=True)))
    row_sql = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    changed = 0
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        c.execute(f"UPDATE {table} SET {assign} FROM (VALUES {', '.join([row_sql] * len(part))}) AS d({names})"
                  f" WHERE {table}.{key} = d.k{cond}", [x for r in part for x in r])
        changed += c.rowcount
    return changed


def reserve_ids(counts: dict, using: str = "default") -> None:
    """Under a write-behind (PostgreSQL): the ids of the coming bulk_inserts of several models ({Model: how
    many}) reserved in one round trip instead of one per insert. Elsewhere nothing: ids come with the insert."""
    wb = _write_behind_of(connections[using])
    if wb is not None:
        wb.reserve_ids({(model._meta.db_table, model._meta.pk.column): n for model, n in counts.items()})


def _array_type(values) -> str:
    """The SQL type of a column's values for unnest when its caller gave none: ints or strings; else ""."""
    kinds = {type(v) for v in values if v is not None}
    if kinds == {int}:
        return "bigint"
    if kinds == {str}:
        return "text"
    return ""


def bulk_insert(objs: list, *, batch_size: int = 500, using: str = "default", ignore_conflicts: bool = False) -> None:
    """INSERT new model instances in multi-row statements with RETURNING id, setting each object's pk.

    What QuerySet.bulk_create does for new rows, for the bulk paths that open thousands of cases at once:
    Django compiles every value of every row through the generic field machinery, which costs several times
    the database's own work; here only values that need it (dates, JSON, decimals, encrypted fields) are
    prepared, the rest go to the driver as they are. No signals, no save(); auto_now(_add) fields are filled.
    Row order of RETURNING is relied on exactly as bulk_create relies on it (SQLite ≥ 3.35, PostgreSQL).
    """
    if not objs:
        return
    conn = connections[using]
    meta = type(objs[0])._meta
    if type(meta.pk).__name__ not in ("AutoField", "BigAutoField", "SmallAutoField"):
        _insert_keyed(objs, meta, conn, using, ignore_conflicts=ignore_conflicts)
        return
    if ignore_conflicts:
        raise ValueError("ignore_conflicts: only for rows whose key is set before the insert")
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    _fill_auto(objs, fields)
    prep = _preparers(fields, conn)
    if conn.vendor == "postgresql" and len(objs) > 1:
        _copy_insert(objs, meta, fields, prep, conn, using)
        return
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with cursor(using) as c:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start:start + batch_size]
            params = []
            for obj in chunk:
                for attname, field in prep:
                    value = getattr(obj, attname)
                    params.append(value if field is None else field(value))
            c.execute(f"INSERT INTO {meta.db_table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))}"
                      f" RETURNING {conn.ops.quote_name(meta.pk.column)}", params)
            for obj, (pk,) in zip(chunk, c.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using


def _copy_insert(objs: list, meta, fields, prep, conn, using: str) -> None:
    """PostgreSQL: the ids from the table's sequence in one query, then the rows streamed with COPY. A 500-row
    INSERT is longer than psycopg's statement cache, so it was re-built and re-parsed for every chunk; COPY
    sends the values alone."""
    pk = meta.pk.column
    with cursor(using) as c:
        if c._wb is not None:  # without waiting for the statements queued before this one
            ids = c._wb.next_ids(meta.db_table, pk, len(objs))
        else:
            c.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                      [meta.db_table, pk, len(objs)])
            ids = sorted(r[0] for r in c.fetchall())
        rows = []
        for obj, new_id in zip(objs, ids, strict=True):
            rows.append([new_id, *(getattr(obj, attname) if field is None else field(getattr(obj, attname))
                                   for attname, field in prep)])
        c.copy_in(conn.ops.quote_name(meta.db_table),
                  [conn.ops.quote_name(pk), *(conn.ops.quote_name(f.column) for f in fields)], rows)
    for obj, new_id in zip(objs, ids, strict=True):
        obj.pk = new_id
        obj._state.adding = False
        obj._state.db = using


def _insert_keyed(objs: list, meta, conn, using: str, *, batch_size: int = 500, ignore_conflicts: bool = False,
                  ) -> None:
    """bulk_insert for models whose key is set before the insert (string ids such as an Upload's, a blob's
    hash): every column, the key included, in multi-row INSERTs (COPY on PostgreSQL, unless rows already there
    are to be skipped: `ignore_conflicts`, ON CONFLICT DO NOTHING); nothing to read back."""
    fields = list(meta.concrete_fields)
    if any(obj.pk is None for obj in objs):
        raise ValueError(f"{meta.label}: bulk_insert of a row without its key")
    _fill_auto(objs, fields)
    prep = _preparers(fields, conn)
    rows = [[getattr(obj, attname) if field is None else field(getattr(obj, attname)) for attname, field in prep]
            for obj in objs]
    quoted = [conn.ops.quote_name(f.column) for f in fields]
    with cursor(using) as c:
        if ignore_conflicts and conn.vendor == "postgresql":
            # COPY cannot skip rows already there; one array per column keeps the statement short, so psycopg and
            # the server parse it once instead of a fresh 500-row VALUES list per chunk
            arrays = ", ".join(f"%s::{f.db_type(conn)}[]" for f in fields)
            sql = (f"INSERT INTO {meta.db_table} ({', '.join(quoted)}) SELECT * FROM unnest({arrays})"
                   " ON CONFLICT DO NOTHING")
            bound = c.server_bound()
            for start in range(0, len(rows), batch_size):
                bound.execute(sql, [list(column) for column in zip(*rows[start:start + batch_size], strict=True)])
            bound.close()
        elif ignore_conflicts or not c.copy_in(conn.ops.quote_name(meta.db_table), quoted, rows):
            row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
            tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
            for start in range(0, len(rows), batch_size):
                chunk = rows[start:start + batch_size]
                c.execute(f"INSERT INTO {meta.db_table} ({', '.join(quoted)})"
                          f" VALUES {', '.join([row_sql] * len(chunk))}{tail}", [x for row in chunk for x in row])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
