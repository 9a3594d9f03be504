"""The deadline calculator contract: `yunting deadline KIND --from DATE [--excluded START:END ...]` and
GET /api/v1/deadlines/compute answer the same JSON; bad input is one ValidationFailed with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yunting.kernel.calendar import PERIODS, CalendarUnknown, PeriodError, compute, parse_date, parse_interval
from yunting.kernel.calendar.periods import period_for
from yunting.kernel.common.errors import ValidationFailed

FIRST_YEAR = 2004  # the first year chinesecalendar holds

ERROR_CODES = {"unknown_kind": "deadline_unknown_kind", "bad_date": "deadline_bad_date",
               "bad_interval": "deadline_bad_interval"}


def _message(exc: PeriodError) -> str:
    value = exc.data.get("value", "")
    if exc.code == "unknown_kind":
        return _("Unknown period kind “%(value)s”. Known kinds: %(known)s") % {"value": value,
                                                                               "known": ", ".join(PERIODS)}
    if exc.code == "bad_date":
        return _("Malformed date “%(value)s”: write it as YYYY-MM-DD.") % {"value": value}
    return _("Malformed excluded interval “%(value)s”: write START:END as YYYY-MM-DD:YYYY-MM-DD, the end not "
             "before the start.") % {"value": value}


def deadline_compute(kind: str, start: str, excluded: list[str] | tuple[str, ...] = (), *, closures=()) -> dict:
    """The calculator's JSON: due, kind, label, from, basis, steps, provisional, excluded_days."""
    try:
        period_for(kind)  # the kind first: an unknown kind is the clearest thing to say
        day = parse_date(start, name="from")
        intervals = [parse_interval(text) for text in excluded or ()]
        result = compute(kind, day, excluded=intervals, closures=closures)
    except PeriodError as exc:
        raise ValidationFailed(_message(exc), code=ERROR_CODES[exc.code], data=exc.data) from None
    except CalendarUnknown:
        raise ValidationFailed(_("The official holiday calendar before %(year)s is not available: choose a later "
                                 "date.") % {"year": FIRST_YEAR}, code="deadline_unknown_year",
                               data={"field": "from", "value": start}) from None
    except OverflowError:
        raise ValidationFailed(_("Malformed date “%(value)s”: write it as YYYY-MM-DD.") % {"value": start},
                               code="deadline_bad_date", data={"field": "from", "value": start}) from None
    return result.as_dict()


def deadline_compute_checked(kind: str, start: str, excluded=(), *, court_code: str = "") -> dict:
    """The same, with the court-declared closures of the court whose code is given (none when empty)."""
    closures = ()
    if court_code:
        from .selectors import closures_for_court_code

        closures = closures_for_court_code(court_code)
    return deadline_compute(kind, start, excluded, closures=closures)
