"""Why a hearing was not placed, in words a clerk acts on (the active language: Chinese, or English).

Each unplaced hearing is checked on its own, rule by rule in the order a clerk would fix them: slots per day,
a room of the kind, the deadline window, the day of planning, the summons notice, each person's unavailability,
the people together. A hearing that could be held alone lost to others: the reason names the hearings holding
its people or rooms at the times it could have taken.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .problem import NOTICE_DAYS, SERVICE_DAYS, Hearing, Problem


def _day(day: date) -> str:
    return dateformat.format(day, pgettext("scheduling date", "M j"))


def _names(items, limit: int = 3) -> str:
    items = [str(i) for i in items]
    shown = pgettext("list separator", ", ").join(items[:limit])
    return shown if len(items) <= limit else _("%(shown)s and %(n)s more") % {"shown": shown,
                                                                           "n": len(items) - limit}


def _no_room(hearing: Hearing) -> str:
    return {"online": _("No online courtroom this week"),
            "physical": _("No physical courtroom this week")}.get(hearing.room_kind, _("No courtroom this week"))


def _alone(problem: Problem, hearing: Hearing) -> str:
    """The first rule that keeps the hearing out of the week even with every room and person free."""
    if hearing.k > max(problem.runs):
        return _("Needs %(k)s consecutive slots; a day has at most %(s)s in a row") % {
            "k": hearing.k, "s": max(problem.runs)}
    if not hearing.rooms:
        return _no_room(hearing)
    if not problem.working:
        return _("No working day this week (official holiday calendar)")
    nb, na = hearing.not_before or date.min, hearing.not_after or date.max
    window = [d for d in problem.working if nb <= problem.day(d) <= na]
    if not window:
        return _("Outside its time limit: must be heard between %(a)s and %(b)s") % {
            "a": _day(hearing.not_before) if hearing.not_before else _("any time"),
            "b": _day(hearing.not_after) if hearing.not_after else _("any time")}
    window = [d for d in window if problem.day(d) >= problem.planned_on]
    if not window:
        return _("Its dates this week are before the day of planning (%(d)s)") % {"d": _day(problem.planned_on)}
    if not any(problem.day(d) >= hearing.earliest_notice for d in window):
        if hearing.served_on:
            return _("Summons served less than %(n)s days before: the earliest date is %(d)s") % {
                "n": NOTICE_DAYS, "d": _day(hearing.earliest_notice)}
        return _("Summons not served yet (service takes %(s)s day, then %(n)s days' notice): the earliest date "
                 "is %(d)s") % {"s": SERVICE_DAYS, "n": NOTICE_DAYS, "d": _day(hearing.earliest_notice)}
    if hearing.starts:
        return ""
    days = [d for d in window if problem.day(d) >= hearing.earliest_notice]
    S, k = problem.S, hearing.k

    def free_run(blocked: set) -> bool:
        return any(not any(t in blocked for t in range(d * S + s, d * S + s + k))
                   for d in days for s in range(S - k + 1) if problem.fits(s, k))

    away = [p for p in hearing.people if not free_run(problem.people[p]["blocked"])]
    if away:
        return _("%(who)s not available on any possible day this week") % {
            "who": _names(problem.label(p) for p in away)}
    return _("%(who)s have no %(k)s consecutive free slots in common this week") % {
        "who": _names([problem.label(p) for p in hearing.people], limit=5), "k": k}


def _occupancy(problem: Problem, chosen: dict) -> tuple[dict, dict]:
    """(person, t) and (room, t) -> index of the placed hearing holding it."""
    person_at, room_at = {}, {}
    by_index = {h.index: h for h in problem.hearings}
    for index, (t, r) in chosen.items():
        other = by_index[index]
        for x in range(t, t + other.k):
            room_at[(r, x)] = index
            for p in other.people:
                person_at[(p, x)] = index
    return person_at, room_at


def _lost(problem: Problem, hearing: Hearing, occupancy: tuple[dict, dict]) -> str:
    """Which placed hearings hold the people or rooms at every start this hearing could have taken."""
    person_at, room_at = occupancy
    by_index = {h.index: h for h in problem.hearings}
    rivals, people, rooms_busy = Counter(), set(), False
    for t in hearing.starts:
        span = range(t, t + hearing.k)
        blockers = {(person_at[(p, x)], p) for p in hearing.people for x in span if (p, x) in person_at}
        if blockers:
            rivals.update({i for i, _p in blockers})
            people.update(p for _i, p in blockers)
            continue
        holding = {room_at.get((r, x)) for r in hearing.rooms for x in span} - {None}
        if all(any((r, x) in room_at for x in span) for r in hearing.rooms):
            rivals.update(holding)
            rooms_busy = True
            continue
        return _("Could be held but was not placed within the time limit; run the planner again with more time")
    what = [problem.label(p) for p in sorted(people, key=str)]
    if rooms_busy:
        what.append(pgettext("scheduling", "courtrooms"))
    cases = [by_index[i].id for i, _n in rivals.most_common()]
    return _("Resource conflict: could be held alone, but %(cases)s hold %(what)s at every possible time") % {
        "cases": _names(cases), "what": _names(what, limit=4)}


def explain(problem: Problem, chosen: dict) -> list[dict]:
    """`unplaced` of the plan: every hearing not in `chosen`, with its reason, in input order."""
    out, occupancy = [], None
    for h in problem.hearings:
        if h.index in chosen:
            continue
        reason = _alone(problem, h)
        if not reason:
            occupancy = occupancy or _occupancy(problem, chosen)
            reason = _lost(problem, h, occupancy)
        out.append({"hearing": h.id, "reason": reason})
    return out
