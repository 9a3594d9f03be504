"""Run content checks in sandboxed child processes: bounded memory, CPU time and wall-clock time.

A hostile upload (a decompression bomb, a PDF that takes minutes to parse) must neither exhaust the memory of
the process that serves the court nor hold its GIL. Checks therefore run in a small pool of child processes
(pebble's ProcessPool: a worker that times out or dies is killed and replaced, the others carry on), started
from a clean `forkserver` (never forked from a threaded web process), each limited by:

- RLIMIT_AS (`YUNTING_SCAN_MEMORY_MB`): an allocation past it fails with MemoryError, or kills the child;
- RLIMIT_CPU (`YUNTING_SCAN_CPU_SECONDS` per task: the soft limit is moved before each task, so a reused
  worker gets the same budget every time; past it the kernel kills the child);
- a wall-clock timeout (`YUNTING_SCAN_TIMEOUT_SECONDS` per task, `× n` for a task of n documents).

The pool is reused (a batch checks thousands of documents: a fresh interpreter per document would cost more than
the checks) and recreated if it breaks. A task that hits a limit comes back as `SandboxLimit`, never as an
exception in the caller. Child workers have Django set up (messages are translated there), the caller's
`YUNTING_*` settings applied to each task, and no database access is needed: they read blobs from storage.

`YUNTING_SCAN_SANDBOX=0` runs the same functions in-process (a debugging aid only; the limits are then off).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_pool = None
_pool_pid = None


@dataclass(frozen=True)
class SandboxLimit:
    """The check was stopped by a limit: `kind` is "memory", "cpu", "timeout" or "crashed"."""

    kind: str
    detail: str = ""


def memory_mb() -> int:
    return int(getattr(settings, "YUNTING_SCAN_MEMORY_MB", 2048))


def cpu_seconds() -> int:
    return int(getattr(settings, "YUNTING_SCAN_CPU_SECONDS", 60))


def timeout_seconds() -> float:
    return float(getattr(settings, "YUNTING_SCAN_TIMEOUT_SECONDS", 120))


def workers() -> int:
    return max(1, int(getattr(settings, "YUNTING_SCAN_WORKERS", min(2, os.cpu_count() or 1))))


def enabled() -> bool:
    return bool(getattr(settings, "YUNTING_SCAN_SANDBOX", True))


# --- in the child ---------------------------------------------------------------------------------------------
def preload() -> None:
    """Runs once in the fork server (a fresh, single-threaded interpreter): Django set up and the checks' modules
    imported there, so each worker forked from it starts in milliseconds — also when one is replaced after a kill."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # one thread each: BLAS arenas per thread would eat the address space
    try:  # checks are background work: the processes answering people get the CPU first (workers inherit this)
        os.nice(10)
    except OSError:
        pass
    import django

    django.setup()
    import numpy  # noqa: F401  (the pre-scan's ASCII85 decoding)
    import pikepdf  # noqa: F401
    import pypdf  # noqa: F401
    from PIL import Image  # noqa: F401

    import yunting.core.efile.intake  # noqa: F401
    import yunting.kernel.scan.inspect  # noqa: F401


def _child_init(memory_bytes: int) -> None:
    """Fence the worker: no core dumps, bounded address space (Django is already set up: see preload)."""
    import resource

    from django.apps import apps as django_apps

    if not django_apps.ready:  # a fork server started without the preload
        preload()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


_applied: set[str] = set()  # the caller's settings applied in this worker (a reused one must not keep stale ones)
_cpu_budget = 0  # seconds of CPU each task (or each item of a task, see rearm_cpu) may use, in the child


def rearm_cpu() -> None:
    """In the child: give the coming work a fresh CPU budget. RLIMIT_CPU counts the whole life of the process,
    so the soft limit is set to what was used so far plus the budget (the hard limit is never lowered)."""
    import resource

    if _cpu_budget <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(usage.ru_utime + usage.ru_stime) + _cpu_budget
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _child_run(target: str, args: tuple, kwargs: dict, settings_snapshot: dict, language: str, cpu: int):
    """Run `target` ("module:function") with the caller's settings and language, under a fresh CPU budget."""
    global _cpu_budget
    import importlib

    from django.conf import settings as child_settings
    from django.utils import translation

    _cpu_budget = cpu
    rearm_cpu()
    memory = int(settings_snapshot.get("YUNTING_SCAN_MEMORY_MB") or 0) * 1024 * 1024
    if memory > 0:  # the soft limit may move each task (a setting changed at run time), never past the hard one
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    for name in _applied - settings_snapshot.keys():  # set by an earlier task, unset in the caller since
        try:
            delattr(child_settings, name)
        except AttributeError:
            pass
    for name, value in settings_snapshot.items():
        setattr(child_settings, name, value)
    _applied.clear()
    _applied.update(settings_snapshot)
    module, _, func = target.partition(":")
    fn = getattr(importlib.import_module(module), func)
    try:
        with translation.override(language or None):
            return fn(*args, **kwargs)
    except MemoryError:
        return SandboxLimit("memory")


