"""Place a week's hearings: CP-SAT for the plan a court uses, a first-fit greedy as the baseline it must beat.

Model (docs/SCHEDULING.md "Objective"): each hearing that can take place at all gets one optional interval of
k slots on a single time line t = day_index * S + slot, its start restricted to the starts precomputed in
`problem.py` (right days, notice, people available, inside one day); one optional copy per room of the right
kind, exactly one present when the hearing is placed; NoOverlap per room and per person. Objective: the most
hearings placed, then the earliest starts (sum of delays after each hearing's first possible start).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

from .problem import KINDS, Problem, parse
from .reasons import explain

# (hearing index) -> (t, room index)
Assignment = dict[int, tuple[int, int]]


def _deadline_first(h):
    return h.not_after or date.max, -h.k, len(h.starts), h.index


def _short_first(h):
    return h.k, len(h.starts), h.index


def _first_fit(problem: Problem, order=_deadline_first) -> Assignment:
    """Hearings in `order` (by default earliest deadline first, longest first on a tie); each takes its first
    start and first room that are still free."""
    order = sorted((h for h in problem.hearings if h.starts), key=order)
    person_busy: dict = defaultdict(set)
    room_busy: dict = defaultdict(set)
    chosen: Assignment = {}
    for h in order:
        for t in h.starts:
            span = range(t, t + h.k)
            if any(x in person_busy[p] for p in h.people for x in span):
                continue
            room = next((r for r in h.rooms if not any(x in room_busy[r] for x in span)), None)
            if room is None:
                continue
            chosen[h.index] = (t, room)
            for p in h.people:
                person_busy[p].update(span)
            room_busy[room].update(span)
            break
    return chosen


def _plan(problem: Problem, chosen: Assignment, stats: dict) -> dict:
    placed = []
    for h in problem.hearings:
        if h.index in chosen:
            t, r = chosen[h.index]
            placed.append({"hearing": h.id, "date": problem.day(t // problem.S).isoformat(),
                           "slot": problem.slots[t % problem.S], "room": problem.rooms[r]["id"]})
    total = len(problem.hearings)
    stats.update(hearings=total, placed=len(placed), unplaced=total - len(placed),
                 placed_share=round(len(placed) / total, 4) if total else 1.0,
                 planned_on=problem.planned_on.isoformat(), working_days=[problem.day(d).isoformat()
                                                                          for d in problem.working],
                 calendar_provisional=problem.provisional)
    return {"placed": placed, "unplaced": explain(problem, chosen), "stats": stats}


def _rooms(problem: Problem, timed: dict) -> Assignment:
    """Give each timed hearing a room of its kind: in start order, the first room free again (interval
    colouring, which never needs more rooms than the most hearings of a kind at once)."""
    by_index = {h.index: h for h in problem.hearings}
    free_at = {r: 0 for r in range(len(problem.rooms))}
    chosen: Assignment = {}
    for index, (t, kind) in sorted(timed.items(), key=lambda item: item[1][0]):
        h = by_index[index]
        kind = kind or h.room_kind
        room = next((r for r in h.rooms if problem.rooms[r]["kind"] == kind and free_at[r] <= t), None)
        if room is None:  # cannot happen when the solver kept the capacities; kept loud for check_plan
            raise RuntimeError(f"no free {kind} room for hearing {h.id} at slot {t}")
        free_at[room] = t + h.k
        chosen[index] = (t, room)
    return chosen


def greedy(data: dict, *, planned_on: date | None = None) -> dict:
    """The first-fit baseline, same plan shape as `solve`."""
    started = time.perf_counter()
    problem = parse(data, planned_on=planned_on)
    chosen = _first_fit(problem)
    return _plan(problem, chosen, {"method": "greedy", "status": "HEURISTIC",
                                   "seconds": round(time.perf_counter() - started, 3)})


class _Model:
    """The CP-SAT model over some hearings, each limited to the starts `starts_of[index]`."""

    def __init__(self, problem: Problem, hearings: list, starts_of: dict, weight: int):
        from ortools.sat.python import cp_model

        self.model = model = cp_model.CpModel()
        self.hearings, self.weight = hearings, weight
        capacity = {kind: sum(1 for r in problem.rooms if r["kind"] == kind) for kind in KINDS}
        by_person: dict = defaultdict(list)
        by_kind: dict = defaultdict(list)
        self.present, self.start, self.online, self.first, self.kind = {}, {}, {}, {}, {}
        delays = []
        for h in hearings:
            values = starts_of[h.index]
            present = model.new_bool_var(f"p{h.index}")
            start = model.new_int_var_from_domain(cp_model.Domain.from_values(values), f"s{h.index}")
            interval = model.new_optional_fixed_size_interval_var(start, h.k, present, f"i{h.index}")
            model.add(start == values[0]).only_enforce_if(~present)  # an unplaced hearing adds no delay
            self.present[h.index], self.start[h.index], self.first[h.index] = present, start, values[0]
            delays.append(start - h.starts[0])
            for person in h.people:
                by_person[person].append(interval)
            kinds = [k for k in KINDS if capacity[k] and h.room_kind in (k, "any")]
            if len(kinds) == 1:  # its kind, or "any" when only one kind of room exists
                by_kind[kinds[0]].append(interval)
                self.kind[h.index] = kinds[0]
                continue
            # "any": the hearing takes a room of one kind or the other
            online = self.online[h.index] = model.new_bool_var(f"o{h.index}")
            for kind, flag in (("online", online), ("physical", ~online)):
                used = model.new_bool_var(f"{kind[0]}{h.index}")
                model.add_bool_and([present, flag]).only_enforce_if(used)
                model.add_bool_or([~present, ~flag, used])
                by_kind[kind].append(model.new_optional_fixed_size_interval_var(start, h.k, used, f"{kind}{h.index}"))
        for intervals in by_person.values():
            if len(intervals) > 1:
                model.add_no_overlap(intervals)
        # Rooms of a kind are interchangeable: never more hearings at once than rooms, and then a room for each
        # follows by colouring the intervals in start order (`_rooms`).
        for kind, intervals in by_kind.items():
            if len(intervals) > capacity[kind]:
                model.add_cumulative(intervals, [1] * len(intervals), capacity[kind])
        model.maximize(weight * sum(self.present.values()) - sum(delays))

    def hint(self, timed: dict) -> None:
        for h in self.hearings:
            t, kind = timed.get(h.index, (None, None))
            self.model.add_hint(self.present[h.index], t is not None)
            self.model.add_hint(self.start[h.index], t if t is not None else self.first[h.index])
            if h.index in self.online:
                self.model.add_hint(self.online[h.index], kind == "online")

    def run(self, seconds: float):
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = 2
        solver.parameters.interleave_search = True  # with 2 workers, lets the LNS workers run at all
        status = solver.solve(self.model)
        timed = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            timed = {h.index: (solver.value(self.start[h.index]),
                               ("online" if solver.boolean_value(self.online[h.index]) else "physical")
                               if h.index in self.online else self.kind[h.index])
                     for h in self.hearings if solver.boolean_value(self.present[h.index])}
        return solver, status, timed


def _value(problem: Problem, timed: dict, weight: int) -> int:
    by_index = {h.index: h for h in problem.hearings}
    return weight * len(timed) - sum(t - by_index[i].starts[0] for i, (t, _k) in timed.items())


def _improve(problem: Problem, timed: dict, weight: int, deadline: float, rounds: dict) -> dict:
    """Large-neighbourhood search: free the hearings on one or two working days and every unplaced hearing, keep
    the other days as they are, re-solve those days with CP-SAT; keep the better plan. Windows in turn until
    none improves or the time is up. Days share no slot, so the fixed days need not be in the model."""
    S = problem.S
    days = problem.working
    windows = [(d,) for d in days] + [(a, b) for i, a in enumerate(days) for b in days[i + 1:]]
    rnd_window = 0
    stale = 0
    while time.perf_counter() < deadline - 1.0 and windows and stale < len(windows):
        window = set(windows[rnd_window % len(windows)])
        rnd_window += 1
        fixed = {i: v for i, v in timed.items() if v[0] // S not in window}
        free, starts_of = [], {}
        for h in problem.hearings:
            if h.index in fixed or not h.starts:
                continue
            starts = [t for t in h.starts if t // S in window]
            if starts:
                free.append(h)
                starts_of[h.index] = starts
        if not free:
            stale += 1
            continue
        part = _Model(problem, free, starts_of, weight)
        part.hint({i: v for i, v in timed.items() if i not in fixed})
        left = deadline - time.perf_counter()
        if left < 0.5:  # building the window's model took the rest
            break
        seconds = min(left - 0.25, max(1.0, left / 6))
        _solver, _status, found = part.run(seconds)
        rounds["lns"] = rounds.get("lns", 0) + 1
        if found is not None:
            candidate = {**fixed, **found}
            if _value(problem, candidate, weight) > _value(problem, timed, weight):
                timed, stale = candidate, 0
                rounds["lns_improved"] = rounds.get("lns_improved", 0) + 1
                continue
        stale += 1
    return timed


def solve(data: dict, *, time_limit: float = 10.0, planned_on: date | None = None) -> dict:
    """The week's plan by CP-SAT (2 workers); the whole call, reasons included, takes about `time_limit` s.

    Starts from the better of two first-fit plans, so it is never worse than the greedy baseline; a first
    CP-SAT run over the whole week gives a plan and the bound (how many hearings could be placed at most), then
    the rest of the time re-solves one or two days at a time with the others fixed. Stats say whether the plan
    is proven optimal and how far from the bound it may be."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    # the whole call stays within time_limit: keep a tenth (at most 2 s) for the rooms and the reasons
    deadline = started + max(0.1, float(time_limit) - min(2.0, float(time_limit) / 10))
    problem = parse(data, planned_on=planned_on)
    candidates = [h for h in problem.hearings if h.starts]
    weight = 1 + sum(h.starts[-1] - h.starts[0] for h in candidates)
    # The short-first plan usually places more hearings; the deadline-first one is the greedy baseline.
    plans = [_first_fit(problem), _first_fit(problem, _short_first)]
    timed = max(({i: (t, problem.rooms[r]["kind"]) for i, (t, r) in plan.items()} for plan in plans),
                key=lambda plan: _value(problem, plan, weight))
    stats: dict = {"method": "cp-sat", "time_limit": time_limit}
    whole = _Model(problem, candidates, {h.index: h.starts for h in candidates}, weight)
    whole.hint(timed)
    # A third of the time for the whole week (the bound, and small weeks solve outright), the rest for days.
    solver, status, found = whole.run((deadline - time.perf_counter()) / 3 if len(candidates) > 300
                                      else deadline - time.perf_counter())
    stats["status"] = solver.status_name(status)
    bound = solver.best_objective_bound if found is not None or status == cp_model.UNKNOWN else None
    if found is not None and _value(problem, found, weight) >= _value(problem, timed, weight):
        timed = found
    if status != cp_model.OPTIMAL and candidates:
        timed = _improve(problem, timed, weight, deadline, stats)
    objective = _value(problem, timed, weight)
    if status == cp_model.OPTIMAL:
        bound = objective
    stats.update(objective=objective, best_bound=int(bound) if bound is not None else None,
                 optimality_gap=round(max(0.0, bound - objective) / max(1.0, abs(bound)), 6)
                 if bound is not None else None,
                 placed_bound=min(len(candidates), int(-(-bound // weight))) if bound is not None else None)
    if stats["status"] == "UNKNOWN" and objective:
        stats["status"] = "FEASIBLE"
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return _plan(problem, _rooms(problem, timed), stats)
