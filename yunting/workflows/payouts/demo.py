"""Demo: one payout in progress on a case the demo judge hears — the demo plaintiff has confirmed the amount and
an ICBC card (masked everywhere), the signature is still to come. Reuses an existing case; idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from yunting.core.cases.access import access_case_for
from yunting.core.cases.models import Case, Party
from yunting.kernel.common.errors import ApplicationError

from . import banks, services
from .models import Payout

NOTE = "执行款已到账，请确认金额和收款账户后签名（演示）"
DEMO_CARD = banks.with_check_digit("622202410012345678")


def _case(orgs, users) -> Case | None:
    return (Case.objects.filter(court=orgs["court"], closed_at__isnull=True)
            .filter(participations__user=users["judge"], participations__role__in=("judge", "presiding_judge"))
            .filter(parties__user=users["plaintiff"]).exclude(security_level="secret")
            .exclude(status__in=("closed", "archived")).order_by("-id").first())


def payouts_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    if Payout.objects.filter(note=NOTE).exists():
        return {"payouts": 0}
    case = _case(orgs, users)
    if case is None:
        progress("payouts: no case of the demo judge with the demo plaintiff; skipped")
        return {"payouts": 0}
    party = Party.objects.filter(case=case, user=users["plaintiff"]).first()
    try:
        with transaction.atomic():
            access = access_case_for(users["judge"], case.pk)
            payout = services.payout_open(access=access, actor=users["judge"], received_total="12000.00",
                                          shares=[{"party_id": party.pk, "amount": "12000.00"}], note=NOTE)
            share = payout.shares.get()
            services.share_confirm(payout=payout, user=users["plaintiff"], share_id=share.pk, amount_confirmed=True,
                                   account_number=DEMO_CARD, bank_code="ICBC", account_name=party.name)
    except ApplicationError as exc:
        progress(f"payouts: demo payout not opened: {exc.message}")
        return {"payouts": 0}
    progress(f"payouts: payout in progress on {case.number} (the plaintiff has confirmed, not yet signed)")
    return {"payouts": 1}
