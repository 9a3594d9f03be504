"""From the database to the scheduler's problem dict (docs/SCHEDULING.md) and back.

The solver (`yunting.kernel.scheduling.solve`) is pure; this module decides who a hearing needs (judge, panel,
clerk, the parties' accounts and lawyers), what blocks them (their unavailability, any court; their confirmed
hearings in other cases), which courtrooms are taken, and the last day the trial period allows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings

from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Participation
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from .choices import ConsentDecision, Form, HearingState, RoomKind
from .models import Courtroom, Hearing, Unavailability

SLOT_MINUTES = 30
# Half-hour slots: mornings 09:00–12:00, afternoons 14:00–17:30 (a court setting: HEARING_SLOTS).
DEFAULT_SLOTS = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
                 "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00"]
DEFAULT_SLOTS_NEEDED = {"pretrial": 2, "trial": 4, "pronouncement": 1}
NEEDED_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.CLERK, CaseRole.LAWYER, CaseRole.PARTY)
BUSY_STATES = (HearingState.CONFIRMED,)
PROPOSAL_DAYS = 28


def slot_times() -> list[str]:
    return list(getattr(settings, "HEARING_SLOTS", DEFAULT_SLOTS))


def span(day: date, slot: str, k: int) -> tuple[datetime, datetime]:
    """UTC start and end of k slots from `slot` on `day` (Shanghai wall clock)."""
    hh, mm = (int(x) for x in slot.split(":"))
    start = datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)
    return start, start + timedelta(minutes=SLOT_MINUTES * k)


def taken_slots(slot: str, k: int) -> list[str]:
    slots = slot_times()
    if slot not in slots:
        return []
    i = slots.index(slot)
    return slots[i:i + k]


def person_id(user_id: int) -> str:
    return f"u{user_id}"


def people_of(case_id: int) -> dict[int, str]:
    """{user id: case role} of everyone a hearing of the case needs present."""
    out: dict[int, str] = {}
    for user_id, role in Participation.objects.filter(case_id=case_id, role__in=NEEDED_ROLES,
                                                      user__isnull=False).values_list("user_id", "role"):
        out.setdefault(user_id, role)
    return out


def trial_deadline(case) -> date | None:
    """The last day of the case's running trial period (core/clocks), or None if no trial clock runs."""
    from yunting.core.clocks.selectors import deadlines_for

    try:
        items = deadlines_for(case)
    except Exception:  # a case whose clocks cannot be read is planned without a deadline, not refused
        return None
    due = [d.due for d in items if d.kind.startswith("trial") and d.status not in ("done", "suspended")]
    return min(due) if due else None


def room_kind_for(hearing: Hearing) -> str:
    """online when every party consented; physical once any refused or the judge recorded an art-21 ground;
    while answers are pending either kind will do (the form is settled at confirmation)."""
    if hearing.art21_ground:
        return RoomKind.PHYSICAL
    decisions = [c.decision for c in hearing.consents.all()]
    if decisions and all(d == ConsentDecision.CONSENTED for d in decisions):
        return RoomKind.ONLINE
    if any(d in (ConsentDecision.REFUSED, ConsentDecision.WITHDRAWN) for d in decisions):
        return RoomKind.PHYSICAL
    return "any"


def form_of(hearing: Hearing) -> str:
    """OLR arts 4–5, 21: all consent → online; some → hybrid; none (or an art-21 ground) → in court."""
    if hearing.art21_ground:
        return Form.OFFLINE
    decisions = [c.decision for c in hearing.consents.all()]
    online = sum(1 for d in decisions if d == ConsentDecision.CONSENTED)
    if decisions and online == len(decisions):
        return Form.ONLINE
    return Form.HYBRID if online else Form.OFFLINE


def _confirmed(court_id: int, first: date, last: date, exclude: set[int]):
    return (Hearing.objects.filter(court_id=court_id, state__in=BUSY_STATES, date__gte=first, date__lte=last)
            .exclude(pk__in=exclude))


