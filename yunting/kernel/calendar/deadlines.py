"""Periods counted in days under 民事诉讼法 art 85, on the State Council's holiday calendar.

- the day the period starts is not counted: a 7-day period starting on 1 March ends on 8 March;
- if the last day is a public holiday or a weekend rest day (法定休假日), the period ends on the first working
  day after it; a make-up working day (调休上班, e.g. Saturday 10 October 2026) is a working day;
- days inside the period are counted whatever they are (only the end moves).

The official calendar comes from the `chinesecalendar` package, which the State Council's notice updates each
year; a date outside its range raises CalendarUnknown rather than silently guessing.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class CalendarUnknown(ValueError):
    """The official holiday calendar for that year is not known yet (update `chinesecalendar`)."""


def is_rest_day(day: date) -> bool:
    """A public holiday or a weekend rest day that is not a make-up working day."""
    try:
        return chinese_calendar.is_holiday(day)
    except NotImplementedError:
        raise CalendarUnknown(f"{day.year} 年的法定节假日安排未知，请更新 chinesecalendar") from None


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while is_rest_day(day):
        day += timedelta(days=1)
    return day


def legal_deadline(start: date, days: int) -> date:
    """The last day of a `days`-day period that starts on `start` (the day of receipt, not counted)."""
    if days < 1:
        raise ValueError("a period has at least one day")
    return next_working_day(start + timedelta(days=days))


def days_left(today: date, deadline: date) -> int:
    """Calendar days from `today` to `deadline` (negative when overdue): what a review queue shows."""
    return (deadline - today).days
