"""Ledger benchmarks (issue 3): append rate, proof latencies at 1M and 10M leaves, verification, recomputation.

    .venv/bin/python bench/bench_ledger.py            # everything (10M step: a few minutes, ~4 GB temp disk)
    YUNTING_BENCH_SKIP_10M=1 .venv/bin/python bench/bench_ledger.py
    YUNTING_BENCH_SIZES=100000,1000000 …             # other sizes for the proof step

Runs on a throw-away SQLite database in a temporary data directory (never the real one), on one process.
Prints a Markdown table for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import hashlib
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="yunting-bench-ledger-", dir=os.environ.get("YUNTING_BENCH_TMP"))
os.environ["YUNTING_DATA_DIR"] = TMP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from yunting.kernel.ledger import merkle, store  # noqa: E402
from yunting.kernel.ledger.selectors import (  # noqa: E402
    ledger_consistency_proof,
    ledger_entries,
    ledger_inclusion_proof,
    ledger_proof_by_document,
    ledger_proof_by_hash,
    ledger_root,
)
from yunting.kernel.ledger.services import ledger_append, ledger_append_many, ledger_sth_issue  # noqa: E402
from yunting.kernel.ledger.store import NewLeaf  # noqa: E402

ROWS: list[tuple[str, str]] = []


def row(name: str, value: str) -> None:
    ROWS.append((name, value))
    print(f"  {name}: {value}", flush=True)


def leaf_input(i: int) -> tuple[bytes, str]:
    """A realistic leaf: the same canonical JSON as leaves.leaf_input_for, one document (~260 bytes)."""
    c = hashlib.sha256(b"c%d" % i).hexdigest()
    d = hashlib.sha256(b"d%d" % i).hexdigest()
    raw = ('{"commitment":"%s","documents":["%s"],"kind":"evidence.submitted",'  # noqa: UP031 — %-formatting is the fastest here
           '"time":"2026-11-21T10:00:00.%06dZ","v":1}' % (c, d, i % 1000000)).encode()
    return raw, d


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return f"p50 {p50:.3f} ms · p99 {p99:.3f} ms"


def bench_sha256() -> float:
    data = leaf_input(1)[0]
    n = 300_000
    h = hashlib.sha256
    t = time.perf_counter()
    for _ in range(n):
        h(data).digest()
    rate = n / (time.perf_counter() - t)
    row("raw SHA-256 of one 260-byte leaf_input (hashlib, one core)", f"{rate:,.0f} /s")
    return rate


def _rounds(fn, items, per_round: int) -> tuple[float, float]:
    """(best, median) rate over rounds: the machine is shared, so the best round is the ledger's own speed."""
    rates = []
    for r in range(len(items) // per_round):
        chunk = items[r * per_round : (r + 1) * per_round]
        t = time.perf_counter()
        fn(chunk)
        rates.append(len(chunk) / (time.perf_counter() - t))
    return max(rates), statistics.median(rates)


def bench_appends(sha_rate: float) -> None:
    items = [leaf_input(i) for i in range(60_000)]

    def one_at_a_time(chunk):
        with transaction.atomic():
            for raw, d in chunk:
                ledger_append(raw, documents=[d])

    best, med = _rounds(one_at_a_time, items[:30_000], 5000)
    row("ledger_append, one leaf per call, in a transaction (6 rounds of 5k)",
        f"best {best:,.0f} /s · median {med:,.0f} /s")
    row("append cost vs raw SHA-256 (best round)", f"{sha_rate / best:.0f}× the time of one SHA-256 of the leaf")

    def committed(chunk):
        for raw, d in chunk:
            with transaction.atomic():
                ledger_append(raw, documents=[d])

    best_c, med_c = _rounds(committed, items[30_000:36_000], 2000)
    row("ledger_append, one transaction (commit, WAL, synchronous=NORMAL) per leaf",
        f"best {best_c:,.0f} /s · median {med_c:,.0f} /s")

    def batched(chunk):
        with transaction.atomic():
            ledger_append_many([NewLeaf(raw, None, (d,)) for raw, d in chunk])

    best_b, med_b = _rounds(batched, items[36_000:], 1000)
    row("ledger_append_many, 1000 leaves per call", f"best {best_b:,.0f} /s · median {med_b:,.0f} /s")
    n = 60_000
    t = time.perf_counter()
    ledger_inclusion_proof(n - 1, n)
    row("proofs available right after appending", f"yes (inclusion proof of the last leaf: "
        f"{(time.perf_counter() - t) * 1000:.2f} ms)")


def bulk_build(target: int) -> float:
    """Grow the stored tree to `target` leaves in executemany batches of 100k (same rows as store.append).

    Bench-only shortcut, as any bulk load does: the three secondary indexes are dropped during the load and
    rebuilt after it (sorted builds instead of 10M random B-tree inserts). The per-append path is measured
    separately above; this only makes a 10M-leaf log to measure proofs on.
    """
    with connection.cursor() as c:
        c.execute("PRAGMA cache_size = -1000000")
        c.execute("PRAGMA synchronous = OFF")
        c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                  " AND tbl_name IN ('ledger_leaf', 'ledger_document')")
        indexes = c.fetchall()
        for name, _ in indexes:
            c.execute(f'DROP INDEX "{name}"')
    size = ledger_root.__globals__["ledger_size"]()
    # Resume the frontier from the stored tree, then write leaves, completed subtrees and document rows with
    # executemany: the same rows store.append writes, without its per-call bookkeeping.
    with store.cursor() as c:
        keys = merkle.frontier_nodes(size)
        got = store.fetch_nodes(c, keys)
    frontier = merkle.Frontier(size, [got[k] for k in keys])
    raw = connection.connection
    t = time.perf_counter()
    batch = 100_000
    sha, lh = hashlib.sha256, merkle.leaf_hash
    while size < target:
        b = min(batch, target - size)
        leaves, nodes, docs = [], [], []
        for i in range(size, size + b):
            c_hex = sha(b"c%d" % i).hexdigest()
            d_hex = sha(b"d%d" % i).hexdigest()
            li = ('{"commitment":"%s","documents":["%s"],"kind":"evidence.submitted",'  # noqa: UP031
                  '"time":"2026-11-21T10:00:00.%06dZ","v":1}' % (c_hex, d_hex, i % 1000000)).encode()
            h = lh(li)
            leaves.append((i, h, li))
            docs.append((bytes.fromhex(d_hex), i))
            created = frontier.append(h)
            for level, index, nh in created[1:]:
                nodes.append((store.node_key(level, index), nh))
        with transaction.atomic():
            raw.executemany("INSERT INTO ledger_leaf (idx, leaf_hash, leaf_input, record_id) VALUES (?, ?, ?, NULL)",
                            leaves)
            raw.executemany("INSERT INTO ledger_node (key, hash) VALUES (?, ?)", nodes)
            raw.executemany("INSERT INTO ledger_document (sha256, leaf_index) VALUES (?, ?)", docs)
        size += b
        if size % 1_000_000 == 0:
            print(f"    … {size:,} leaves ({time.perf_counter() - t:.0f} s)", flush=True)
    assert ledger_root(size) == frontier.root(), "stored tree disagrees with the streaming root"
    t_idx = time.perf_counter()
    with connection.cursor() as c:
        for _, sql in indexes:
            c.execute(sql)
        c.execute("PRAGMA synchronous = NORMAL")
        c.execute("ANALYZE")
    print(f"    … indexes rebuilt in {time.perf_counter() - t_idx:.0f} s", flush=True)
    return time.perf_counter() - t


