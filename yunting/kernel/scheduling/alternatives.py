"""Other times a hearing could take in a plan, everything else staying put: the two or three slots the parties
vote on (issue 12) are the planned one plus these."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ValidationFailed

from .problem import parse


def alternatives(problem: dict, plan: dict, hearing, *, count: int = 3, planned_on: date | None = None) -> list[dict]:
    """Up to `count` places for `hearing` — its planned one first, then the earliest other starts (on distinct
    days when there are enough) where its people and a room of its kind are free, with the rest of `plan` kept.
    Raises ValidationFailed for a bad problem or a hearing id it does not contain."""
    parsed = parse(problem, planned_on=planned_on)
    target = next((h for h in parsed.hearings if h.id == hearing), None)
    if target is None:
        raise ValidationFailed(f"hearing：{_('unknown hearing id %(id)s') % {'id': hearing}}", code="schedule_invalid",
                               data={"field": "hearing"})
    S = parsed.S
    room_index = {r["id"]: i for i, r in enumerate(parsed.rooms)}
    slot_index = {s: i for i, s in enumerate(parsed.slots)}
    by_id = {h.id: h for h in parsed.hearings}
    people_busy, room_busy, own = set(), set(), None
    for item in plan.get("placed", []):
        h = by_id.get(item["hearing"])
        day = (date.fromisoformat(item["date"]) - parsed.week_start).days
        t = day * S + slot_index[item["slot"]]
        if h is target:
            own = {"date": item["date"], "slot": item["slot"], "room": item["room"]}
            continue
        for x in range(t, t + h.k):
            room_busy.add((room_index[item["room"]], x))
            people_busy.update((p, x) for p in h.people)
    found = [own] if own else []
    spare = []
    for t in target.starts:
        span = range(t, t + target.k)
        if any((p, x) in people_busy for p in target.people for x in span):
            continue
        room = next((r for r in target.rooms if not any((r, x) in room_busy for x in span)), None)
        if room is None:
            continue
        place = {"date": parsed.day(t // S).isoformat(), "slot": parsed.slots[t % S], "room": parsed.rooms[room]["id"]}
        if own and (place["date"], place["slot"]) == (own["date"], own["slot"]):
            continue
        (spare if any(f["date"] == place["date"] for f in found) else found).append(place)
        if len(found) >= count:
            return found
    return (found + spare)[:count]
