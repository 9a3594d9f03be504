"""A memo that lives for one read request: what the same request asks of the database again and again.

A page is assembled by many apps' panels and template tags, and each asks "which posts does this user hold?"
or "may this user see case X?" on its own — the case page asked the membership table a dozen times. Inside
`request_scope()` (opened by `RequestMemoMiddleware` for GET and HEAD requests only) the first answer is kept
and given to the others; outside it (writes, jobs, the command line, tests calling services) nothing is kept,
every call asks the database, and the answers are exactly the same.

A write to a table a memoised answer was read from (`invalidate_on(Model)`) empties the memo, so a read after
a write in the same request never sees the old answer.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict | None] = ContextVar("yunting_request_memo", default=None)
_MISSING = object()

SAFE_METHODS = frozenset({"GET", "HEAD"})


@contextmanager
def request_scope():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: Hashable, compute: Callable[[], Any]) -> Any:
    """compute(), kept under `key` for the rest of the request (when in a request scope). An exception is not
    kept: the next call computes again."""
    memo = _memo.get()
    if memo is None:
        return compute()
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        value = memo[key] = compute()
    return value


def clear(*_args, **_kwargs) -> None:
    memo = _memo.get()
    if memo:
        memo.clear()


def invalidate_on(*models) -> None:
    """Any save or delete of these models empties the current request's memo."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        post_save.connect(clear, sender=model, weak=False, dispatch_uid=f"memo-save-{model._meta.label}")
        post_delete.connect(clear, sender=model, weak=False, dispatch_uid=f"memo-delete-{model._meta.label}")
    m2m_changed.connect(clear, weak=False, dispatch_uid="memo-m2m")


class RequestMemoMiddleware:
    """Opens the memo for GET and HEAD requests (reads); other methods run without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        with request_scope():
            return self.get_response(request)
