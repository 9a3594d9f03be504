"""Hearing scheduling for a week: pure (no models); takes and gives the JSON of docs/SCHEDULING.md.

`solve` plans with CP-SAT under a time limit, `greedy` is the first-fit baseline, `validate` checks a problem,
`check_plan` re-checks any plan against every rule. The hearings app and `yunting schedule solve` call these.
"""

from __future__ import annotations

from datetime import date

from .check import check_plan
from .problem import NOTICE_DAYS, SERVICE_DAYS, parse
from .solver import greedy, solve


def validate(problem: dict, *, planned_on: date | None = None) -> None:
    """Raise ValidationFailed (a specific message naming the field, in the active language) for bad input."""
    parse(problem, planned_on=planned_on)


__all__ = ["NOTICE_DAYS", "SERVICE_DAYS", "check_plan", "greedy", "solve", "validate"]