def bench_proofs(n: int, rng: random.Random) -> None:
    label = f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n:,}"
    root = ledger_root(n)
    idx = [rng.randrange(n) for _ in range(400)]
    it = iter(idx)
    samples = timed(lambda: ledger_inclusion_proof(next(it), n), len(idx))
    row(f"inclusion proof by index at {label}", ms(samples))
    hashes = []
    for i in idx[:200]:
        hashes.append(merkle.leaf_hash(leaf_input(i)[0]))
    it2 = iter(hashes)
    samples = timed(lambda: ledger_proof_by_hash(next(it2), n), len(hashes))
    row(f"get-proof-by-hash (lookup + proof) at {label}", ms(samples))
    docs = iter([leaf_input(i)[1] for i in idx[:200]])
    samples = timed(lambda: ledger_proof_by_document(next(docs), n), 200)
    row(f"get-proof-by-document (lookup + proof) at {label}", ms(samples))
    firsts = iter([rng.randrange(1, n) for _ in range(400)])
    samples = timed(lambda: ledger_consistency_proof(next(firsts), n), 400)
    row(f"consistency proof at {label}", ms(samples))
    samples = timed(lambda: ledger_root(n), 200)
    row(f"root for any tree size at {label}", ms(samples))
    p = ledger_inclusion_proof(idx[0], n)
    samples = timed(lambda: merkle.verify_inclusion(p.leaf_hash, p.leaf_index, n, p.audit_path, root), 2000)
    row(f"verify an inclusion proof ({len(p.audit_path)} hashes) at {label}", ms(samples))
    m = n // 3
    c = ledger_consistency_proof(m, n)
    r1 = ledger_root(m)
    samples = timed(lambda: merkle.verify_consistency(m, n, r1, root, c), 2000)
    row(f"verify a consistency proof ({len(c)} hashes) at {label}", ms(samples))


def bench_recompute(n: int) -> None:
    t = time.perf_counter()
    f = merkle.Frontier()
    start = 0
    while start < n:
        for li in ledger_entries(start, min(n, start + 1000) - 1):
            f.append(merkle.leaf_hash(li))
        start += 1000
    dt = time.perf_counter() - t
    assert f.root() == ledger_root(n)
    label = f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n:,}"
    row(f"root recomputation from get-entries (1000 per page) at {label}", f"{dt:.1f} s ({n / dt:,.0f} leaves/s)")


def main() -> None:
    print(f"ledger bench in {TMP} · Python {platform.python_version()} · {platform.machine()} · "
          f"SQLite {connection.Database.sqlite_version}", flush=True)
    call_command("migrate", verbosity=0)
    sha_rate = bench_sha256()
    bench_appends(sha_rate)
    ledger_sth_issue()
    rng = random.Random(1)
    sizes = [int(x) for x in os.environ.get("YUNTING_BENCH_SIZES", "1000000,10000000").split(",") if x]
    if os.environ.get("YUNTING_BENCH_SKIP_10M") == "1":
        sizes = [s for s in sizes if s < 10_000_000]
    for n in sizes:
        dt = bulk_build(n)
        row(f"bulk build to {n:,} leaves (executemany, 100k per batch, indexes rebuilt after)", f"{dt:.0f} s")
        bench_proofs(n, rng)
        if n <= 1_000_000:
            bench_recompute(n)
    db = Path(TMP) / "yunting.sqlite3"
    row("SQLite file size at the largest size", f"{db.stat().st_size / 2**20:,.0f} MiB")
    print("\n| measurement | result |\n| --- | --- |")
    for name, value in ROWS:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)
