"""FakeOnlineGateway: a stand-in for an online-payment provider, for development and tests only.

It approves every charge at once (no money moves) and keeps the charges in `FakeOnlineGateway.collected` so a
test can see what was asked. The page names it as a simulation.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import ClassVar

from yunting.kernel.common.timeutil import shanghai_today

from .base import GatewayResult


class FakeOnlineGateway:
    name = "fake"
    label = "模拟在线支付（开发环境，不产生真实扣款）"
    collected: ClassVar[list[dict]] = []

    def charge(self, *, reference: str, amount: Decimal, payer: str) -> GatewayResult:
        transaction = f"FAKE-{secrets.token_hex(8).upper()}"
        FakeOnlineGateway.collected.append({"reference": reference, "amount": amount, "payer": payer,
                                            "transaction": transaction})
        return GatewayResult(approved=True, transaction=transaction, amount=amount, paid_on=shanghai_today())
