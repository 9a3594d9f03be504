"""Period arithmetic against DOMAIN.md's worked examples (2026 calendar) and its counting rules."""

from datetime import date

import pytest

from yunting.kernel.calendar import PERIODS, Interval, PeriodError, compute
from yunting.kernel.calendar.periods import (
    add_months,
    nth_working_day_after,
    parse_interval,
    working_days_until,
)

D = date.fromisoformat


@pytest.mark.parametrize(("kind", "start", "due"), [
    ("appeal-judgment", "2026-09-22", "2026-10-08"),  # last day 10-07 is in the National Day holiday
    ("fee-payment", "2026-02-05", "2026-02-12"),      # a Thursday, a working day
    ("trial-simple", "2026-02-14", "2026-05-14"),     # 3 months, same day number
    ("answer", "2026-03-02", "2026-03-17"),
    ("answer-foreign", "2026-03-02", "2026-04-01"),
    ("appeal-ruling", "2026-03-02", "2026-03-12"),
    ("appeal-foreign", "2026-03-02", "2026-04-01"),
    ("public-notice", "2026-03-02", "2026-04-01"),
    ("public-notice-foreign", "2026-03-02", "2026-05-06"),  # 05-01 is 劳动节 (to 05-05) → 05-06
    ("trial-ordinary", "2026-03-10", "2026-09-10"),
    ("trial-small-claims", "2026-03-10", "2026-05-11"),     # 05-10 is a Sunday → Monday
    ("trial-appeal-judgment", "2026-03-10", "2026-06-10"),
    ("trial-appeal-ruling", "2026-03-10", "2026-04-09"),
    ("trial-special", "2026-03-10", "2026-04-09"),
    ("confirmation-decide", "2026-03-10", "2026-03-25"),
    ("commutation-decide", "2026-01-31", "2026-02-28"),     # month end, a Saturday but 调休上班: stays
    ("procuratorate-objection", "2026-03-10", "2026-03-30"),
    ("transcript-read", "2026-03-10", "2026-03-16"),        # 03-15 is a Sunday
    ("filing-review", "2026-09-24", "2026-10-08"),
    ("mediation-assign", "2026-09-29", "2026-10-09"),       # 3 working days: 09-30, (holiday), 10-09 … see below
])
def test_worked_examples(kind, start, due):
    assert compute(kind, D(start)).due == D(due)


def test_every_kind_of_the_contract_is_known():
    for kind in ("filing-review", "fee-payment", "answer", "answer-foreign", "appeal-judgment", "appeal-ruling",
                 "appeal-foreign", "public-notice", "public-notice-foreign", "trial-ordinary", "trial-simple",
                 "trial-small-claims", "trial-appeal-judgment", "trial-appeal-ruling", "trial-special",
                 "confirmation-decide", "commutation-decide", "procuratorate-objection", "transcript-read",
                 "mediation-assign"):
        assert kind in PERIODS and PERIODS[kind].basis


@pytest.mark.parametrize(("start", "months", "end"), [
    ("2026-01-31", 1, "2026-02-28"),   # no 31 February: the month's last day (Civil Code art 202)
    ("2026-03-10", 3, "2026-06-10"),
    ("2026-08-31", 6, "2027-02-28"),
    ("2027-11-30", 3, "2028-02-29"),   # leap year
    ("2026-12-15", 1, "2027-01-15"),
])
def test_month_ends(start, months, end):
    assert add_months(D(start), months) == D(end)


def test_month_period_ending_on_a_month_end_then_moves_off_a_rest_day():
    r = compute("commutation-decide", D("2026-04-30"))  # no 31 May problem: 05-30 is a Saturday
    assert [s["op"] for s in r.steps] == ["start", "add", "rest_day"] and r.due == D("2026-06-01")
    r = compute("commutation-decide", D("2026-03-31"))  # 04-31 does not exist → 04-30 (Thursday)
    assert "取月末" in r.steps[1]["text"] and r.due == D("2026-04-30")


def test_make_up_workday_is_a_working_day():
    assert compute("fee-payment", D("2026-10-03")).due == D("2026-10-10")  # Saturday 10-10 is 调休上班
    assert compute("fee-payment", D("2026-02-07")).due == D("2026-02-14")  # Saturday before 春节, 调休上班


def test_holiday_step_names_the_holiday():
    r = compute("appeal-judgment", D("2026-09-22"))
    assert "国庆节" in r.steps[-1]["text"] and r.steps[-1]["op"] == "rest_day"
    assert r.basis == "《中华人民共和国民事诉讼法》第一百七十一条"


