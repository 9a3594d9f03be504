"""Migration operations Django does not offer."""

from __future__ import annotations

from django.db import migrations


def drop_pattern_indexes(model_name: str, fields: list[str]) -> migrations.RunPython:
    """Drop the `…_like` (varchar_pattern_ops) indexes PostgreSQL's schema editor adds beside the index of every
    indexed or unique text column. They serve only `LIKE 'prefix%'`, which nothing asks of hashes, ids, codes
    or case numbers here, and each costs an index entry on every row written — the bulk paths write tens of
    thousands. Django has no option to leave them out (and drops them with IF EXISTS when a field changes),
    so they are dropped here. Nothing to do on SQLite, which never had them."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(model_name)
        for name in fields:
            column = model._meta.get_field(name).column
            index = schema_editor._create_index_name(model._meta.db_table, [column], suffix="_like")
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(model_name)
        for name in fields:
            field = model._meta.get_field(name)
            schema_editor.execute(schema_editor._create_like_index_sql(model, field))

    return migrations.RunPython(forwards, backwards, elidable=False)
