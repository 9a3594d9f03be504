"""Table tests of the fee rules (《诉讼费用交纳办法》 arts 13–18), including every worked example of
DOMAIN-SOURCES 3.5, the bracket boundaries, halving, caps, rounding and bad input."""

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest

from yunting.workflows.filing.errors import FeeConfigurationError, FeeErrorCode, FeeInputError
from yunting.workflows.filing.fees import (
    FEE_KINDS,
    HALVABLE_KINDS,
    KINDS,
    PRESERVATION,
    PROPERTY,
    RANGE_KINDS,
    apply_schedule,
    fee_estimate,
)

STEP_KEYS = {"op", "text", "from", "to", "base", "rate", "amount"}


def fee(kind, amount=None, half=False, **kw) -> str:
    return fee_estimate(kind, amount, half, **kw)["fee"]


# --- DOMAIN-SOURCES 3.5, every row -------------------------------------------------------------------------------

PROPERTY_EXAMPLES = [
    (5_000, "50.00"), (10_000, "50.00"), (50_000, "1050.00"), (100_000, "2300.00"), (150_000, "3300.00"),
    (200_000, "4300.00"), (300_000, "5800.00"), (500_000, "8800.00"), (800_000, "11800.00"),
    (1_000_000, "13800.00"), (1_500_000, "18300.00"), (2_000_000, "22800.00"), (5_000_000, "46800.00"),
    (10_000_000, "81800.00"), (20_000_000, "141800.00"), (30_000_000, "191800.00"), (100_000_000, "541800.00"),
]


@pytest.mark.parametrize(("amount", "expected"), PROPERTY_EXAMPLES)
def test_property_worked_examples(amount, expected):
    assert fee("property", str(amount)) == expected


@pytest.mark.parametrize(("amount", "expected"), [(100_000, "1150.00"), (1_000_000, "6900.00")])
def test_property_worked_examples_halved(amount, expected):
    assert fee("property", str(amount), half=True) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    (100_000, "1400.00"), (500_000, "7400.00"), (1_000_000, "12400.00"), (5_000_000, "52400.00"),
    (10_000_000, "77400.00"), (20_000_000, "87400.00"),
])
def test_enforcement_worked_examples(amount, expected):
    assert fee("enforcement", str(amount)) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    (500, "30.00"), (50_000, "520.00"), (100_000, "1020.00"), (500_000, "3020.00"), (896_000, "5000.00"),
    (900_000, "5000.00"), (10_000_000, "5000.00"),
])
def test_preservation_worked_examples(amount, expected):
    assert fee("preservation", str(amount)) == expected


def test_payment_order_is_one_third_of_the_property_fee():
    result = fee_estimate("payment-order", "100000", False)
    assert result["fee"] == "766.67"  # 2,300 / 3
    assert [s["op"] for s in result["steps"]][-2:] == ["third", "round"]


def test_bankruptcy_is_half_the_property_fee_under_the_cap():
    result = fee_estimate("bankruptcy", "100000000", False)
    assert result["fee"] == "270900.00"  # 541,800 / 2
    assert "cap" not in [s["op"] for s in result["steps"]]


def test_divorce_with_property_is_the_band_plus_half_a_percent_above_200k():
    result = fee_estimate("divorce", "500000", False)
    assert (result["fee"], result["fee_min"], result["fee_max"]) == ("1550.00", "1550.00", "1800.00")
    assert fee("divorce", "500000", range_amounts={"divorce": "300"}) == "1800.00"


def test_personality_damages_add_one_percent_then_half_a_percent():
    result = fee_estimate("personality", "200000", False)
    assert (result["fee"], result["fee_min"], result["fee_max"]) == ("1100.00", "1100.00", "1500.00")
    assert [s["amount"] for s in result["steps"] if s["op"] == "tier"] == ["500.00", "500.00"]


def test_labor_dispute_is_ten_and_halves_to_five():
    assert fee("labor") == "10.00"
    assert fee("labor", half=True) == "5.00"


# --- quick formulas of DOMAIN-SOURCES 3.1 / 3.3 across every bracket, at and around each boundary ---------------

