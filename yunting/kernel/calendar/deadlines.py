"""Periods counted in days under 民事诉讼法 art 85, on the State Council's holiday calendar.

- the day the period starts is not counted: a 7-day period starting on 1 March ends on 8 March;
- if the last day is a public holiday or a weekend rest day (法定休假日), the period ends on the first working
  day after it; a make-up working day (调休上班, e.g. Saturday 10 October 2026) is a working day;
- days inside the period are counted whatever they are (only the end moves).

The official calendar comes from the `chinesecalendar` package, which the State Council's notice updates each
year. A year after the last one it knows is not refused: Saturdays and Sundays count as rest days only and the
answer is *provisional* (DOMAIN.md); `is_provisional` says so, and every open deadline is recomputed when the
package is updated. A date before the package's first year (2004) raises CalendarUnknown.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar


class CalendarUnknown(ValueError):
    """The official holiday calendar for that year is not known (a year before the package's data)."""


@cache
def _known_years() -> tuple[int, int]:
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(days).year, max(days).year


def official_last_year() -> int:
    """The last year whose official holiday arrangement is published (in the installed `chinesecalendar`)."""
    return _known_years()[1]


def is_provisional(day: date) -> bool:
    """True when `day` lies in a year whose official calendar is not published yet."""
    return day.year > _known_years()[1]


@cache
def is_rest_day(day: date) -> bool:
    """A public holiday or a weekend rest day that is not a make-up working day (weekends only, provisionally,
    in a year the official calendar does not cover yet)."""
    first, last = _known_years()
    if day.year > last:
        return day.weekday() >= 5
    if day.year < first:
        raise CalendarUnknown(f"{day.year} 年的法定节假日安排未知，请更新 chinesecalendar")
    return chinese_calendar.is_holiday(day)


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
