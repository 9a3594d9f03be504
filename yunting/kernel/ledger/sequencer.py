"""The ledger sequencer: queue-then-integrate (the design of Trillian and Tessera).

A writer's transaction commits its record and a *queued leaf* (ledger_queue) and takes no ledger lock, so
concurrent writers on different cases never wait for each other here. A sequencer, one at a time by a lease
(PostgreSQL: a transaction-scoped advisory lock, released by commit, rollback or the death of its connection;
SQLite: its one write lock), moves queued leaves into the log in batches, in queue-id order: it reads a batch,
appends the leaves and the subtrees they complete, deletes the batch from the queue, and commits, all in one
transaction. So a queued leaf becomes exactly one leaf whatever process is killed at whatever point: before the
commit nothing happened, after it everything did.

Who runs it: a dedicated sequencer when one runs (`yunting serve`'s master process, `yunting ledger sequence
--every S`: it integrates every tick and holds a presence lock meanwhile), otherwise an after-commit nudge (a
thread per process, woken by each commit that queued a leaf; it stands down while a dedicated sequencer is
present, so the writers' processes spend nothing on the ledger), the periodic job (`yunting tick`), and every
tree-head issue, which integrates what is queued before it signs. The maximum merge delay (LEDGER_MMD_S, default 2 s) is the documented bound from commit
to inclusion; `bench/bench_sequencer.py` measures it.

Mode (LEDGER_SEQUENCER): "queued" (the default on PostgreSQL) or "inline" (the default on SQLite, where one
writer at a time holds the database anyway: the leaf is appended in the writer's own transaction).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import close_old_connections, connections, transaction

from yunting.kernel.common.rawsql import raw_cursor

from . import store
from .store import NewLeaf

log = logging.getLogger(__name__)

# Held (session-level advisory lock, PostgreSQL) by a dedicated sequencer for as long as it runs: the nudges see
# it and stand down. Released with its connection, so a killed dedicated sequencer hands back to the nudges.
PRESENCE_LOCK_ID = store.ADVISORY_LOCK_ID + 1
PRESENCE_CHECK_S = 1.0  # how often a nudging process looks whether a dedicated sequencer is (still) there

QUEUE_TABLE = "ledger_queue"
QUEUE_COLUMNS = ("record_id", "leaf_input", "documents", "queued_ms")
BATCH = 2000

# Test hook: called with a step name between the sequencer's statements ("leased", "dequeued", "leaves", "nodes",
# "documents"); `yunting ledger sequence` installs one from YUNTING_LEDGER_SEQUENCER_PAUSE_AT.
step_hook: Callable[[str], None] | None = None

# Commit-to-inclusion delay (ms, queued → integrated) of the leaves this process integrated lately: the
# benchmark's measure of the merge delay; `yunting ledger status` shows the queue itself.
DELAYS_MS: list[int] = []


def mode(using: str = "default") -> str:
    chosen = (getattr(settings, "LEDGER_SEQUENCER", "") or "").lower()
    if chosen in ("inline", "queued"):
        return chosen
    return "queued" if connections[using].vendor == "postgresql" else "inline"


def is_queued(using: str = "default") -> bool:
    return mode(using) == "queued"


def mmd_s() -> float:
    """Maximum merge delay: the documented bound from a record's commit to its leaf's inclusion."""
    return float(getattr(settings, "LEDGER_MMD_S", 2))


def linger_s() -> float:
    """The nudged sequencer's tick: how long commits gather before a process looks at the queue (a fraction of
    the merge delay: a leaf is integrated about two ticks after its commit)."""
    return float(getattr(settings, "LEDGER_SEQUENCER_LINGER_S", min(0.25, mmd_s() / 8)))


def now_ms() -> int:
    return int(time.time() * 1000)


def queue_row(item: NewLeaf, record_id=None) -> tuple:
    return (item.record_id if record_id is None else record_id, item.leaf_input, " ".join(item.documents), now_ms())


def enqueue_many(items: Sequence[NewLeaf], *, using: str = "default") -> None:
    """Queue leaves in the caller's transaction (no lock taken) and nudge the sequencer after commit."""
    if not items:
        return
    rows = [queue_row(item) for item in items]
    c = raw_cursor(using)
    store._insert(c, QUEUE_TABLE, QUEUE_COLUMNS, rows)
    transaction.on_commit(nudge, using=using)


def _step(name: str) -> None:
    if step_hook is not None:
        step_hook(name)


