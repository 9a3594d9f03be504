"""Read the next chunk of a bulk write while this connection writes the current one.

A bulk write on PostgreSQL alternates Python work with waits on the server; on SQLite the database works in this
very thread. Reading and checking chunk N+1 on a second connection, in a second thread, while this thread
writes chunk N fills some of those waits (the reading thread runs while this one waits on the server, and the
server answers both). What the second thread reads is not locked: the writer locks the chunk's rows itself and
compares what it locked with what was read (see filing_accept_batch).

Only outside a transaction: a reader on another connection cannot see rows an enclosing transaction has not
committed yet (tests, a caller's own atomic block), so there the chunks are read in this thread, in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection, connections

C = TypeVar("C")
R = TypeVar("R")


def read_ahead_possible() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def read_ahead(chunks: Sequence[C], read: Callable[[C], R]) -> Iterator[tuple[C, R | None]]:
    """Each chunk with what `read(chunk)` returned, chunk N+1 read in a second thread while the caller works on
    chunk N. None instead of a result when reading ahead is not possible: the caller reads the chunk itself,
    inside its transaction, with its locks."""
    if len(chunks) < 2 or not read_ahead_possible():
        for chunk in chunks:
            yield chunk, None
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
    pending = pool.submit(read, chunks[0])
    try:
        for i, chunk in enumerate(chunks):
            result = pending.result()
            if i + 1 < len(chunks):
                pending = pool.submit(read, chunks[i + 1])
            yield chunk, result
    finally:
        pending.cancel()
        pool.submit(connections.close_all).result()  # the reading thread's own connection
        pool.shutdown()
