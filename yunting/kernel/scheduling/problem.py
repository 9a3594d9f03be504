"""The scheduling problem: parse and check the JSON of docs/SCHEDULING.md, then work out, for each hearing on its
own, every (day, start slot) it could take. Both solvers and the reasons share this one reading of the rules.

Rules applied here (docs/SCHEDULING.md has the why and the citations):
- days are the working days of the official calendar (`kernel.calendar`) inside [week_start, week_start + days);
- a hearing lies within [not_before, not_after], on or after the day of planning;
- the summons is served at least 3 days before the hearing (CPL art 139): hearing date ≥ served_on + 3; with no
  service yet, served_on is taken as planned_on + SERVICE_DAYS;
- a person's unavailable date blocks the whole day, a date-and-time blocks that slot;
- k slots are k consecutive slots of one day, never across a break (a gap between two slot starts longer than
  the shortest gap, e.g. lunch between 11:30 and 14:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yunting.kernel.calendar import is_provisional, is_rest_day, next_working_day
from yunting.kernel.common.errors import ValidationFailed

# Electronic service (OLR arts 29–31) reaches the recipient's system the day it is sent; one day is allowed for
# the clerk to generate, seal and send the summons after the judge confirms the plan.
SERVICE_DAYS = 1
# CPL art 139: the parties are notified at least 3 days before the hearing.
NOTICE_DAYS = 3
MAX_DAYS = 31
KINDS = ("physical", "online")
ROOM_KINDS = ("physical", "online", "any")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class Hearing:
    id: object
    index: int
    people: tuple
    room_kind: str
    k: int
    not_before: date | None
    not_after: date | None
    served_on: date | None
    earliest_notice: date = None  # the first day the summons notice allows
    rooms: tuple = ()  # indices of the rooms of the right kind
    starts: list = field(default_factory=list)  # global slot indices t = day_index * S + slot it may start at


@dataclass
class Problem:
    week_start: date
    days: int
    slots: list[str]
    rooms: list[dict]
    people: dict  # id -> {"name", "blocked": set of t}
    hearings: list[Hearing]
    planned_on: date
    working: list[int]  # day indices that are working days
    provisional: bool

    @property
    def S(self) -> int:
        return len(self.slots)

    @cached_property
    def runs(self) -> list[int]:
        """For each slot, how many consecutive slots (no break) start there: what a hearing starting there may use."""
        minutes = [int(s[:2]) * 60 + int(s[3:]) for s in self.slots]
        step = min((b - a for a, b in zip(minutes, minutes[1:], strict=False)), default=0)
        runs = [1] * self.S
        for i in range(self.S - 2, -1, -1):
            if minutes[i + 1] - minutes[i] <= step:
                runs[i] = runs[i + 1] + 1
        return runs

    def fits(self, s: int, k: int) -> bool:
        return self.runs[s] >= k

    def day(self, i: int) -> date:
        return self.week_start + timedelta(days=i)

    def label(self, person) -> str:
        """How a reason names a person: the optional `name`, else the id."""
        return str(self.people[person]["name"] or person)


def _fail(path: str, message: str):
    raise ValidationFailed(f"{path}：{message}", code="schedule_invalid", data={"field": path})


def _date(value, path: str, *, nullable: bool = False) -> date | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        _fail(path, _("a date YYYY-MM-DD is required"))
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    _fail(path, _("not a date YYYY-MM-DD: %(v)s") % {"v": value})


def _ident(value, path: str):
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        _fail(path, _("an id must be a non-empty string or an integer"))
    return value


def _list(obj: dict, key: str, path: str) -> list:
    value = obj.get(key)
    if not isinstance(value, list):
        _fail(f"{path}{key}", _("a list is required"))
    return value


def _unique(ids: list, path: str, what: str):
    seen = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            _fail(f"{path}[{i}].id", _("duplicate %(what)s id %(id)s") % {"what": what, "id": ident})
        seen.add(ident)


def parse(data, *, planned_on: date | None = None) -> Problem:
    """Check the problem JSON and precompute each hearing's possible starts; raises ValidationFailed naming the
    first bad field, in the active language."""
    if not isinstance(data, dict):
        _fail("problem", _("a JSON object is required"))
    week_start = _date(data.get("week_start"), "week_start")
    days = data.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        _fail("days", _("a whole number of days from 1 to %(n)s is required") % {"n": MAX_DAYS})
    slots = _list(data, "slots", "")
    if not slots:
        _fail("slots", _("at least one slot is required"))
    for i, s in enumerate(slots):
        if not isinstance(s, str) or not _TIME.match(s):
            _fail(f"slots[{i}]", _("not a time HH:MM: %(v)s") % {"v": s})
        if i and s <= slots[i - 1]:
            _fail(f"slots[{i}]", _("slots must be in increasing order of time"))
    if planned_on is None and data.get("planned_on") is not None:
        planned_on = _date(data["planned_on"], "planned_on")
    if planned_on is None:
        from yunting.kernel.common.timeutil import shanghai_today

        planned_on = shanghai_today()

    rooms = []
    for i, r in enumerate(_list(data, "rooms", "")):
        if not isinstance(r, dict):
            _fail(f"rooms[{i}]", _("an object is required"))
        if r.get("kind") not in KINDS:
            _fail(f"rooms[{i}].kind", _("must be physical or online"))
        rooms.append({"id": _ident(r.get("id"), f"rooms[{i}].id"), "kind": r["kind"]})
    _unique([r["id"] for r in rooms], "rooms", pgettext("scheduling", "courtroom"))

    S = len(slots)
    index_of_slot = {s: i for i, s in enumerate(slots)}
    people = {}
    for i, p in enumerate(_list(data, "people", "")):
        if not isinstance(p, dict):
            _fail(f"people[{i}]", _("an object is required"))
        pid = _ident(p.get("id"), f"people[{i}].id")
        if pid in people:
            _fail(f"people[{i}].id", _("duplicate %(what)s id %(id)s") % {"what": pgettext("scheduling", "person"), "id": pid})
        blocked = set()
        for j, u in enumerate(p.get("unavailable") or []):
            path = f"people[{i}].unavailable[{j}]"
            if not isinstance(u, str) or len(u) not in (10, 16) or (len(u) == 16 and u[10] != "T"):
                _fail(path, _("not a date YYYY-MM-DD or a date and slot YYYY-MM-DDTHH:MM: %(v)s") % {"v": u})
            day = _date(u[:10], path)
            offset = (day - week_start).days
            if len(u) == 16 and u[11:] not in index_of_slot:
                _fail(path, _("%(t)s is not one of the slots") % {"t": u[11:]})
            if not 0 <= offset < days:
                continue  # outside the week: nothing to block
            if len(u) == 10:
                blocked.update(range(offset * S, offset * S + S))
            else:
                blocked.add(offset * S + index_of_slot[u[11:]])
        name = p.get("name")
        people[pid] = {"name": name if isinstance(name, str) else "", "blocked": blocked}

    working = [i for i in range(days) if not is_rest_day(week_start + timedelta(days=i))]
    problem = Problem(week_start, days, list(slots), rooms, people, [], planned_on, working,
                      any(is_provisional(week_start + timedelta(days=i)) for i in range(days)))
    ids = set()
    for i, h in enumerate(_list(data, "hearings", "")):
        path = f"hearings[{i}]"
        if not isinstance(h, dict):
            _fail(path, _("an object is required"))
        hid = _ident(h.get("id"), f"{path}.id")
        if hid in ids:
            _fail(f"{path}.id", _("duplicate %(what)s id %(id)s") % {"what": pgettext("scheduling", "hearing"), "id": hid})
        ids.add(hid)
        members = []
        for j, pid in enumerate(_list(h, "people", f"{path}.")):
            if isinstance(pid, (list, dict)) or pid not in people:
                _fail(f"{path}.people[{j}]", _("unknown person id %(id)s") % {"id": pid})
            if pid not in members:
                members.append(pid)
        if h.get("room_kind") not in ROOM_KINDS:
            _fail(f"{path}.room_kind", _("must be physical, online or any"))
        k = h.get("slots_needed")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            _fail(f"{path}.slots_needed", _("a whole number of at least 1 is required"))
        nb = _date(h.get("not_before"), f"{path}.not_before", nullable=True)
        na = _date(h.get("not_after"), f"{path}.not_after", nullable=True)
        if nb and na and nb > na:
            _fail(f"{path}.not_after", _("is earlier than not_before"))
        served = _date(h.get("served_on"), f"{path}.served_on", nullable=True)
        hearing = Hearing(hid, i, tuple(members), h["room_kind"], k, nb, na, served)
        _possible(problem, hearing)
        problem.hearings.append(hearing)
    return problem


def earliest_by_notice(hearing: Hearing, planned_on: date) -> date:
    """The first date the summons notice allows: served_on + 3 days, or planned_on + SERVICE_DAYS + 3 when the
    summons is not served yet; moved to the next working day like any period's end (CPL art 85)."""
    served = hearing.served_on or planned_on + timedelta(days=SERVICE_DAYS)
    return next_working_day(served + timedelta(days=NOTICE_DAYS))


def allowed_days(problem: Problem, hearing: Hearing) -> list[int]:
    """Working-day indices the hearing's dates allow (window, notice, not in the past)."""
    lo = max(hearing.earliest_notice, problem.planned_on, hearing.not_before or date.min)
    hi = hearing.not_after or date.max
    return [d for d in problem.working if lo <= problem.day(d) <= hi]


def _possible(problem: Problem, hearing: Hearing) -> None:
    S, k = problem.S, hearing.k
    hearing.earliest_notice = earliest_by_notice(hearing, problem.planned_on)
    hearing.rooms = tuple(i for i, r in enumerate(problem.rooms)
                          if hearing.room_kind == "any" or r["kind"] == hearing.room_kind)
    if not hearing.rooms or k > max(problem.runs):
        return
    blocked = set().union(*(problem.people[p]["blocked"] for p in hearing.people)) if hearing.people else set()
    for d in allowed_days(problem, hearing):
        base = d * S
        for s in range(S - k + 1):
            if problem.fits(s, k) and not any(t in blocked for t in range(base + s, base + s + k)):
                hearing.starts.append(base + s)
