"""The recorder that keeps CaseState (and the case row's status, procedure and closed_at) equal to the fold of
the journal, inside the transaction that appends each entry: if it fails, the entry is not written."""

from __future__ import annotations

from django.db import connection

from yunting.core.cases.models import Case
from yunting.kernel.common import rawsql
from yunting.kernel.common.timeutil import SHANGHAI

from . import entries, rules
from .models import CaseState


def _case_status(current: str, lifecycle: str) -> str:
    """The case row's status after the fold: closed when closed; in trial once assigned (a finer stage other
    workflows set, such as hearing scheduled, is kept); otherwise as it was."""
    if lifecycle == "closed":
        return "closed"
    if lifecycle in ("in_trial", "suspended") and current in ("registered", "closed"):
        return "in_trial"
    return current


def _lifecycle(row: CaseState | None) -> rules.Lifecycle:
    if row is None:
        return rules.Lifecycle()
    return rules.Lifecycle(status=row.status, procedure=row.procedure, judge=row.judge_id, judge_name=row.judge_name,
                           division=row.division_id, reason=row.reason, auto=row.auto, assigned_on=row.assigned_on,
                           outcome=row.outcome, closed_on=row.closed_on)


def state_record(entry, documents) -> None:
    if entry.kind in entries.KINDS:
        state_record_many([entry], [documents])


def state_record_many(journal_entries, documents_of) -> None:
    relevant = [e for e in journal_entries if e.kind in entries.KINDS]
    if not relevant:
        return
    case_ids = list(dict.fromkeys(e.case_id for e in relevant))
    existing = CaseState.objects.in_bulk(case_ids)
    states = {cid: _lifecycle(existing.get(cid)) for cid in case_ids}
    courts = {e.case_id: e.case.court_id for e in relevant}
    closed_at = {}
    for e in relevant:
        rules.fold_one(states[e.case_id], e.kind, e.payload or {}, e.recorded_at.astimezone(SHANGHAI).date())
        if e.kind == entries.CLOSED:
            closed_at[e.case_id] = e.recorded_at
    date_field = CaseState._meta.get_field("closed_on")

    def d(value):
        return date_field.get_db_prep_save(value, connection) if value is not None else None

    rows = [(st.status, st.procedure, st.division, st.judge, st.judge_name, st.reason, st.auto, d(st.assigned_on),
             st.outcome, d(st.closed_on), cid) for cid, st in states.items()]
    table = CaseState._meta.db_table
    with rawsql.cursor() as cur:  # the hot path of a 10,000-case assignment: plain executemany, no ORM
        new = [r for r in rows if r[-1] not in existing]
        if new:
            cur.executemany(f"INSERT INTO {table} (status, procedure, division_id, judge_id, judge_name, reason, auto,"
                            " assigned_on, outcome, closed_on, case_id, court_id)"
                            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            [(*r, courts[r[-1]]) for r in new])
        old = [r for r in rows if r[-1] in existing]
        if old:
            cur.executemany(f"UPDATE {table} SET status = %s, procedure = %s, division_id = %s, judge_id = %s,"
                            " judge_name = %s, reason = %s, auto = %s, assigned_on = %s, outcome = %s,"
                            " closed_on = %s WHERE case_id = %s", old)
    current = {e.case_id: e.case.status for e in relevant}
    rows = [[_case_status(current[cid], st.status), st.procedure or None, closed_at.get(cid), cid]
            for cid, st in states.items()]
    closed_field = Case._meta.get_field("closed_at")
    with rawsql.cursor() as cur:
        cur.executemany(
            "UPDATE cases_case SET status = %s, procedure = COALESCE(%s, procedure),"
            " closed_at = COALESCE(%s, closed_at) WHERE id = %s",
            [[s, p, closed_field.get_db_prep_save(c, connection) if c else None, cid] for s, p, c, cid in rows])
    for e in relevant:  # the caller's case object follows the row
        st = states[e.case_id]
        e.case.status = _case_status(current[e.case_id], st.status)
        if st.procedure:
            e.case.procedure = st.procedure
        if e.case_id in closed_at:
            e.case.closed_at = closed_at[e.case_id]