# --- in the caller --------------------------------------------------------------------------------------------
def _snapshot() -> dict[str, Any]:
    """The settings a check may read (limits, dpi, page counts): tests and deployments change them at run time."""
    names = [n for n in dir(settings) if n.startswith("YUNTING_") or n in ("UPLOAD_MAX_BYTES",)]
    return {n: getattr(settings, n) for n in names}


def _get_pool():
    global _pool, _pool_pid
    from pebble import ProcessPool

    with _lock:
        if _pool is not None and (_pool_pid != os.getpid() or not _pool.active):
            _pool = None  # inherited through a fork, or broken: start another
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["yunting.kernel.scan._preload"])
            _pool = ProcessPool(max_workers=workers(), max_tasks=0, initializer=_child_init,
                                initargs=(memory_mb() * 1024 * 1024,), context=context)
            _pool_pid = os.getpid()
        return _pool


def _noop() -> None:
    return None


def sandbox_warm() -> None:
    """Start the pool and its fork server ahead of the first upload (`yunting serve`, `yunting worker`)."""
    if not enabled():
        return
    try:
        _get_pool().schedule(_noop).result(timeout=600)
    except Exception:  # the first real check starts it again
        log.exception("could not start the sandboxed checkers")


def sandbox_shutdown() -> None:
    """Stop the pool (tests, process exit); the next call starts a new one."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.stop()
            _pool.join(timeout=5)
        _pool = None


def sandbox_run(target: str, *args, weight: int = 1, **kwargs):
    """Run `target(*args, **kwargs)` ("module:function", importable in the child) in the sandbox; its result,
    or a SandboxLimit. `weight` multiplies the time budget for a task that checks several documents."""
    return sandbox_map(target, [(args, kwargs)], weight=weight)[0]


def sandbox_map(target: str, calls: list[tuple[tuple, dict]], *, weight: int = 1) -> list:
    """Run several calls of `target` in parallel in the pool; results (or SandboxLimit) in order."""
    return sandbox_collect(sandbox_submit(target, calls, weight=weight))


@dataclass
class Submitted:
    """Calls handed to the pool by sandbox_submit, whose results sandbox_collect waits for."""

    futures: list
    wall: float
    results: list | None = None  # already known (the sandbox is off)


def sandbox_submit(target: str, calls: list[tuple[tuple, dict]], *, weight: int = 1) -> Submitted:
    """Hand several calls of `target` to the pool and return at once; the same limits as sandbox_map apply
    (each call's wall-clock budget counts from its start in a worker). The caller does other work meanwhile
    (files the previous chunk of a batch) and takes the results with sandbox_collect."""
    from django.utils import translation

    language = translation.get_language() or settings.LANGUAGE_CODE
    snapshot = _snapshot()
    cpu, wall = cpu_seconds(), timeout_seconds() * weight
    if not enabled():
        return Submitted([], wall, [_child_run(target, a, k, {}, language, 0) for a, k in calls])
    futures = []
    for args, kwargs in calls:
        for attempt in range(2):  # a pool broken meanwhile (a worker killed from outside) is recreated once
            try:
                futures.append(_get_pool().schedule(_child_run, args=(target, args, kwargs, snapshot, language, cpu),
                                                    timeout=wall))
                break
            except RuntimeError:
                if attempt:
                    raise
                sandbox_shutdown()
    return Submitted(futures, wall)


def sandbox_collect(submitted: Submitted) -> list:
    """The results (or SandboxLimit) of sandbox_submit's calls, in order, waiting for those still running."""
    from pebble import ProcessExpired

    if submitted.results is not None:
        return submitted.results
    results = []
    for future in submitted.futures:
        try:
            results.append(future.result())
        except FutureTimeout:
            results.append(SandboxLimit("timeout", f"{submitted.wall:.0f} s"))
        except ProcessExpired as exc:
            kind = "cpu" if exc.exitcode in (-24, 152) else "memory" if exc.exitcode in (-9, -6) else "crashed"
            log.warning("sandboxed check died (exit code %s): %s", exc.exitcode, kind)
            results.append(SandboxLimit(kind, str(exc.exitcode)))
        except MemoryError:
            results.append(SandboxLimit("memory"))
    return results