def test_excluded_intervals_move_the_end_by_their_days_inside_the_period():
    # 3 months from 02-14 → 05-14; 10 days excluded (03-01..03-10) → 05-24 (Sunday) → 05-25
    r = compute("trial-simple", D("2026-02-14"), excluded=[Interval(D("2026-03-01"), D("2026-03-10"))])
    assert (r.due, r.excluded_days) == (D("2026-05-25"), 10)


def test_an_interval_the_moved_end_reaches_counts_and_overlaps_count_once():
    ivs = [Interval(D("2026-03-01"), D("2026-03-10")), Interval(D("2026-03-05"), D("2026-03-12")),
           Interval(D("2026-05-20"), D("2026-05-22"))]
    r = compute("trial-simple", D("2026-02-14"), excluded=ivs)
    # 12 days (03-01..03-12) → 05-26, which reaches 05-20..22 (3 more) → 05-29 (Friday)
    assert (r.due, r.excluded_days) == (D("2026-05-29"), 15)


def test_interval_partly_outside_counts_only_its_days_inside():
    r = compute("fee-payment", D("2026-03-02"), excluded=[Interval(D("2026-02-25"), D("2026-03-04"))])
    assert r.excluded_days == 2 and r.due == D("2026-03-11")  # 03-03, 03-04 inside


def test_simple_to_ordinary_counts_from_registration():
    """简易→普通 (CPLI 258): the ordinary period runs from the day of registration, not from the switch."""
    assert compute("trial-ordinary", D("2026-02-14")).due == D("2026-08-14")


def test_extension_months_from_the_start():
    r = compute("trial-ordinary", D("2026-01-31"), extension_months=6)
    assert r.due == D("2027-02-01") and r.provisional  # 2027-01-31 is a Sunday; 2027 is not yet published
    r = compute("trial-simple", D("2026-02-14"), extension_months=1)
    assert r.due == D("2026-06-15")  # 06-14 is a Sunday


def test_provisional_when_the_period_reaches_an_unpublished_year():
    r = compute("trial-ordinary", D("2026-12-20"))
    assert r.provisional and r.due == D("2027-06-21")  # 06-20 is a Sunday: weekends only are known
    assert r.steps[-1]["op"] == "provisional"
    assert not compute("fee-payment", D("2026-12-20")).provisional


def test_court_closures_are_rest_days():
    assert compute("fee-payment", D("2026-03-02"), closures={D("2026-03-09")}).due == D("2026-03-10")
    r = compute("fee-payment", D("2026-03-02"), closures={D("2026-03-09"), D("2026-03-10")})
    assert r.due == D("2026-03-11") and "闭院" in r.steps[-1]["text"]


def test_working_day_helpers():
    assert nth_working_day_after(D("2026-09-29"), 3) == D("2026-10-09")
    assert working_days_until(D("2026-09-29"), D("2026-10-09")) == 3
    assert working_days_until(D("2026-03-02"), D("2026-03-02")) == 0


@pytest.mark.parametrize(("fn", "code"), [
    (lambda: compute("nope", D("2026-03-02")), "unknown_kind"),
    (lambda: parse_interval("2026-03-05"), "bad_interval"),
    (lambda: parse_interval("2026-03-05:2026-03-01"), "bad_interval"),
    (lambda: parse_interval("2026-03-05:2026-3-x"), "bad_date"),
])
def test_bad_input(fn, code):
    with pytest.raises(PeriodError) as exc:
        fn()
    assert exc.value.code == code


def test_the_quick_path_agrees_with_the_explained_one():
    import random

    rng = random.Random(10)
    for _ in range(400):
        kind = rng.choice(list(PERIODS))
        start = date(2026, 1, 1) + __import__("datetime").timedelta(days=rng.randrange(0, 700))
        a = rng.randrange(0, 200)
        ivs = [Interval(start + __import__("datetime").timedelta(days=a),
                        start + __import__("datetime").timedelta(days=a + rng.randrange(0, 20)))] if a % 2 else []
        ext = rng.choice([0, 0, 1, 3])
        slow = compute(kind, start, excluded=ivs, extension_months=ext)
        fast = compute(kind, start, excluded=ivs, extension_months=ext, explain=False)
        assert (fast.due, fast.excluded_days, fast.provisional) == (slow.due, slow.excluded_days, slow.provisional)
