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

from .problem import Problem, parse
from .reasons import explain

# (hearing index) -> (t, room index)
Assignment = dict[int, tuple[int, int]]


def _first_fit(problem: Problem) -> Assignment:
    """Earliest deadline first; each hearing takes its first start and first room that are still free."""
    order = sorted((h for h in problem.hearings if h.starts),
                   key=lambda h: (h.not_after or date.max, -h.k, len(h.starts), h.index))
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


def solve(data: dict, *, time_limit: float = 10.0, planned_on: date | None = None) -> dict:
    """The week's plan by CP-SAT within `time_limit` seconds (2 workers), starting from the greedy plan so it is
    never worse; stats say whether the answer is proven optimal and how far from the bound it may be."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    problem = parse(data, planned_on=planned_on)
    hint = _first_fit(problem)
    candidates = [h for h in problem.hearings if h.starts]
    model = cp_model.CpModel()
    weight = 1 + sum(h.starts[-1] - h.starts[0] for h in candidates)
    capacity = {kind: sum(1 for r in problem.rooms if r["kind"] == kind) for kind in ("physical", "online")}
    by_person: dict = defaultdict(list)
    by_kind: dict = defaultdict(list)
    placed_vars, starts, online_vars, delays = {}, {}, {}, []
    for h in candidates:
        present = model.new_bool_var(f"p{h.index}")
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(h.starts), f"s{h.index}")
        interval = model.new_optional_fixed_size_interval_var(start, h.k, present, f"i{h.index}")
        model.add(start == h.starts[0]).only_enforce_if(~present)  # an unplaced hearing adds no delay
        placed_vars[h.index], starts[h.index] = present, start
        delays.append(start - h.starts[0])
        for p in h.people:
            by_person[p].append(interval)
        kinds = [k for k in ("physical", "online") if capacity[k] and h.room_kind in (k, "any")]
        if len(kinds) == 1:
            by_kind[kinds[0]].append(interval)
            continue
        # "any": the hearing takes a room of one kind or the other
        online = online_vars[h.index] = model.new_bool_var(f"o{h.index}")
        for kind, flag in (("online", online), ("physical", ~online)):
            used = model.new_bool_var(f"{kind[0]}{h.index}")
            model.add_bool_and([present, flag]).only_enforce_if(used)
            model.add_bool_or([~present, ~flag, used])
            by_kind[kind].append(model.new_optional_fixed_size_interval_var(start, h.k, used, f"{kind}{h.index}"))
    for intervals in by_person.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    # Rooms of a kind are interchangeable: at most as many hearings at once as rooms, and then a room for each
    # follows by colouring the intervals in start order (`_rooms`).
    for kind, intervals in by_kind.items():
        if len(intervals) > capacity[kind]:
            if capacity[kind] == 1:
                model.add_no_overlap(intervals)
            else:
                model.add_cumulative(intervals, [1] * len(intervals), capacity[kind])
    model.maximize(weight * sum(placed_vars.values()) - sum(delays))
    for h in candidates:
        t, room = hint.get(h.index, (h.starts[0], None))
        model.add_hint(placed_vars[h.index], h.index in hint)
        model.add_hint(starts[h.index], t)
        if h.index in online_vars:
            model.add_hint(online_vars[h.index], room is not None and problem.rooms[room]["kind"] == "online")

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, float(time_limit))
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    stats = {"method": "cp-sat", "status": solver.status_name(status), "time_limit": time_limit}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = _rooms(problem, {
            h.index: (solver.value(starts[h.index]),
                      ("online" if solver.boolean_value(online_vars[h.index]) else "physical")
                      if h.index in online_vars else None)
            for h in candidates if solver.boolean_value(placed_vars[h.index])})
        objective, bound = solver.objective_value, solver.best_objective_bound
        stats.update(objective=int(objective), best_bound=int(bound),
                     optimality_gap=round((bound - objective) / max(1.0, abs(bound)), 6),
                     placed_bound=min(len(candidates), int(-(-bound // weight))) if candidates else 0)
    else:  # no solution within the limit: the greedy plan still holds
        chosen = hint
        stats.update(objective=None, best_bound=None, optimality_gap=None, fallback="greedy")
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return _plan(problem, chosen, stats)
