"""Payouts API (案款发还, issue 20): a case's payouts, one payout, and a recipient's confirmation of the amount and
bank account. Accounts are only ever answered masked (6222 **** **** 1234), to their owner too. A payout the
caller may not see answers 404 like one that does not exist."""

from __future__ import annotations

from ninja import Router, Schema

from yunting.core.cases.access import Capability, access_case_for
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.payouts import selectors, services

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["payouts"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PayoutConfirmIn(Schema):
    amount_confirmed: bool
    account_number: str
    bank_code: str
    account_name: str


@router.get("/cases/{id}/payouts", response={200: dict, **ERRORS}, url_name="case_payouts",
            summary="The case's payouts the caller may see (court staff: all; a recipient: their own share)")
def payouts_list(request, id: int):
    user = caller(request)
    access = access_case_for(user, id, need=Capability.VIEW_CASE)
    court = access.can(Capability.WRITE_JOURNAL)
    read_log(user=user, action="payouts.list", channel="api", case_id=access.case.pk, object_type="payouts",
             ip=client_ip(request))
    return {"items": [selectors.payout_json(p, user=user, court=court)
                      for p in selectors.payouts_for_case(access.case) if court or services.my_shares(p, user)]}


@router.get("/payouts/{id}", response={200: dict, **ERRORS}, url_name="payout",
            summary="One payout: amounts, recipients' states, masked accounts")
def payout_detail(request, id: int):
    user = caller(request)
    payout, access = services.payout_for(user=user, payout_id=id)
    read_log(user=user, action="payout.view", channel="api", case_id=payout.case_id, object_type="payout",
             object_id=payout.pk, ip=client_ip(request))
    return selectors.payout_json(payout, user=user, court=access.can(Capability.WRITE_JOURNAL))


@router.post("/payouts/{id}/shares/{sid}/confirm", response={200: dict, **ERRORS}, url_name="payout_confirm",
             summary="A recipient confirms the amount and a bank account in their own name (Luhn, bank code)")
def payout_confirm(request, id: int, sid: int, body: PayoutConfirmIn):
    user = caller(request)
    payout, _access = services.payout_for(user=user, payout_id=id)
    share = services.share_confirm(payout=payout, user=user, share_id=sid, amount_confirmed=body.amount_confirmed,
                                   account_number=body.account_number, bank_code=body.bank_code,
                                   account_name=body.account_name)
    return selectors.share_json(share, mine=True)
