"""A made-up but realistic week for one division, for the bench and the tests (never for real courts).

Judges sit alone or in panels of three; each judge has a clerk (clerks serve one or two judges); lawyers appear
across many cases with a few very busy ones; people have days and slots off; a share of hearings have a deadline
inside the week, a summons served only recently or not yet served. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

DEFAULT_WEEK = date(2026, 4, 27)  # Monday; Friday 1 May is Labour Day, so 4 working days


def slot_times(n: int) -> list[str]:
    """`n` half-hour slots from 08:30, with a lunch break from 12:00 to 14:00."""
    times, minutes = [], 8 * 60 + 30
    while len(times) < n:
        if minutes == 12 * 60:
            minutes = 14 * 60
        times.append(f"{minutes // 60:02d}:{minutes % 60:02d}")
        minutes += 30
    return times


def division_week(*, seed: int = 12, judges: int = 40, rooms: int = 15, hearings: int = 1000, days: int = 5,
                  slots: int = 16, week_start: date = DEFAULT_WEEK, online_rooms: int | None = None) -> dict:
    rnd = random.Random(seed)
    planned_on = week_start - timedelta(days=7)
    week = [week_start + timedelta(days=i) for i in range(days)]
    times = slot_times(slots)
    online = rooms // 3 if online_rooms is None else online_rooms
    room_list = [{"id": f"R{i + 1:02d}", "kind": "online" if i >= rooms - online else "physical"} for i in range(rooms)]
    judge_ids = [f"J{i + 1:02d}" for i in range(judges)]
    clerk_ids = [f"C{i + 1:02d}" for i in range(max(1, judges * 5 // 8))]
    lawyer_ids = [f"L{i + 1:03d}" for i in range(max(2, hearings // 4))]
    clerk_of = {j: clerk_ids[i % len(clerk_ids)] for i, j in enumerate(judge_ids)}
    # a few lawyers are busy: weight 1/rank
    lawyer_weights = [1 / (i + 1) ** 0.6 for i in range(len(lawyer_ids))]

    def off(rate_day: float, rate_slot: float) -> list[str]:
        out = []
        for day in week:
            if rnd.random() < rate_day:
                out.append(day.isoformat())
            elif rnd.random() < rate_slot:
                start = rnd.randrange(len(times))
                out += [f"{day}T{t}" for t in times[start:start + rnd.randint(1, 4)]]
        return out

    people = ([{"id": j, "name": f"法官{j}", "unavailable": off(0.08, 0.2)} for j in judge_ids]
              + [{"id": c, "name": f"书记员{c}", "unavailable": off(0.05, 0.1)} for c in clerk_ids]
              + [{"id": lw, "name": f"律师{lw}", "unavailable": off(0.1, 0.25)} for lw in lawyer_ids])
    out = []
    for n in range(hearings):
        judge = rnd.choice(judge_ids)
        members = [judge]
        if rnd.random() < 0.25:  # collegiate panel
            members += rnd.sample([j for j in judge_ids if j != judge], 2)
        members.append(clerk_of[judge])
        for lawyer in rnd.choices(lawyer_ids, weights=lawyer_weights, k=rnd.choice((0, 1, 1, 2, 2, 2))):
            if lawyer not in members:
                members.append(lawyer)
        r = rnd.random()
        served = None if r < 0.15 else (planned_on - timedelta(days=rnd.randint(0, 20))).isoformat()
        if 0.15 <= r < 0.22:  # served during the week: notice runs into it
            served = (week_start + timedelta(days=rnd.randint(-1, 2))).isoformat()
        not_after = (week_start + timedelta(days=rnd.randint(1, days - 1))).isoformat() if rnd.random() < 0.1 \
            else (week_start + timedelta(days=rnd.randint(30, 120))).isoformat()
        out.append({"id": f"H{n + 1:04d}", "people": members,
                    "room_kind": rnd.choices(("physical", "online", "any"), weights=(5, 3, 2))[0],
                    "slots_needed": rnd.choices((1, 2, 3, 4), weights=(60, 30, 7, 3))[0],
                    "not_before": (week_start - timedelta(days=rnd.randint(0, 40))).isoformat(),
                    "not_after": not_after, "served_on": served})
    return {"week_start": week_start.isoformat(), "days": days, "slots": times, "rooms": room_list,
            "people": people, "hearings": out, "planned_on": planned_on.isoformat()}