PROPERTY_FORMULAS = [  # (upper bound of the bracket, rate, constant)
    (D(100_000), D("0.025"), D(-200)), (D(200_000), D("0.02"), D(300)), (D(500_000), D("0.015"), D(1300)),
    (D(1_000_000), D("0.01"), D(3800)), (D(2_000_000), D("0.009"), D(4800)), (D(5_000_000), D("0.008"), D(6800)),
    (D(10_000_000), D("0.007"), D(11800)), (D(20_000_000), D("0.006"), D(21800)), (None, D("0.005"), D(41800)),
]
ENFORCEMENT_FORMULAS = [
    (D(500_000), D("0.015"), D(-100)), (D(5_000_000), D("0.01"), D(2400)), (D(10_000_000), D("0.005"), D(27400)),
    (None, D("0.001"), D(67400)),
]


def _quick(x: D, floor: D, flat: D, formulas) -> D:
    if x <= floor:
        return flat
    for upper, rate, const in formulas:
        if upper is None or x <= upper:
            return rate * x + const
    raise AssertionError


def _around(bounds):
    for b in bounds:
        yield from (b - D("0.01"), b, b + D("0.01"), b + 1, b + 137)


PROPERTY_BOUNDS = [D(10_000)] + [u for u, _, _ in PROPERTY_FORMULAS if u]
ENFORCEMENT_BOUNDS = [D(10_000)] + [u for u, _, _ in ENFORCEMENT_FORMULAS if u]


@pytest.mark.parametrize("x", list(_around(PROPERTY_BOUNDS)))
def test_property_matches_the_quick_formula_at_each_boundary(x):
    exact, _ = apply_schedule(x, PROPERTY)
    assert exact == _quick(x, D(10_000), D(50), PROPERTY_FORMULAS)


@pytest.mark.parametrize("x", list(_around(ENFORCEMENT_BOUNDS)))
def test_enforcement_matches_the_quick_formula_at_each_boundary(x):
    expected = _quick(x, D(10_000), D(50), ENFORCEMENT_FORMULAS).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert D(fee("enforcement", str(x))) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    ("0", "50.00"), ("10000", "50.00"), ("10000.01", "50.00"), ("10001", "50.03"),  # 50.025: half-up, not even
    ("10020", "50.50"), ("100000", "2300.00"), ("100001", "2300.02"), ("200000", "4300.00"),
    ("200001", "4300.02"),  # 4,300.015 → half-up
    ("500000", "8800.00"), ("1000000", "13800.00"), ("2000000", "22800.00"), ("20000000", "141800.00"),
    ("20000001", "141800.01"),  # 141,800.005 → half-up
])
def test_property_boundaries_and_half_up_rounding(amount, expected):
    assert fee("property", amount) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    ("0", "30.00"), ("1000", "30.00"), ("1001", "30.01"), ("100000", "1020.00"), ("100001", "1020.01"),
    ("895990", "4999.95"), ("895999", "5000.00"), ("896000", "5000.00"), ("896001", "5000.00"),
])
def test_preservation_boundaries_and_cap(amount, expected):
    assert fee("preservation", amount) == expected


def test_preservation_cap_is_a_step():
    steps = fee_estimate("preservation", "1000000", False)["steps"]
    assert steps[-1]["op"] == "cap" and steps[-1]["base"] == "5520.00" and steps[-1]["amount"] == "5000.00"
    assert apply_schedule(D(896_000), PRESERVATION)[0] == D(5000)


@pytest.mark.parametrize(("amount", "expected"), [("0", "50.00"), ("10000", "50.00"), ("10001", "50.02")])
def test_enforcement_low_end(amount, expected):
    assert fee("enforcement", amount) == expected  # 10,001: 50.015 → 50.02


def test_bankruptcy_cap_at_300k():
    assert fee("bankruptcy", "111640000") == "300000.00"  # property fee 600,000 exactly: halved, no cap needed
    result = fee_estimate("bankruptcy", "200000000", False)
    assert result["fee"] == "300000.00"
    cap = [s for s in result["steps"] if s["op"] == "cap"]
    assert cap and cap[0]["base"] == "520900.00"  # 1,041,800 / 2
    assert fee("bankruptcy", "10000") == "25.00"


