"""Index and query text on SQLite (FTS5) or PostgreSQL (GIN over a 'simple' tsvector), one interface."""

from __future__ import annotations

from django.db import connection, transaction

from yunting.kernel.common import rawsql

from .models import SearchEntry
from .tokens import query_phrases, tokenize


def search_index(*, scope: str, object_id: int, text: str, group_id: int | None = None) -> None:
    SearchEntry.objects.update_or_create(
        scope=scope, object_id=object_id, defaults={"group_id": group_id, "tokens": " ".join(tokenize(text))}
    )


def search_index_many(*, scope: str, items: list[tuple[int, str, int | None]]) -> None:
    """Index many objects at once: (object_id, text, group_id) each; existing entries are replaced."""
    if not items:
        return
    upsert = " ON CONFLICT (scope, object_id) DO UPDATE SET group_id = excluded.group_id, tokens = excluded.tokens"
    table = SearchEntry._meta.db_table
    with rawsql.cursor(server_binding=connection.vendor == "postgresql") as c:  # arrays: bound by the server
        if connection.vendor != "postgresql":
            c.executemany(f"INSERT INTO {table} (scope, object_id, group_id, tokens) VALUES (%s, %s, %s, %s){upsert}",
                          [(scope, oid, gid, " ".join(tokenize(text))) for oid, text, gid in items])
            return
        # PostgreSQL: one statement over arrays instead of a statement per row (10,000 upserts were a tenth of
        # a batch acceptance's server time). One upsert may not touch a row twice: the last text of an id wins,
        # as it would one by one.
        last = {oid: (oid, gid, " ".join(tokenize(text))) for oid, text, gid in items}
        rows = list(last.values())
        for start in range(0, len(rows), 5000):
            ids, groups, tokens = zip(*rows[start:start + 5000], strict=True)
            c.execute(f"INSERT INTO {table} (scope, object_id, group_id, tokens)"
                      " SELECT %s, d.o, d.g, d.t FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS d(o, g, t)"
                      + upsert, [scope, list(ids), list(groups), list(tokens)])


def search_remove(*, scope: str, object_id: int) -> None:
    SearchEntry.objects.filter(scope=scope, object_id=object_id).delete()


def _subquery(qs) -> tuple[str, list]:
    """A queryset of ids as SQL for `IN (…)`: the caller's access rule runs inside the search query."""
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def search_ids(*, scope: str, query: str, group_id: int | None = None, limit: int = 10_000, offset: int = 0,
               groups=None, exclude=None) -> list[int]:
    """Object ids in `scope` whose text contains every phrase of the query, best match first.

    `groups` (a queryset of one id column) keeps only objects of those groups; `exclude` (likewise, of object
    ids) drops those objects — both inside the one query, so a page of results is a page the caller may see."""
    phrases = query_phrases(query)
    if not phrases:
        return []
    group_sql = " AND e.group_id = %s" if group_id is not None else ""
    extra_params: list = [group_id] if group_id is not None else []
    if groups is not None:
        sub, sub_params = _subquery(groups)
        group_sql += f" AND e.group_id IN ({sub})"
        extra_params += sub_params
    if exclude is not None:
        sub, sub_params = _subquery(exclude)
        group_sql += f" AND e.object_id NOT IN ({sub})"
        extra_params += sub_params
    params: list = []
    if connection.vendor == "sqlite":
        match = " AND ".join('"' + " ".join(p) + '"' for p in phrases)
        sql = (
            "SELECT e.object_id FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid"
            " WHERE search_fts MATCH %s AND e.scope = %s" + group_sql + " ORDER BY f.rank LIMIT %s OFFSET %s"
        )
        params = [match, scope, *extra_params]
    else:
        where = " AND ".join(
            "to_tsvector('simple', e.tokens) @@ phraseto_tsquery('simple', %s)" for _ in phrases
        )
        base = "FROM search_searchentry e WHERE " + where + " AND e.scope = %s" + group_sql
        base_params = [" ".join(p) for p in phrases] + [scope] + extra_params
        found = _gin_probe(base, base_params)
        if len(found) < PROBE_CAP:  # every match is in hand: order them here, no second query
            found.sort(reverse=True)
            return found[offset:offset + limit]
        sql = "SELECT e.object_id " + base + " ORDER BY e.object_id DESC LIMIT %s OFFSET %s"
        params = base_params
    params += [limit, offset]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]


# PostgreSQL: how many matches the GIN probe fetches before it leaves the ordering to the main query.
PROBE_CAP = 100
_GIN_ONLY = ("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),"
             " set_config('enable_indexonlyscan', 'off', true)")


class _Rollback(Exception):
    pass


def _gin_probe(base: str, params: list, *, explain: bool = False) -> list:
    """PostgreSQL: up to PROBE_CAP matching ids, found through the GIN index alone (a bitmap scan; the planner
    may take no other path). Ordered by object_id DESC with a LIMIT, the planner would walk the object_id index
    backwards and recheck row after row whenever it believes a word is common — and with a small vocabulary of
    bigrams it believes every unseen word is (half the least common element's frequency), so a word with no hit
    court-wide scanned every page (30 s at 1,000,000 pages). The probe answers "none" or "only these few" from
    the index in milliseconds; only a word with at least PROBE_CAP hits, where the backward walk does find its
    page quickly, goes on to the ordered query. The planner settings are SET LOCAL in a savepoint that is rolled
    back, so nothing outlives the probe (the probe writes nothing). `explain`: the probe's plan, as text."""
    sql = ("EXPLAIN (COSTS OFF) " if explain else "") + "SELECT e.object_id " + base + " LIMIT %s"
    out: list = []
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(_GIN_ONLY)
            cur.execute(sql, [*params, PROBE_CAP])
            out = [row[0] for row in cur.fetchall()]
            raise _Rollback
    except _Rollback:
        pass
    return out
