"""Shared set-up for benchmarks: a fresh data directory and database per run, real code paths only."""

from __future__ import annotations

import os
import platform
import tempfile
import time
from contextlib import contextmanager


def setup_django(database_url: str | None = None, *, immediate_tasks: bool = True) -> str:
    """Point Django at a fresh data dir (and a fresh PostgreSQL database when given), migrate, return vendor.
    `immediate_tasks=False`: background jobs are queued in the database (as a deployment's job workers would
    take them), not run inline in the measured code."""
    os.environ["YUNTING_DATA_DIR"] = tempfile.mkdtemp(prefix="yunting-bench-")
    os.environ.pop("REDIS_URL", None)
    os.environ["YUNTING_TASKS_IMMEDIATE"] = "1" if immediate_tasks else "0"
    if database_url:
        _recreate_pg(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def _recreate_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def pg_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def timer():
    """Wall seconds ("s") and this process's CPU seconds ("cpu": what a shared machine's load hardly changes)."""
    t = {"s": 0.0, "cpu": 0.0}
    start, cpu = time.perf_counter(), time.process_time()
    yield t
    t["s"], t["cpu"] = time.perf_counter() - start, time.process_time() - cpu


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