def test_divorce_and_personality_thresholds():
    assert fee("divorce", "200000") == "50.00"
    assert fee("divorce", "200001") == "50.01"  # 50 + 1 × 0.5% = 50.005 → half-up
    assert fee("personality", "50000") == "100.00"
    assert fee("personality", "100000") == "600.00"
    assert fee("personality", "100001") == "600.01"  # 600.005 → half-up


# --- every kind ---------------------------------------------------------------------------------------------------

KIND_TABLE = [  # kind, amount, fee, fee_min, fee_max, basis contains
    ("property", "100000", "2300.00", None, None, "第十三条第（一）项"),
    ("divorce", None, "50.00", "50.00", "300.00", "第十三条第（二）项第1目"),
    ("personality", None, "100.00", "100.00", "500.00", "第十三条第（二）项第2目"),
    ("other-nonproperty", None, "50.00", "50.00", "100.00", "第十三条第（二）项第3目"),
    ("ip", None, "500.00", "500.00", "1000.00", "第十三条第（三）项"),
    ("ip", "1000000", "13800.00", None, None, "第十三条第（三）项、第（一）项"),
    ("labor", None, "10.00", None, None, "第十三条第（四）项"),
    ("admin-special", None, "100.00", None, None, "第十三条第（五）项第1目"),
    ("admin", None, "50.00", None, None, "第十三条第（五）项第2目"),
    ("jurisdiction-objection", None, "50.00", "50.00", "100.00", "第十三条第（六）项"),
    ("enforcement", None, "50.00", "50.00", "500.00", "第十四条第（一）项"),
    ("enforcement", "100000", "1400.00", None, None, "第十四条第（一）项"),
    ("preservation", None, "30.00", None, None, "第十四条第（二）项"),
    ("payment-order", "100000", "766.67", None, None, "第十四条第（三）项"),
    ("public-summons", None, "100.00", None, None, "第十四条第（四）项"),
    ("bankruptcy", "100000000", "270900.00", None, None, "第十四条第（六）项"),
]


def test_the_table_covers_every_kind():
    assert {row[0] for row in KIND_TABLE} == set(FEE_KINDS) == set(KINDS)


@pytest.mark.parametrize(("kind", "amount", "expected", "fee_min", "fee_max", "basis"), KIND_TABLE)
def test_every_kind(kind, amount, expected, fee_min, fee_max, basis):
    result = fee_estimate(kind, amount, False)
    assert result["kind"] == kind and result["currency"] == "CNY" and result["half"] is False
    assert (result["fee"], result["fee_min"], result["fee_max"]) == (expected, fee_min, fee_max)
    assert result["basis"].startswith("《诉讼费用交纳办法》") and basis in result["basis"]
    assert result["amount"] == (None if amount is None else f"{D(amount):.2f}")
    assert result["steps"] and all(set(s) == STEP_KEYS and s["text"] for s in result["steps"])


def test_the_shape_is_exactly_this():
    result = fee_estimate("property", "100000", False)
    assert list(result) == ["kind", "kind_label", "amount", "half", "currency", "fee", "fee_min", "fee_max",
                            "rounding", "basis", "steps"]
    assert result["steps"] == [
        {"op": "flat", "text": "不超过 10,000 元部分 10,000.00，每件交纳 50.00", "from": "0.00", "to": "10000.00",
         "base": "10000.00", "rate": None, "amount": "50.00"},
        {"op": "tier", "text": "10,000 至 100,000 元部分 90,000.00 × 2.5% = 2,250.00", "from": "10000.00",
         "to": "100000.00", "base": "90000.00", "rate": "0.025", "amount": "2250.00"},
        {"op": "sum", "text": "分段累计：50.00 + 2,250.00 = 2,300.00", "from": None, "to": None, "base": None,
         "rate": None, "amount": "2300.00"},
    ]


