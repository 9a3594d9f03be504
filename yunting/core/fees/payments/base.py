from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class GatewayResult:
    approved: bool
    transaction: str  # the provider's id for the charge: a payment is recorded once per id
    amount: Decimal
    paid_on: date
    message: str = ""


class OnlineGateway(Protocol):
    """An online-payment provider (UnionPay, a bank's e-payment). `charge` asks the provider to take `amount`
    for the notice's reference and answers once it knows; a real one redirects the payer and confirms by
    callback — the callback then calls the same service as the fake's immediate answer."""

    name: str
    label: str

    def charge(self, *, reference: str, amount: Decimal, payer: str) -> GatewayResult: ...
