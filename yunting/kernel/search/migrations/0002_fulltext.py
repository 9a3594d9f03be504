"""The engine-specific full-text index over SearchEntry.tokens."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_searchentry', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN"
    " INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);"
    " INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = ["CREATE INDEX search_tokens_gin ON search_searchentry USING gin (to_tsvector('simple', tokens))"]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_tokens_gin"]


def forward(apps, schema_editor):
    for sql in SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRES:
        schema_editor.execute(sql, params=None)


def reverse(apps, schema_editor):
    for sql in SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRES_REVERSE:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
