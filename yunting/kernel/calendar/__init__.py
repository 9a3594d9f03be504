"""Legal time limits counted on the official calendar (CPL art 85). Pure: no ORM, no Django."""

from .deadlines import (
    CalendarUnknown,
    days_left,
    is_provisional,
    is_rest_day,
    legal_deadline,
    next_working_day,
    official_last_year,
)
from .periods import PERIODS, Computed, Interval, PeriodError, compute, parse_date, parse_interval

__all__ = ["PERIODS", "CalendarUnknown", "Computed", "Interval", "PeriodError", "compute", "days_left",
           "is_provisional", "is_rest_day", "legal_deadline", "next_working_day", "official_last_year",
           "parse_date", "parse_interval"]
