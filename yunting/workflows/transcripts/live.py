"""Live delivery of the transcript to the people in the hearing. The workflow knows only that a message should
reach "everyone admitted to this hearing"; the realtime interface registers how (a channel group that only
admitted participants' sockets join). Sent after commit, so a rolled-back save is never shown."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)
_publishers: list[Callable[[int, dict], None]] = []


def register_publisher(fn: Callable[[int, dict], None]) -> None:
    """`fn(hearing_id, message)` delivers `message` to the hearing's admitted participants."""
    if fn not in _publishers:
        _publishers.append(fn)


def publish(hearing_id: int, message: dict) -> None:
    def send():
        for fn in _publishers:
            try:
                fn(hearing_id, message)
            except Exception:  # a live view missing one update reloads the text; the save itself stands
                log.exception("could not publish a transcript update for hearing %s", hearing_id)

    transaction.on_commit(send)
