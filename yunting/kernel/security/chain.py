"""Hash-chained, gap-free rows for the security logs (read log, security events).

Each row gets the next `seq` of its chain and `chain = HMAC-SHA256(key, previous chain ‖ canonical row)`. The
key is derived from the ledger signing key, which lives outside the database (settings.LEDGER_SIGNING_KEY_PATH,
possibly outside the data directory), so someone who can write the database but not read that key can neither
delete a row nor alter one without the audit finding it: a deleted row leaves a gap in `seq` (or breaks the next
row's chain), an altered row no longer matches its chain. Deleting the newest rows is caught against the anchor
that every signed tree head writes outside the database (kernel.ledger.anchor).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from yunting.kernel.common import rawsql
from yunting.kernel.common.canonical import canonical_json
from yunting.kernel.common.timeutil import iso_utc

GENESIS = "0" * 64
FIELDS = {
    "readlog": ("user_id", "username", "action", "case_id", "object_type", "object_id", "channel", "ip"),
    "securityevent": ("kind", "subject", "actor", "details"),
}


@lru_cache(maxsize=4)
def _key(signing_key_pem_sha: str) -> bytes:
    return hashlib.sha256(b"yunting audit chain v1|" + bytes.fromhex(signing_key_pem_sha)).digest()


def chain_key() -> bytes:
    from cryptography.hazmat.primitives import serialization

    from yunting.kernel.ledger.keys import load_signing_key

    raw = load_signing_key().private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                           serialization.NoEncryption())
    return _key(hashlib.sha256(raw).hexdigest())


def row_bytes(name: str, row) -> bytes:
    values = {f: getattr(row, f) for f in FIELDS[name]}
    return canonical_json({"chain": name, "seq": row.seq, "at": iso_utc(row.at), **values})


def chain_value(key: bytes, prev: str, name: str, row) -> str:
    return hmac.new(key, bytes.fromhex(prev) + row_bytes(name, row), hashlib.sha256).hexdigest()


def _advance(name: str, n: int = 1) -> tuple[int, str]:
    """Reserve the next `n` places of the chain: (the last of them, the head before them)."""
    with rawsql.cursor() as cur:
        cur.execute("UPDATE security_chainhead SET seq = seq + %s WHERE name = %s RETURNING seq, head", [n, name])
        row = cur.fetchone()
        if row is None:
            cur.execute("INSERT INTO security_chainhead (name, seq, head) VALUES (%s, 0, %s) ON CONFLICT DO NOTHING",
                        [name, GENESIS])
            cur.execute("UPDATE security_chainhead SET seq = seq + %s WHERE name = %s RETURNING seq, head",
                        [n, name])
            row = cur.fetchone()
    return row[0], row[1]


def _prepare(name: str, row) -> None:
    for field in row._meta.concrete_fields:  # hash exactly what the database will hand back
        if field.attname in FIELDS[name] and field.get_internal_type() == "GenericIPAddressField":
            setattr(row, field.attname, field.get_prep_value(getattr(row, field.attname)))


@transaction.atomic
def chained_insert(name: str, row) -> None:
    """Give `row` (unsaved, `at` set) its place in chain `name` and save it, in one transaction."""
    _prepare(name, row)
    seq, prev = _advance(name)
    row.seq = seq
    row.chain = chain_value(chain_key(), prev, name, row)
    row.save(force_insert=True)
    with rawsql.cursor() as cur:
        cur.execute("UPDATE security_chainhead SET head = %s WHERE name = %s", [row.chain, name])


def chained_insert_many(name: str, rows: list) -> None:
    """chained_insert for several rows of one chain, in order, in one transaction: the chain head is taken and
    set once, and the rows are inserted together (a page that logs the case and each party's personal data)."""
    if len(rows) <= 1:
        for row in rows:
            chained_insert(name, row)
        return
    key = chain_key()
    for row in rows:
        _prepare(name, row)
    with transaction.atomic():
        last, prev = _advance(name, len(rows))
        for seq, row in enumerate(rows, start=last - len(rows) + 1):
            row.seq = seq
            row.chain = prev = chain_value(key, prev, name, row)
        type(rows[0]).objects.bulk_create(rows)
        with rawsql.cursor() as cur:
            cur.execute("UPDATE security_chainhead SET head = %s WHERE name = %s", [prev, name])


@dataclass(frozen=True)
class ChainProblem:
    table: str
    id: str
    message: str


def chain_audit(name: str, model) -> tuple[list[ChainProblem], tuple[int, str]]:
    """Every gap and every altered row of one chain; also (last seq, last chain) as found, for the anchor check."""
    key = chain_key()
    problems: list[ChainProblem] = []
    prev, expected = GENESIS, 1
    last = (0, GENESIS)
    for row in model.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        if row.seq != expected:  # rows deleted; the next row's chain cannot be checked without them
            span = f"{expected}" if row.seq == expected + 1 else f"{expected}–{row.seq - 1}"
            problems.append(ChainProblem(name, f"seq {span}", f"rows missing before row {row.pk} (deleted)"))
        elif row.chain != chain_value(key, prev, name, row):
            problems.append(ChainProblem(name, str(row.pk), "row does not match its chain (altered)"))
        prev, expected = row.chain, row.seq + 1
        last = (row.seq, row.chain)
    return problems, last



def chain_head(name: str) -> tuple[int, str]:
    """(last seq, last chain value) of a chain as stored now; (0, GENESIS) before its first row."""
    with rawsql.cursor() as cur:
        cur.execute("SELECT seq, head FROM security_chainhead WHERE name = %s", [name])
        row = cur.fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)