def integrate_locked(c, *, batch: int = BATCH) -> tuple[int, list[int]]:
    """One batch, for a caller holding the lease in its transaction: (leaves integrated, their queued_ms)."""
    # Take the batch out of the queue and read it in one statement; the leaves go in below, in the same
    # transaction, so the batch is either all dequeued-and-integrated or all still queued.
    c.execute(f"DELETE FROM {QUEUE_TABLE} WHERE id IN (SELECT id FROM {QUEUE_TABLE} ORDER BY id LIMIT %s)"
              " RETURNING id, leaf_input, record_id, documents, queued_ms", [batch])
    rows = sorted(c.fetchall())  # queue order: the deterministic order of the log
    if not rows:
        return 0, []
    _step("dequeued")
    items = [NewLeaf(store._b(li), rid, tuple(docs.split()) if docs else ()) for _id, li, rid, docs, _q in rows]
    store.append_locked(c, items, step=_step)
    queued = [r[4] for r in rows]
    transaction.on_commit(lambda: _delays(queued))
    return len(rows), queued


def _delays(queued: list[int]) -> None:
    committed = now_ms()
    DELAYS_MS.extend(committed - q for q in queued)
    del DELAYS_MS[:-200_000]


def integrate_batch(*, using: str = "default", batch: int = BATCH, wait: bool = False) -> int | None:
    """Integrate one batch under the lease in its own transaction. None when another sequencer holds the lease
    (unless `wait`); 0 when nothing is queued."""
    conn = connections[using]
    with transaction.atomic(using=using):
        c = raw_cursor(using, conn)
        if conn.vendor == "postgresql":
            if wait:
                c.execute("SELECT pg_advisory_xact_lock(%s)", [store.ADVISORY_LOCK_ID])
            else:
                c.execute("SELECT pg_try_advisory_xact_lock(%s)", [store.ADVISORY_LOCK_ID])
                if not c.fetchone()[0]:
                    return None
        _step("leased")
        n, _queued = integrate_locked(c, batch=batch)
    return n


def integrate_pending(*, using: str = "default", batch: int = BATCH, wait: bool = False,
                      patience_s: float = 0.0) -> int:
    """Integrate until the queue is empty. When another sequencer holds the lease, retry for `patience_s`
    (it drains what was committed before its last read; a short retry covers what committed just after)."""
    total = 0
    deadline = time.monotonic() + patience_s
    while True:
        n = integrate_batch(using=using, batch=batch, wait=wait)
        if n is None:
            if time.monotonic() >= deadline:
                return total
            time.sleep(0.05)
            continue
        if n == 0:
            return total
        total += n


def sequence_tick(*, using: str = "default") -> int:
    """The periodic job: integrate what is queued (a plain read first, so an empty queue takes no lock)."""
    c = raw_cursor(using)
    c.execute(f"SELECT 1 FROM {QUEUE_TABLE} LIMIT 1")
    if c.fetchone() is None:
        return 0
    return integrate_pending(using=using, patience_s=0.2)


def queue_length(*, using: str = "default") -> tuple[int, int | None]:
    """(queued leaves, oldest queued_ms or None)."""
    c = raw_cursor(using)
    c.execute(f"SELECT COUNT(*), MIN(queued_ms) FROM {QUEUE_TABLE}")
    n, oldest = c.fetchone()
    return n, oldest


def queued_document(sha256_hex: str, *, using: str = "default") -> int | None:
    """queued_ms of the oldest queued leaf listing the document, or None. The queue is short (it drains within
    the merge delay), so a scan of it is cheap."""
    c = raw_cursor(using)
    c.execute(f"SELECT MIN(queued_ms) FROM {QUEUE_TABLE} WHERE documents LIKE %s", [f"%{sha256_hex.lower()}%"])
    return c.fetchone()[0]


def queued_record(record_id: int, *, using: str = "default") -> int | None:
    c = raw_cursor(using)
    c.execute(f"SELECT MIN(queued_ms) FROM {QUEUE_TABLE} WHERE record_id = %s", [record_id])
    return c.fetchone()[0]


def eta_s(queued_ms: int) -> int:
    """Seconds until a leaf queued at `queued_ms` should be in the log (at least 1, for the page's wording)."""
    return max(1, round(mmd_s() - (now_ms() - queued_ms) / 1000))


# --- the dedicated sequencer -------------------------------------------------------------------------------------


def dedicated_present(*, using: str = "default") -> bool:
    """Whether a dedicated sequencer runs on this database (someone holds the presence lock)."""
    if connections[using].vendor != "postgresql":
        return False
    c = raw_cursor(using)
    c.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
              " AND classid = %s AND objid = %s"
              " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
              [PRESENCE_LOCK_ID >> 32, PRESENCE_LOCK_ID & 0xFFFFFFFF])
    return bool(c.fetchone()[0])


def _hold_presence(using: str) -> object | None:
    """Take the presence lock on this thread's connection; the connection it is held on, or None when another
    dedicated sequencer holds it (this one still integrates, under the lease, one batch at a time)."""
    conn = connections[using]
    conn.ensure_connection()
    c = raw_cursor(using, conn)
    c.execute("SELECT pg_try_advisory_lock(%s)", [PRESENCE_LOCK_ID])
    return conn.connection if c.fetchone()[0] else None


