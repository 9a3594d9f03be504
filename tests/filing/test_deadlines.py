"""CPL art 85 on the official 2026 calendar: counted from the next day; an end on a rest day moves on."""

from datetime import date

import pytest

from yunting.kernel.calendar import days_left, is_rest_day, legal_deadline, next_working_day
from yunting.kernel.calendar.deadlines import CalendarUnknown


@pytest.mark.parametrize(("start", "days", "end"), [
    (date(2026, 3, 2), 7, date(2026, 3, 9)),     # Mon → Mon: an ordinary week
    (date(2026, 3, 6), 7, date(2026, 3, 13)),    # Fri → Fri
    (date(2026, 3, 7), 7, date(2026, 3, 16)),    # Sat → Sat 14th is a rest day → Mon 16th
    (date(2026, 9, 24), 7, date(2026, 10, 8)),   # ends 1 Oct (国庆) → first working day after the holiday
    (date(2026, 9, 30), 7, date(2026, 10, 8)),   # ends 7 Oct, last day of 国庆 → Thu 8 Oct
    (date(2026, 10, 3), 7, date(2026, 10, 10)),  # ends Sat 10 Oct, a make-up working day (调休): stays
    (date(2026, 2, 10), 7, date(2026, 2, 24)),   # ends 17 Feb (春节) → Tue 24 Feb
    (date(2026, 2, 7), 7, date(2026, 2, 14)),    # ends Sat 14 Feb, a make-up working day before 春节
    (date(2026, 2, 21), 7, date(2026, 2, 28)),   # ends Sat 28 Feb, a make-up working day after 春节
    (date(2026, 1, 1), 7, date(2026, 1, 8)),     # starts on 元旦: the start day is never counted
    (date(2026, 4, 28), 7, date(2026, 5, 6)),    # ends 5 May (劳动节) → Wed 6 May
    (date(2026, 3, 2), 15, date(2026, 3, 17)),
])
def test_legal_deadline(start, days, end):
    assert legal_deadline(start, days) == end


def test_rest_days_and_make_up_days():
    assert is_rest_day(date(2026, 10, 1))
    assert is_rest_day(date(2026, 3, 7))  # an ordinary Saturday
    assert not is_rest_day(date(2026, 10, 10))  # Saturday, but a make-up working day
    assert next_working_day(date(2026, 2, 15)) == date(2026, 2, 24)
    assert next_working_day(date(2026, 3, 9)) == date(2026, 3, 9)


def test_days_left_and_bad_input():
    assert days_left(date(2026, 3, 2), date(2026, 3, 9)) == 7
    assert days_left(date(2026, 3, 10), date(2026, 3, 9)) == -1
    with pytest.raises(ValueError):
        legal_deadline(date(2026, 3, 2), 0)


def test_unpublished_year_counts_weekends_only_provisionally_and_old_years_are_refused():
    from yunting.kernel.calendar import is_provisional

    assert legal_deadline(date(2099, 3, 2), 7) == date(2099, 3, 9)  # a Monday: weekends only (DOMAIN.md)
    assert legal_deadline(date(2027, 1, 1), 8) == date(2027, 1, 11)  # Saturday 9th → Monday 11th
    assert is_provisional(date(2027, 1, 1)) and not is_provisional(date(2026, 12, 31))
    with pytest.raises(CalendarUnknown):
        legal_deadline(date(1999, 3, 2), 7)


def test_public_surface_is_pinned_and_pure():
    import sys

    from yunting.kernel import calendar

    assert set(calendar.__all__) == {"CalendarUnknown", "days_left", "is_rest_day", "legal_deadline",
                                     "next_working_day", "is_provisional", "official_last_year", "PERIODS",
                                     "Computed", "Interval", "PeriodError", "compute", "parse_date", "parse_interval"}
    for name in calendar.__all__:
        assert name == "PERIODS" or getattr(calendar, name).__module__.startswith("yunting.kernel.calendar.")
    for module in ("deadlines", "periods"):
        source = sys.modules[f"yunting.kernel.calendar.{module}"].__file__
        assert "django" not in open(source, encoding="utf-8").read()
