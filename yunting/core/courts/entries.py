"""The entry kinds this app appends to case journals (payload keys fixed by the lifecycle contract)."""

from __future__ import annotations

ASSIGNED = "case.assigned"
# {"judge": user_id, "judge_name", "panel": [user_id…], "clerk": id|null, "assistant": id|null, "division": id,
#  "division_name", "procedure": simple|ordinary|small_claims|expedited, "reason", "auto": bool,
#  "previous_judge": id|null}
PROCEDURE_CHANGED = "case.procedure_changed"  # {"from", "to", "on": "YYYY-MM-DD", "reason"}
CLOSED = "case.closed"  # {"outcome", "closed_on": "YYYY-MM-DD", "document": sha256|null, "title"}

# read, written by clocks
SUSPENDED = "case.suspended"
RESUMED = "case.resumed"

KINDS = frozenset({ASSIGNED, PROCEDURE_CHANGED, CLOSED, SUSPENDED, RESUMED})


def assigned_grants(payload: dict) -> list[tuple[int, str]]:
    """The participations a `case.assigned` entry grants: (user_id, case role)."""
    out: list[tuple[int, str]] = []
    if payload.get("judge"):
        out.append((payload["judge"], "judge"))
    panel = payload.get("panel") or []
    for i, uid in enumerate(panel):
        out.append((uid, "presiding_judge" if i == 0 else "judge"))
    if payload.get("clerk"):
        out.append((payload["clerk"], "clerk"))
    if payload.get("assistant"):
        out.append((payload["assistant"], "judge_assistant"))
    return list(dict.fromkeys(out))