def _integrate_queued(using: str) -> int:
    """What is queued now, in full batches, then back to the tick: draining "until empty" while writers keep
    committing is a stream of tiny batches, each a transaction with its fixed cost (measured: the dedicated
    process then took a core of its own)."""
    c = raw_cursor(using)
    c.execute(f"SELECT 1 FROM {QUEUE_TABLE} LIMIT 1")
    if c.fetchone() is None:
        return 0
    total = 0
    while (n := integrate_batch(using=using)) == BATCH:  # a short batch: it took everything queued when it read
        total += n
    return total + (n or 0)


def run_dedicated(stop: threading.Event, *, tick: float | None = None, using: str = "default",
                  report: Callable[[int], None] | None = None) -> None:
    """Integrate what is queued every tick (default: the nudge's tick, LEDGER_MMD_S / 8) until `stop`, holding
    the presence lock so the writers' nudges stand down. Integrating in a process of its own keeps the ledger's
    work out of the processes that serve people: a nudge thread inside a writer competes with it for the GIL
    (16 writers on 2 cores: 1,300 appends/s with the nudges integrating, 1,800 with a dedicated sequencer)."""
    held_on = None
    while not stop.is_set():
        try:
            if is_queued(using) and connections[using].vendor == "postgresql":
                if held_on is None or held_on is not connections[using].connection:
                    held_on = _hold_presence(using)  # again after a reconnect: the lock went with the old one
                n = _integrate_queued(using)
                if n and report is not None:
                    report(n)
        except Exception:  # never let the loop die: the nudges take over while the lock is not held
            log.exception("dedicated ledger sequencer failed; will retry")
            held_on = None
            close_old_connections()
        stop.wait(linger_s() if tick is None else tick)
    connections[using].close()  # releases the presence lock: the nudges resume


# --- the after-commit nudge: one thread per process, woken by commits that queued a leaf ------------------------


class _Nudger:
    def __init__(self):
        self.event = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.pid = 0
        self.dedicated = (0.0, False)  # (checked at, a dedicated sequencer was present)

    def nudge(self) -> None:
        if self.event.is_set() and self.pid == os.getpid() and self.thread is not None and self.thread.is_alive():
            return  # already woken: it will look at the queue this tick (every append commits one nudge)
        if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
            with self.lock:
                if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                    self.pid = os.getpid()  # after a fork, the parent's thread is not ours: start one
                    self.thread = threading.Thread(target=self._run, name="ledger-sequencer", daemon=True)
                    self.thread.start()
        self.event.set()

    def _run(self) -> None:
        """Wake on a commit, let a tick's worth of commits gather, then integrate if the queue's oldest leaf has
        waited a tick. Every process with writers runs this, so without the age check each would integrate its
        own few leaves a tick (16 writer processes: 60+ tiny batches a second, each a transaction with a fixed
        cost); with it, whichever process looks first after the oldest leaf is a tick old takes everything
        queued, and the others find young leaves (or none) and only look again a tick later. One indexed read
        per process per tick, a few batches a second in all, delay from commit to inclusion about 2 ticks."""
        while True:
            if not self.event.wait(timeout=max(1.0, mmd_s())):  # idle: give the connection back, sleep until
                connections.close_all()                          # the next commit
                self.event.wait()
            time.sleep(linger_s())
            self.event.clear()
            if not (getattr(settings, "LEDGER_NUDGE", True) and is_queued()):
                continue
            try:
                if self._dedicated_present():
                    continue  # it integrates every tick; the next commit wakes this thread to look again
                if self._integrate_if_due():
                    self.event.set()  # leaves still queued (young, or the lease was busy): look again next tick
            except Exception:  # never let the thread die: the periodic job would still integrate, but later
                log.exception("ledger sequencer failed; will retry")
                self.event.set()
                time.sleep(0.5)
                close_old_connections()

    def _dedicated_present(self) -> bool:
        checked_at, present = self.dedicated
        if time.monotonic() - checked_at >= PRESENCE_CHECK_S:
            present = dedicated_present()
            self.dedicated = (time.monotonic(), present)
        return present

    @staticmethod
    def _integrate_if_due() -> bool:
        """Integrate everything queued when its oldest leaf is at least a tick old; True when leaves remain
        queued that this process must look at again."""
        c = raw_cursor()
        c.execute(f"SELECT queued_ms FROM {QUEUE_TABLE} ORDER BY id LIMIT 1")
        row = c.fetchone()
        if row is None:
            return False  # another sequencer took them
        if now_ms() - row[0] < linger_s() * 1000 * 0.9:
            return True  # young: gather them a little longer (another process may take them first)
        while (n := integrate_batch()) == BATCH:  # a short batch means the queue was empty when it was read
            pass
        return n is None  # the lease was busy: its holder takes what it read; look again for the rest


_nudger = _Nudger()


def nudge() -> None:
    """After commit: wake this process's sequencer thread (no database work on the committing thread)."""
    if getattr(settings, "LEDGER_NUDGE", True):
        _nudger.nudge()
