"""Append-only enforcement in the database itself, for SQLite and PostgreSQL, used by migrations."""

from __future__ import annotations

# Tables made append-only by a migration; the test suite lifts and restores their triggers around a flush.
APPEND_ONLY_TABLES: set[str] = set()


def append_only_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(forward statements, reverse statements) that make `table` refuse UPDATE and DELETE."""
    if vendor == "sqlite":
        forward = [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
        ]
        reverse = [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
        return forward, reverse
    if vendor == "postgresql":
        fn = f"{table}_append_only"
        forward = [
            f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END $$",
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {fn}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
        ]
        reverse = [
            f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"DROP FUNCTION IF EXISTS {fn}()",
        ]
        return forward, reverse
    raise NotImplementedError(f"append-only triggers for {vendor}")


def migration_operation(table: str):
    """A RunPython operation installing the triggers for whichever database is migrating."""
    from django.db import migrations

    APPEND_ONLY_TABLES.add(table)

    def forward(apps, schema_editor):
        for sql in append_only_sql(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(sql, params=None)

    def reverse(apps, schema_editor):
        for sql in append_only_sql(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(forward, reverse)


def sqlite_remake_guard(table: str):
    """(before, after): two operations to put around an AlterField of an append-only table. SQLite alters a
    column by rebuilding the table, and the rebuilt table has no triggers: without this the append-only guard
    would be silently gone. `after` puts them back when migrating forward, `before` when migrating back."""
    from django.db import migrations

    def reinstall(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        forward, reverse = append_only_sql("sqlite", table)
        for sql in [*reverse, *forward]:
            schema_editor.execute(sql, params=None)

    noop = migrations.RunPython.noop
    return migrations.RunPython(noop, reinstall), migrations.RunPython(reinstall, noop)
