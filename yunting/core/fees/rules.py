"""Pure fee rules: payment deadline, refunds on closure, relief limits. No ORM — table-tested.

诉讼费用交纳办法 (FEE): art 22 (pay within 7 days of the notice), art 15 (mediation or withdrawal: half), art 8
(no acceptance fee when the complaint is dismissed or not accepted), CPLI art 206 (halved once only), arts 44–46
(waiver for natural persons only; a reduction of at least 30%)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from yunting.kernel.calendar import is_provisional, legal_deadline

PAYMENT_DAYS = 7
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MIN_REDUCTION = Decimal("0.30")  # FEE art 46: a reduction is at least 30% of the fee

HALF_OUTCOMES = {"mediation", "withdrawal", "deemed_withdrawal"}
FREE_OUTCOMES = {"dismissal", "rejection"}


def payment_due(start: date, days: int = PAYMENT_DAYS) -> tuple[date, bool]:
    """(last day to pay, provisional) for a notice served or issued on `start`: the period starts the next day
    and a last day on a rest day moves to the next working day. A year with no published official calendar
    counts only weekends as rest days and says so (provisional)."""
    due = legal_deadline(start, days)
    return due, is_provisional(due)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def half(amount: Decimal) -> Decimal:
    return (Decimal(amount) / 2).quantize(CENT, rounding=ROUND_HALF_UP)


def fee_owed_after(outcome: str, *, amount_due: Decimal, halved: bool, half_fee: Decimal | None = None,
                   top_up: bool = False) -> Decimal:
    """What the fee finally is once the case closed with `outcome`.

    `half_fee` is the calculator's exact halved fee (rounded once), when known; else `amount_due` halved. A top-up
    (the half paid when simple procedure became ordinary, CPLI art 199) is owed only if the fee stays whole."""
    if outcome in FREE_OUTCOMES or (top_up and outcome in HALF_OUTCOMES):
        return ZERO
    if outcome in HALF_OUTCOMES and not halved:
        return half_fee if half_fee is not None and half_fee <= amount_due else half(amount_due)
    return amount_due


def refund_on_closure(outcome: str, *, paid: Decimal, amount_due: Decimal, halved: bool,
                      half_fee: Decimal | None = None, top_up: bool = False) -> Decimal:
    """What to pay back: everything paid beyond the final fee (never negative)."""
    owed = fee_owed_after(outcome, amount_due=amount_due, halved=halved, half_fee=half_fee, top_up=top_up)
    return max(money(paid) - owed, ZERO)


REFUND_BASIS = {
    "mediation": "调解结案，案件受理费减半交纳（《诉讼费用交纳办法》第十五条）",
    "withdrawal": "撤诉结案，案件受理费减半交纳（《诉讼费用交纳办法》第十五条）",
    "deemed_withdrawal": "按撤诉处理，案件受理费减半交纳（《诉讼费用交纳办法》第十五条）",
    "dismissal": "裁定驳回起诉，不交纳案件受理费（《诉讼费用交纳办法》第八条）",
    "rejection": "裁定不予受理，不交纳案件受理费（《诉讼费用交纳办法》第八条）",
}


def refund_reason(outcome: str, *, halved: bool, top_up: bool = False) -> str:
    if top_up and outcome in HALF_OUTCOMES:
        return "转普通程序补交的受理费，因调解或撤诉结案减半交纳而退还（《诉讼费用交纳办法》第十五条）"
    if outcome in HALF_OUTCOMES and halved:
        return "多交部分退还（简易程序已减半交纳，不再减半，最高法《民诉法解释》第二百零六条）"
    return REFUND_BASIS.get(outcome, "多交部分退还")


def reduction_allowed(amount: Decimal, new_amount: Decimal) -> bool:
    """A reduction leaves at most 70% of the fee to pay, and something to pay (else it is a waiver)."""
    return ZERO < new_amount <= money(amount * (1 - MIN_REDUCTION))