def blocked_people(court_id: int, user_ids, first: date, last: date, exclude: set[int]) -> dict[int, set[str]]:
    """{user id: {"YYYY-MM-DD" | "YYYY-MM-DDTHH:MM"}}: entered unavailability and confirmed hearings elsewhere.

    A person's unavailability counts in every court (a lawyer off on a day is off for every court)."""
    user_ids = set(user_ids)
    out: dict[int, set[str]] = defaultdict(set)
    for row in Unavailability.objects.filter(user_id__in=user_ids, date__gte=first, date__lte=last):
        out[row.user_id].add(f"{row.date:%Y-%m-%d}T{row.slot}" if row.slot else f"{row.date:%Y-%m-%d}")
    busy = list(_confirmed(court_id, first, last, exclude).values("case_id", "date", "slot", "slots_needed"))
    if busy:
        members: dict[int, set[int]] = defaultdict(set)
        for case_id, user_id in Participation.objects.filter(
                case_id__in={b["case_id"] for b in busy}, user_id__in=user_ids,
                role__in=NEEDED_ROLES).values_list("case_id", "user_id"):
            members[case_id].add(user_id)
        for b in busy:
            for user_id in members.get(b["case_id"], ()):
                for s in taken_slots(b["slot"], b["slots_needed"]):
                    out[user_id].add(f"{b['date']:%Y-%m-%d}T{s}")
    return out


def booked_rooms(court_id: int, first: date, last: date, exclude: set[int]) -> set[tuple[int, date, str]]:
    out = set()
    for b in _confirmed(court_id, first, last, exclude).exclude(courtroom=None).values(
            "courtroom_id", "date", "slot", "slots_needed"):
        for s in taken_slots(b["slot"], b["slots_needed"]):
            out.add((b["courtroom_id"], b["date"], s))
    return out


def courtrooms(court_id: int) -> list[Courtroom]:
    return list(Courtroom.objects.filter(court_id=court_id, active=True).order_by("order", "id"))


def build_problem(hearings: list[Hearing], *, week_start: date, days: int, extra_unavailable=None) -> dict:
    """The problem dict for `hearings` (all of one court) over [week_start, week_start + days)."""
    court_id = hearings[0].court_id
    last = week_start + timedelta(days=days - 1)
    exclude = {h.pk for h in hearings}
    needed = {h.pk: people_of(h.case_id) for h in hearings}
    everyone = {u for ps in needed.values() for u in ps}
    blocked = blocked_people(court_id, everyone, week_start, last, exclude)
    people = []
    for user_id in sorted(everyone):
        people.append({"id": person_id(user_id), "unavailable": sorted(blocked.get(user_id, ()))})
    for pid, marks in (extra_unavailable or {}).items():
        people.append({"id": pid, "unavailable": sorted(marks)})
    items = []
    for h in hearings:
        deadline = trial_deadline(h.case)
        items.append({
            "id": str(h.pk), "people": [person_id(u) for u in sorted(needed[h.pk])],
            "room_kind": room_kind_for(h), "slots_needed": h.slots_needed,
            "not_before": h.not_before.isoformat() if h.not_before else None,
            "not_after": deadline.isoformat() if deadline else None,
            "served_on": h.served_on.isoformat() if h.served_on else None,
        })
    return {"week_start": week_start.isoformat(), "days": days, "slots": slot_times(),
            "rooms": [{"id": str(r.pk), "kind": r.kind} for r in courtrooms(court_id)],
            "people": people, "hearings": items}


def solve(problem: dict, *, planned_on: date, time_limit: float = 10.0) -> dict:
    try:
        from yunting.kernel.scheduling import solve as cp_solve
    except ImportError:  # until the CP-SAT scheduler is merged: the same rules, first fit
        return _stand_in_first_fit(problem, planned_on=planned_on)
    return cp_solve(problem, time_limit=time_limit, planned_on=planned_on)


