"""Legal time limits counted on the official calendar (CPL art 85). Pure: no ORM, no Django."""

from .deadlines import CalendarUnknown, days_left, is_rest_day, legal_deadline, next_working_day

__all__ = ["CalendarUnknown", "days_left", "is_rest_day", "legal_deadline", "next_working_day"]
