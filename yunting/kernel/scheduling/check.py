"""An independent check of a plan against the problem: every rule re-read from the raw JSON, without the
solvers' precomputed starts, so a bug there cannot hide here. Used by the tests, the bench and a court that wants
to audit a plan it edited by hand. Messages are Chinese, for the people who audit plans.
"""

from __future__ import annotations

from datetime import date, timedelta

from yunting.kernel.calendar import is_rest_day

from .problem import NOTICE_DAYS, SERVICE_DAYS, parse


def check_plan(problem: dict, plan: dict, *, planned_on: date | None = None) -> list[str]:
    """Every violated constraint of `plan` for `problem`, one line each; empty when the plan is valid.
    Raises ValidationFailed when the problem itself is invalid."""
    parsed = parse(problem, planned_on=planned_on)  # validation only; the rules below are re-read from the JSON
    planned_on = parsed.planned_on
    errors: list[str] = []
    week_start = date.fromisoformat(problem["week_start"])
    week_end = week_start + timedelta(days=problem["days"])
    slots = problem["slots"]
    rooms = {r["id"]: r["kind"] for r in problem["rooms"]}
    unavailable = {p["id"]: set(p.get("unavailable") or []) for p in problem["people"]}
    hearings = {h["id"]: h for h in problem["hearings"]}
    seen: dict = {}
    room_use: dict = {}
    person_use: dict = {}
    for n, item in enumerate(plan.get("placed", [])):
        hid = item.get("hearing")
        where = f"placed[{n}]（{hid}）"
        if hid not in hearings:
            errors.append(f"{where}：问题中没有这个庭审")
            continue
        if hid in seen:
            errors.append(f"{where}：同一庭审被排了两次")
            continue
        seen[hid] = True
        h = hearings[hid]
        try:
            day = date.fromisoformat(item.get("date", ""))
        except (TypeError, ValueError):
            errors.append(f"{where}：日期无效 {item.get('date')!r}")
            continue
        if item.get("slot") not in slots:
            errors.append(f"{where}：时段 {item.get('slot')!r} 不在时段表中")
            continue
        first = slots.index(item["slot"])
        k = h["slots_needed"]
        if first + k > len(slots):
            errors.append(f"{where}：需要连续 {k} 个时段，从 {item['slot']} 起超出当日")
        taken = slots[first:first + k]
        if first + k <= len(slots) and not parsed.fits(first, k):
            errors.append(f"{where}：从 {item['slot']} 起的连续 {k} 个时段跨越了休息时间")
        if not week_start <= day < week_end:
            errors.append(f"{where}：{day} 不在本周 {week_start} 起 {problem['days']} 日内")
        if is_rest_day(day):
            errors.append(f"{where}：{day} 不是工作日")
        if h.get("not_before") and day < date.fromisoformat(h["not_before"]):
            errors.append(f"{where}：早于 not_before {h['not_before']}")
        if h.get("not_after") and day > date.fromisoformat(h["not_after"]):
            errors.append(f"{where}：晚于 not_after {h['not_after']}（不在期限内）")
        if day < planned_on:
            errors.append(f"{where}：早于规划日 {planned_on}")
        served = date.fromisoformat(h["served_on"]) if h.get("served_on") else planned_on + timedelta(
            days=SERVICE_DAYS)
        if (day - served).days < NOTICE_DAYS:
            errors.append(f"{where}：送达（{served}）至开庭不足 {NOTICE_DAYS} 日")
        room = item.get("room")
        if room not in rooms:
            errors.append(f"{where}：没有法庭 {room!r}")
        elif h["room_kind"] != "any" and rooms[room] != h["room_kind"]:
            errors.append(f"{where}：法庭 {room} 是 {rooms[room]}，庭审需要 {h['room_kind']}")
        for slot in taken:
            key = (room, day, slot)
            if key in room_use:
                errors.append(f"{where}：法庭 {room} 在 {day} {slot} 已被 {room_use[key]} 占用")
            room_use[key] = hid
            for person in dict.fromkeys(h["people"]):
                pkey = (person, day, slot)
                if pkey in person_use:
                    errors.append(f"{where}：{person} 在 {day} {slot} 已参加 {person_use[pkey]}")
                person_use[pkey] = hid
                if day.isoformat() in unavailable[person] or f"{day}T{slot}" in unavailable[person]:
                    errors.append(f"{where}：{person} 在 {day} {slot} 不可用")
    unplaced = [u.get("hearing") for u in plan.get("unplaced", [])]
    for hid in unplaced:
        if hid in seen:
            errors.append(f"{hid}：既已排入又列为未排")
        if hid not in hearings:
            errors.append(f"unplaced：问题中没有庭审 {hid}")
    for u in plan.get("unplaced", []):
        if not u.get("reason"):
            errors.append(f"{u.get('hearing')}：未排但没有原因")
    for hid in hearings:
        if hid not in seen and hid not in unplaced:
            errors.append(f"{hid}：既未排入也未说明原因")
    return errors
