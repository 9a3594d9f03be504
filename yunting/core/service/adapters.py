"""The edges of service we cannot reach from here, each a narrow interface with a default that stays inside:

- NumberLookup (数据修复: an operator confirms which mobile number a person with this ID number uses).
  `FakeNumberLookup` is a FAKE: it invents a plausible number from the ID number, and every result it gives is
  marked fake (ContactSource.DATA_REPAIR_FAKE), shown as such and never counted as confirmed. A real operator's
  service is one more class with the same `lookup`; choose it with settings.YUNTING_NUMBER_LOOKUP.
- PostalTracker (EMS): `OutboxPostalTracker` keeps the numbers an officer entered or imported and answers no
  status of its own — the officer records signed-for / returned; a real tracker returns events with `track`.
- The SMS gateway is kernel/notify's outbox and sender (console fake by default); e-mail is Django's e-mail
  backend (console/file in development, SMTP in production) — real everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class LookupResult:
    phone: str
    operator: str
    fake: bool  # True for results of a fake adapter: never treat as confirmed


@runtime_checkable
class NumberLookup(Protocol):
    def lookup(self, *, id_number: str, name: str) -> list[LookupResult]:
        """Numbers registered to this person with an operator, best first; [] when none."""
        ...


class FakeNumberLookup:
    """FAKE operator lookup for development and demos: derives one number from the ID number's hash."""

    def lookup(self, *, id_number: str, name: str) -> list[LookupResult]:
        if not id_number:
            return []
        digits = str(int(hashlib.sha256(id_number.encode()).hexdigest(), 16))[:8]
        return [LookupResult(phone=f"139{digits}", operator="演示运营商（模拟）", fake=True)]


def number_lookup() -> NumberLookup:
    path = getattr(settings, "YUNTING_NUMBER_LOOKUP", "") or "yunting.core.service.adapters.FakeNumberLookup"
    return import_string(path)()


@dataclass(frozen=True)
class PostalEvent:
    at: datetime
    status: str  # "signed" | "returned" | "in_transit"
    note: str = ""


@runtime_checkable
class PostalTracker(Protocol):
    def track(self, tracking_number: str) -> list[PostalEvent]:
        ...


class OutboxPostalTracker:
    """Default postal tracker: no outside connection; events come from the officer (signed / returned)."""

    def track(self, tracking_number: str) -> list[PostalEvent]:
        return []


def postal_tracker() -> PostalTracker:
    path = getattr(settings, "YUNTING_POSTAL_TRACKER", "") or "yunting.core.service.adapters.OutboxPostalTracker"
    return import_string(path)()
