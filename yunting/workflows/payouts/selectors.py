"""Reads of payouts: what a page or the API may show (masked accounts only)."""

from __future__ import annotations

from .models import Payout


def payouts_for_case(case) -> list[Payout]:
    return list(Payout.objects.filter(case=case).prefetch_related("shares__party"))


def share_json(share, *, mine: bool) -> dict:
    """One share as pages and the API show it: the account masked for everyone, its owner included."""
    return {"id": share.pk, "party_id": share.party_id, "name": share.party.name, "amount": f"{share.amount:.2f}",
            "status": share.status, "status_label": share.get_status_display(), "bank_code": share.bank_code,
            "bank_name": share.bank_name, "account_masked": share.account_masked, "mine": mine,
            "signed_at": share.signed_at.isoformat() if share.signed_at else None}


def payout_json(payout, *, user, court: bool) -> dict:
    from .services import recipient_users

    shares = []
    for s in payout.shares.select_related("party"):
        mine = user.pk in recipient_users(payout.case_id, s.party)
        if court or mine:
            shares.append(share_json(s, mine=mine))
    return {"id": payout.pk, "case_id": payout.case_id, "status": payout.status,
            "status_label": payout.get_status_display(), "received_total": f"{payout.received_total:.2f}",
            "note": payout.note, "shares": shares,
            "approved_at": payout.approved_at.isoformat() if payout.approved_at else None}
