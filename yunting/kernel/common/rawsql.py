"""The database driver's own cursor on Django's connection, for hot paths (journal appends, ledger leaves).

Same connection, same transaction as the ORM, without Django's per-query wrappers, which cost more than SQLite
itself does for a handful of tiny statements. Values must already be prepared for the database
(`field.get_db_prep_save`). SQL is written with %s placeholders and translated once for sqlite3's "?".
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections


class RawCursor:
    """The driver's own cursor on Django's connection (same transaction), without Django's per-query wrappers.

    Appends are a handful of tiny statements, and Django's cursor wrapper costs more than SQLite itself does
    for them. SQL is written with %s placeholders and translated once per statement for sqlite3's "?".
    """

    __slots__ = ("_c", "_qmark", "_sql")
    _cache: dict[str, str] = {}

    def __init__(self, raw, vendor: str):
        self._c = raw
        self._qmark = vendor == "sqlite"

    def _q(self, sql: str) -> str:
        if not self._qmark:
            return sql
        q = self._cache.get(sql)
        if q is None:
            q = self._cache[sql] = sql.replace("%s", "?")
        return q

    def execute(self, sql: str, params=()):
        self._c.execute(self._q(sql), params)
        return self

    def executemany(self, sql: str, rows):
        self._c.executemany(self._q(sql), rows)
        return self

    def fetchone(self):
        return self._c.fetchone()

    def fetchall(self):
        return self._c.fetchall()


def _sqlite_cursor():
    import sqlite3

    return sqlite3.Cursor


def raw_cursor(using: str = "default", conn=None) -> RawCursor:
    conn = conn or connections[using]
    conn.ensure_connection()
    # On SQLite, the plain sqlite3 cursor: Django's cursor class re-parses every statement for %s.
    raw = conn.connection.cursor(_sqlite_cursor()) if conn.vendor == "sqlite" else conn.connection.cursor()
    return RawCursor(raw, conn.vendor)


@contextmanager
def cursor(using: str = "default"):
    c = raw_cursor(using)
    try:
        yield c
    finally:
        c._c.close()
