"""How money reaches the court: adapters at the edge of the world.

- bank_csv: the real default path — the court's bank statement (CSV: reference, amount, date) reconciled
  against open fee notices;
- base.OnlineGateway: the interface an online-payment provider implements; fake.FakeOnlineGateway is a named
  fake for development and tests that approves every charge at once and keeps what it collected.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import GatewayResult, OnlineGateway


def online_gateway() -> OnlineGateway | None:
    """The configured online-payment gateway (YUNTING_FEE_GATEWAY), or None when online payment is off."""
    path = getattr(settings, "FEE_ONLINE_GATEWAY", "")
    return import_string(path)() if path else None


__all__ = ["GatewayResult", "OnlineGateway", "online_gateway"]