def test_top_bracket_has_no_upper_bound_and_the_slices_add_up():
    result = fee_estimate("property", "30000000", False)
    tiers = [s for s in result["steps"] if s["op"] in ("flat", "tier")]
    assert len(tiers) == 10
    assert tiers[-1]["from"] == "20000000.00" and tiers[-1]["to"] is None and tiers[-1]["rate"] == "0.005"
    assert tiers[-1]["text"] == "超过 20,000,000 元部分 10,000,000.00 × 0.5% = 50,000.00"
    assert sum(D(s["amount"]) for s in tiers) == D(result["fee"])


def test_an_amount_is_noted_but_ignored_for_per_case_kinds():
    result = fee_estimate("labor", "50000", False)
    assert result["fee"] == "10.00" and result["amount"] == "50000.00"
    assert result["steps"][0]["op"] == "note" and "不影响费用" in result["steps"][0]["text"]


def test_enforcement_and_bankruptcy_say_when_they_are_paid():
    assert "执行后交纳" in fee_estimate("enforcement", "100000", False)["steps"][-1]["text"]
    assert "清算后交纳" in fee_estimate("bankruptcy", "100000", False)["steps"][-1]["text"]


# --- halving -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", HALVABLE_KINDS)
def test_every_acceptance_fee_halves_exactly_once(kind):
    amount = "300000" if KINDS[kind].amount != "unused" else None
    whole, halved = fee_estimate(kind, amount, False), fee_estimate(kind, amount, True)
    assert D(halved["fee"]) == (D(whole["fee"]) / 2).quantize(D("0.01"))
    assert [s["op"] for s in halved["steps"]].count("half") == 1
    assert halved["half"] is True and "第二百零六条" in halved["basis"] and "第十六条" in halved["basis"]
    half_step = next(s for s in halved["steps"] if s["op"] == "half")
    assert half_step["rate"] == "0.5" and "减半" in half_step["text"] and "只减半一次" in half_step["text"]
    if whole["fee_min"] is not None:
        assert D(halved["fee_min"]) == (D(whole["fee_min"]) / 2).quantize(D("0.01"))
        assert D(halved["fee_max"]) == (D(whole["fee_max"]) / 2).quantize(D("0.01"))


def test_halving_rounds_once_at_the_end():
    # 10,001 → 50.025; halved 25.0125 → 25.01. Rounding first (50.03 / 2 = 25.015 → 25.02) would be wrong.
    result = fee_estimate("property", "10001", True)
    assert result["fee"] == "25.01"
    assert [s["op"] for s in result["steps"]][-2:] == ["half", "round"]


@pytest.mark.parametrize("kind", ["enforcement", "preservation", "payment-order", "public-summons", "bankruptcy"])
def test_application_fees_refuse_half(kind):
    amount = None if kind == "public-summons" else "100000"
    with pytest.raises(FeeInputError) as exc:
        fee_estimate(kind, amount, True)
    assert exc.value.code == FeeErrorCode.HALF_NOT_ALLOWED and exc.value.http_status == 400
    assert "申请费" in str(exc.value.message) and "不适用减半" in str(exc.value.message)


def test_halvable_kinds_are_exactly_the_article_13_kinds():
    assert set(HALVABLE_KINDS) == {"property", "divorce", "personality", "other-nonproperty", "ip", "labor",
                                   "admin-special", "admin", "jurisdiction-objection"}


# --- settings: range amounts and rounding -----------------------------------------------------------------------

def test_configured_range_amounts():
    amounts = {"divorce": "200", "personality": 300, "other-nonproperty": "80", "ip": "800",
               "jurisdiction-objection": "100", "enforcement": "250"}
    for kind, value in amounts.items():
        result = fee_estimate(kind, None, False, range_amounts=amounts)
        assert result["fee"] == f"{D(value):.2f}"
        assert (result["fee_min"], result["fee_max"]) == tuple(f"{b:.2f}" for b in KINDS[kind].band)
    assert set(RANGE_KINDS) == set(amounts)
    assert fee("divorce", None, True, range_amounts={"divorce": "201"}) == "100.50"


