"""Chinese full-text search that finds two-character words on SQLite and PostgreSQL (see engine.py)."""
