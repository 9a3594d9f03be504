"""In-process periodic jobs for the embedded runtime (`yunting serve`): e.g. issuing ledger tree heads.

Apps register a function and an interval from AppConfig.ready(); `run_forever` calls each when due.
A scale-out deployment runs the same functions from `yunting tick` under cron or a scheduler instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections

log = logging.getLogger(__name__)
_jobs: dict[str, tuple[float, Callable[[], object]]] = {}


def register_periodic(name: str, every_seconds: float, fn: Callable[[], object]) -> None:
    _jobs[name] = (every_seconds, fn)


def run_due(last_run: dict[str, float], now: float) -> None:
    for name, (every, fn) in list(_jobs.items()):
        if now - last_run.get(name, 0.0) >= every:
            last_run[name] = now
            try:
                fn()
            except Exception:
                log.exception("periodic job %s failed", name)
            finally:
                close_old_connections()


def run_forever(stop: threading.Event, tick: float = 1.0) -> None:
    last_run: dict[str, float] = {}
    while not stop.is_set():
        run_due(last_run, time.monotonic())
        stop.wait(tick)


def run_once() -> list[str]:
    names = list(_jobs)
    run_due({}, float("inf"))
    return names