def _stand_in_first_fit(problem: dict, *, planned_on: date) -> dict:
    """STAND-IN for kernel.scheduling until it lands: earliest (day, slot, room) keeping every rule."""
    from yunting.kernel.calendar import is_rest_day

    slots, week = problem["slots"], date.fromisoformat(problem["week_start"])
    off = {p["id"]: set(p.get("unavailable") or []) for p in problem["people"]}
    used: set = set()
    placed, unplaced = [], []
    for h in problem["hearings"]:
        served = date.fromisoformat(h["served_on"]) if h.get("served_on") else planned_on + timedelta(days=1)
        found = None
        for d in range(problem["days"]):
            day = week + timedelta(days=d)
            if is_rest_day(day) or day < planned_on or (day - served).days < 3 or (
                    h.get("not_before") and day < date.fromisoformat(h["not_before"])) or (
                    h.get("not_after") and day > date.fromisoformat(h["not_after"])):
                continue
            for i in range(len(slots) - h["slots_needed"] + 1):
                taken = slots[i:i + h["slots_needed"]]
                if any(f"{day}" in off.get(p, ()) or any(f"{day}T{s}" in off.get(p, ()) or (p, day, s) in used
                                                          for s in taken) for p in h["people"]):
                    continue
                room = next((r["id"] for r in problem["rooms"] if h["room_kind"] in ("any", r["kind"])
                             and all((r["id"], day, s) not in used for s in taken)), None)
                if room:
                    found = (day, slots[i], room, taken)
                    break
            if found:
                break
        if not found:
            unplaced.append({"hearing": h["id"], "reason": "在期限内找不到所有人都能到庭且有空闲法庭的时段"})
            continue
        day, slot, room, taken = found
        for s in taken:
            used.add((room, day, s))
            for p in h["people"]:
                used.add((p, day, s))
        placed.append({"hearing": h["id"], "date": day.isoformat(), "slot": slot, "room": room})
    return {"placed": placed, "unplaced": unplaced}


def free_room(plan_item: dict, problem: dict, booked: set, used: set) -> str | None:
    """The plan's room if no confirmed hearing holds it at those slots, else another free room of the same kind
    (the solver's problem has no room bookings: those are applied here)."""
    hearing = next(h for h in problem["hearings"] if h["id"] == plan_item["hearing"])
    day = date.fromisoformat(plan_item["date"])
    slots = taken_slots(plan_item["slot"], hearing["slots_needed"])
    kind = {r["id"]: r["kind"] for r in problem["rooms"]}
    wanted = kind.get(plan_item["room"])
    for room in [plan_item["room"], *[r["id"] for r in problem["rooms"] if r["kind"] == wanted]]:
        if all((int(room), day, s) not in booked and (room, day, s) not in used for s in slots):
            for s in slots:
                used.add((room, day, s))
            return room
    return None


def propose(hearing: Hearing, *, count: int = 3, time_limit: float = 5.0, today: date | None = None) -> tuple[list, list]:
    """Up to `count` slots for one hearing, each on a different day: (options [(date, slot, courtroom id)],
    reasons why no (further) slot could be found)."""
    today = today or shanghai_today()
    start = max(today + timedelta(days=1), hearing.not_before or today)
    spread = "spread"  # a made-up person who is away on each day already proposed: the next option is another day
    away: set[str] = set()
    options, reasons = [], []
    booked = booked_rooms(hearing.court_id, start, start + timedelta(days=PROPOSAL_DAYS), {hearing.pk})
    used: set = set()
    for _i in range(count):
        problem = build_problem([hearing], week_start=start, days=PROPOSAL_DAYS, extra_unavailable={spread: away})
        problem["hearings"][0]["people"].append(spread)
        plan = solve(problem, planned_on=today, time_limit=time_limit)
        if not plan.get("placed"):
            reasons += [u.get("reason", "") for u in plan.get("unplaced", [])]
            break
        item = plan["placed"][0]
        room = free_room(item, problem, booked, used)
        away.add(item["date"])
        if room is None:
            continue
        options.append((date.fromisoformat(item["date"]), item["slot"], int(room)))
    return options, reasons


def week_plan(hearings: list[Hearing], *, week_start: date, days: int = 5, time_limit: float = 20.0,
              today: date | None = None) -> tuple[dict, dict]:
    """(problem, plan) for a division's requested hearings over one week, rooms already booked moved or dropped."""
    today = today or shanghai_today()
    problem = build_problem(hearings, week_start=week_start, days=days)
    plan = solve(problem, planned_on=today, time_limit=time_limit)
    booked = booked_rooms(hearings[0].court_id, week_start, week_start + timedelta(days=days), set())
    used: set = set()
    placed, unplaced = [], list(plan.get("unplaced", []))
    for item in plan.get("placed", []):
        room = free_room(item, problem, booked, used)
        if room is None:
            unplaced.append({"hearing": item["hearing"], "reason": "该时段所有同类法庭均已被已确认的庭审占用"})
        else:
            placed.append({**item, "room": room})
    return problem, {**plan, "placed": placed, "unplaced": unplaced}
