"""Pure fee rules against worked examples (DOMAIN.md; 诉讼费用交纳办法)."""

from datetime import date
from decimal import Decimal

import pytest

from yunting.core.fees import rules
from yunting.core.fees.payments.bank_csv import BadLine, StatementLine, parse_statement


@pytest.mark.parametrize(("start", "due", "provisional"), [
    (date(2026, 2, 5), date(2026, 2, 12), False),  # DOMAIN.md worked example: a Thursday, a working day
    (date(2026, 9, 24), date(2026, 10, 8), False),  # 10-01 falls in the National Day holiday → next working day
    (date(2026, 11, 20), date(2026, 11, 27), False),
    (date(2026, 11, 21), date(2026, 11, 30), False),  # 11-28 is a Saturday → Monday
    (date(2026, 12, 28), date(2027, 1, 4), True),  # 2027 has no official calendar yet: weekends only, provisional
])
def test_payment_due_counts_seven_days_from_the_next_day_on_the_official_calendar(start, due, provisional):
    assert rules.payment_due(start) == (due, provisional)


@pytest.mark.parametrize(("outcome", "paid", "due", "halved", "half_fee", "refund"), [
    ("mediation", "2300.00", "2300.00", False, None, "1150.00"),  # FEE art 15: half
    ("withdrawal", "2300.00", "2300.00", False, None, "1150.00"),
    ("withdrawal", "1150.00", "1150.00", True, None, "0.00"),  # simple procedure already halved: never twice
    ("judgment", "2300.00", "2300.00", False, None, "0.00"),
    ("judgment", "2400.00", "2300.00", False, None, "100.00"),  # overpaid: the excess goes back
    ("dismissal", "2300.00", "2300.00", False, None, "2300.00"),  # FEE art 8: no fee when dismissed
    ("mediation", "50.03", "50.03", False, Decimal("25.01"), "25.02"),  # exact half of 50.025 rounded once
    ("mediation", "50.03", "50.03", False, None, "25.01"),  # no calculator: 50.03 / 2 = 25.015 → 25.02 owed
    ("mediation", "0.00", "2300.00", False, None, "0.00"),
])
def test_refund_on_closure(outcome, paid, due, halved, half_fee, refund):
    got = rules.refund_on_closure(outcome, paid=Decimal(paid), amount_due=Decimal(due), halved=halved,
                                  half_fee=half_fee)
    assert got == Decimal(refund)


@pytest.mark.parametrize(("amount", "new", "ok"), [
    ("1000.00", "700.00", True), ("1000.00", "700.01", False), ("1000.00", "0.00", False), ("1000.00", "1.00", True),
])
def test_a_reduction_is_at_least_thirty_percent(amount, new, ok):
    assert rules.reduction_allowed(Decimal(amount), Decimal(new)) is ok


def test_statement_with_a_chinese_header_in_gbk():
    data = "交易日期,交易金额,付款人名称,附言,交易流水号\n2026/11/21,\"2,300.00\",张伟,YT23456789AB 诉讼费,B001\n".encode("gbk")
    (line,) = parse_statement(data)
    assert line == StatementLine(2, "YT23456789AB 诉讼费", Decimal("2300.00"), date(2026, 11, 21), "B001", "张伟")


def test_statement_without_header_and_bad_lines_reported_alone():
    data = b"YT23456789AB,50,2026-11-21\n,50,2026-11-21\nYT23456789AB,-5,2026-11-21\nYT23456789AB,5.001,20261121\n" \
           b"YT23456789AB,12.50,2026-13-01\n\nX,1,20261122\n"
    out = parse_statement(data)
    assert [type(x).__name__ for x in out] == ["StatementLine", "BadLine", "BadLine", "BadLine", "BadLine",
                                               "StatementLine"]
    assert out[-1].paid_on == date(2026, 11, 22)
    assert all(isinstance(x, BadLine) and x.message for x in out[1:5])