@pytest.mark.parametrize("bad", [{"divorce": "301"}, {"divorce": "49.99"}, {"divorce": "abc"}, {"labor": "10"},
                                 {"divorse": "100"}])
def test_bad_range_amounts_are_a_configuration_error(bad):
    with pytest.raises(FeeConfigurationError):
        fee_estimate("divorce", None, False, range_amounts=bad)


@pytest.mark.parametrize(("rounding", "amount", "expected"), [
    ("0.01", "100000", "766.67"), ("0.1", "100000", "766.70"), ("1", "100000", "767.00"),
    ("1", "10000", "17.00"),  # 16.666… → 17
    ("0.05", "100000", "766.65"),
])
def test_rounding_step(rounding, amount, expected):
    result = fee_estimate("payment-order", amount, False, rounding=rounding)
    assert result["fee"] == expected and result["rounding"] == rounding


@pytest.mark.parametrize("bad", ["0.001", "0", "-1", "abc", "NaN"])
def test_bad_rounding_is_a_configuration_error(bad):
    with pytest.raises(FeeConfigurationError):
        fee_estimate("property", "1", False, rounding=bad)


# --- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "amount", "code", "words"), [
    ("nonsense", "1", FeeErrorCode.UNKNOWN_KIND, "未知的费用种类"),
    ("", "1", FeeErrorCode.UNKNOWN_KIND, "未知的费用种类"),
    ("Property", "1", FeeErrorCode.UNKNOWN_KIND, "未知的费用种类"),
    ("property", "-1", FeeErrorCode.AMOUNT_NEGATIVE, "不能为负数"),
    ("property", "-0.01", FeeErrorCode.AMOUNT_NEGATIVE, "不能为负数"),
    ("property", D("-5"), FeeErrorCode.AMOUNT_NEGATIVE, "不能为负数"),
    ("property", -5, FeeErrorCode.AMOUNT_NEGATIVE, "不能为负数"),
    ("property", "abc", FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", "1e5", FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", "NaN", FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", "Infinity", FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", D("NaN"), FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", "1,00", FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", "١٠٠", FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", True, FeeErrorCode.AMOUNT_INVALID, "不是有效的数字"),
    ("property", "100.001", FeeErrorCode.AMOUNT_TOO_PRECISE, "精确到分"),
    ("property", "10000000000000000", FeeErrorCode.AMOUNT_TOO_LARGE, "金额过大"),
    ("property", None, FeeErrorCode.AMOUNT_REQUIRED, "请填写诉讼请求金额"),
    ("property", "  ", FeeErrorCode.AMOUNT_REQUIRED, "请填写"),
    ("payment-order", None, FeeErrorCode.AMOUNT_REQUIRED, "请填写"),
    ("bankruptcy", "", FeeErrorCode.AMOUNT_REQUIRED, "请填写破产财产总额"),
])
def test_bad_input_is_refused_in_chinese(kind, amount, code, words):
    with pytest.raises(FeeInputError) as exc:
        fee_estimate(kind, amount, False)
    assert exc.value.code == code and words in str(exc.value.message)
    body = exc.value.as_dict()
    assert set(body) == {"code", "message", "data"} and body["code"] == str(code)


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(FeeInputError) as exc:
        fee_estimate("nope", None, False)
    assert exc.value.data["kinds"] == list(FEE_KINDS)
    assert all(k in str(exc.value.message) for k in FEE_KINDS)


@pytest.mark.parametrize(("amount", "normal"), [
    ("100,000.50", "100000.50"), (" 100000 ", "100000.00"), ("+5", "5.00"), (100000, "100000.00"),
    (D("100000.5"), "100000.50"), (2.5, "2.50"), ("0", "0.00"), ("１００，０００．５", "100000.50"), ("1000000000000000", "1000000000000000.00"),
])
def test_accepted_amount_forms(amount, normal):
    assert fee_estimate("property", amount, False)["amount"] == normal


def test_largest_amount_is_still_exact():
    # 0.5% × (10^15 − 2×10^7) + 141,800, no digit lost
    assert fee("property", "1000000000000000") == f"{D('0.005') * (D(10) ** 15 - 20_000_000) + 141_800:.2f}"
