"""Writes of the clocks: the acts that stop, exclude, lengthen and start clocks (each one journal entry), the court's
declared closures, the stored index of deadlines (kept in step with the journal) and the daily digest."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, CaseAccess
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Case, Party
from yunting.core.journal.models import JournalEntry
from yunting.core.journal.services import journal_append
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.kernel.calendar.periods import PERIODS
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import rules
from .models import CourtClosure, Deadline, Digest
from .selectors import (
    JUDGE_ROLES,
    case_clock,
    closures_by_court,
    may_decide_extension,
    warnings_for,
)

log = logging.getLogger(__name__)
EXCLUDED_KINDS = ("public_notice", "appraisal", "settlement", "jurisdiction_objection")
SERVED_KINDS = ("complaint", "fee_notice", "judgment", "ruling", "summons", "other")
SERVICE_ROLES = frozenset({CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT, CaseRole.CLERK,
                           CaseRole.SERVICE_OFFICER})


# --- checks ---------------------------------------------------------------------------------------------------------
def _day(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="clocks_bad_date", data={"field": field}) from None


def _in_case_time(case: Case, day: date, field: str) -> date:
    registered = case.registered_at.astimezone(SHANGHAI).date()
    if day < registered:
        raise ValidationFailed(_("The date cannot be before the case was registered (%(day)s).")
                               % {"day": registered.isoformat()}, code="clocks_before_registration",
                               data={"field": field})
    if day > shanghai_today():
        raise ValidationFailed(_("The date cannot be in the future."), code="clocks_future_date", data={"field": field})
    return day


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason."), code="clocks_reason_required", data={"field": "reason"})
    return reason[:500]


def _judge(access: CaseAccess) -> None:
    """Only the case's judge (or presiding judge) moves its trial clock."""
    if not access.can(Capability.WRITE_JOURNAL) or not (access.roles & set(JUDGE_ROLES)):
        raise PermissionDenied(_("Only the judge of this case can do this."), code="clocks_not_judge")


def _open(case: Case, clock) -> None:
    if clock.closed_on:
        raise Conflict(_("The case is closed; its trial period no longer runs."), code="clocks_case_closed")


# --- suspension, exclusion, extension ------------------------------------------------------------------------------
@transaction.atomic
def case_suspend(*, access: CaseAccess, actor, on, reason: str) -> JournalEntry:
    """中止诉讼 (CPL art 153): the trial clock stops from `on` until resumption."""
    _judge(access)
    case = access.case
    day = _in_case_time(case, _day(on, "on"), "on")
    clock, _served, _notices = case_clock(case)
    _open(case, clock)
    if clock.suspended_on:
        raise Conflict(_("The case is already suspended (since %(day)s).") % {"day": clock.suspended_on.isoformat()},
                       code="clocks_already_suspended")
    return journal_append(case=case, kind=rules.SUSPENDED, actor=actor,
                          payload={"on": day.isoformat(), "reason": _reason(reason)})


@transaction.atomic
def case_resume(*, access: CaseAccess, actor, on) -> JournalEntry:
    """恢复诉讼: the trial clock runs again from `on` (the days from suspension to the day before do not count)."""
    _judge(access)
    case = access.case
    day = _in_case_time(case, _day(on, "on"), "on")
    clock, _served, _notices = case_clock(case)
    if not clock.suspended_on:
        raise Conflict(_("The case is not suspended."), code="clocks_not_suspended")
    if day < clock.suspended_on:
        raise ValidationFailed(_("Resumption cannot be before the suspension (%(day)s).")
                               % {"day": clock.suspended_on.isoformat()}, code="clocks_resume_before_suspension",
                               data={"field": "on"})
    return journal_append(case=case, kind=rules.RESUMED, actor=actor, payload={"on": day.isoformat()})


@transaction.atomic
def case_exclude_period(*, access: CaseAccess, actor, kind: str, start, end) -> JournalEntry:
    """Record an interval the trial period does not count (公告, 鉴定, 和解, jurisdiction objection; CPLI art 243)."""
    _judge(access)
    case = access.case
    if kind not in EXCLUDED_KINDS:
        raise ValidationFailed(_("Choose what the excluded interval was for."), code="clocks_excluded_kind",
                               data={"field": "kind", "allowed": list(EXCLUDED_KINDS)})
    first = _day(start, "start")
    last = _day(end, "end")
    registered = case.registered_at.astimezone(SHANGHAI).date()
    if first < registered:
        raise ValidationFailed(_("The date cannot be before the case was registered (%(day)s).")
                               % {"day": registered.isoformat()}, code="clocks_before_registration",
                               data={"field": "start"})
    if last < first:
        raise ValidationFailed(_("The interval ends before it starts."), code="clocks_interval_backwards",
                               data={"field": "end"})
    clock, _served, _notices = case_clock(case)
    _open(case, clock)
    return journal_append(case=case, kind=rules.PERIOD_EXCLUDED, actor=actor,
                          payload={"kind": kind, "start": first.isoformat(), "end": last.isoformat()})


def _trial_kind(case: Case, clock) -> str:
    kind = rules.trial_kind(case.case_type_id, clock.procedure)
    if kind is None:
        raise Conflict(_("This case has no trial period to extend."), code="clocks_no_trial_period")
    return kind


@transaction.atomic
def case_extension_request(*, access: CaseAccess, actor, months, reason: str) -> JournalEntry:
    """延长审限 requested by the judge; the division head or the president decides (rules.extension_rule)."""
    _judge(access)
    case = access.case
    clock, _served, _notices = case_clock(case)
    _open(case, clock)
    kind = _trial_kind(case, clock)
    cap, _president = rules.extension_rule(kind)
    left = cap - clock.extension_months
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if left <= 0:
        raise Conflict(_("The trial period cannot be extended further by this court."), code="clocks_extension_cap")
    if not 1 <= months <= left:
        raise ValidationFailed(_("An extension here is 1 to %(n)s months.") % {"n": left},
                               code="clocks_extension_months", data={"field": "months", "max": left})
    if clock.pending_extension:
        raise Conflict(_("An extension request is already waiting for a decision."), code="clocks_extension_pending")
    return journal_append(case=case, kind=rules.EXTENSION_REQUESTED, actor=actor,
                          payload={"months": months, "reason": _reason(reason)})


def can_decide_extension(user, case: Case) -> bool:
    clock, _served, _notices = case_clock(case)
    kind = rules.trial_kind(case.case_type_id, clock.procedure)
    if kind is None or not clock.pending_extension:
        return False
    _cap, president_only = rules.extension_rule(kind)
    return may_decide_extension(user, case, president_only=president_only)


@transaction.atomic
def case_extension_decide(*, case: Case, actor, approved: bool, months=None, reason: str) -> JournalEntry:
    """The division head (simple procedure, small claims) or the president (ordinary, appeal, commutation) approves
    or refuses the pending request; an approval may grant fewer months than asked."""
    clock, _served, _notices = case_clock(case)
    if not clock.pending_extension:
        raise Conflict(_("There is no extension request waiting for a decision."), code="clocks_no_extension_pending")
    kind = _trial_kind(case, clock)
    _cap, president_only = rules.extension_rule(kind)
    if not may_decide_extension(actor, case, president_only=president_only):
        who = _("the president") if president_only else _("the division head or the president")
        raise PermissionDenied(_("Only %(who)s can decide this extension.") % {"who": who},
                               code="clocks_not_approver")
    asked = int(clock.pending_extension["months"] or 0)
    granted = asked if months in (None, "") else months
    try:
        granted = int(granted)
    except (TypeError, ValueError):
        granted = 0
    if approved and not 1 <= granted <= asked:
        raise ValidationFailed(_("Grant 1 to %(n)s months.") % {"n": asked}, code="clocks_extension_months",
                               data={"field": "months", "max": asked})
    return journal_append(case=case, kind=rules.EXTENSION_DECIDED, actor=actor,
                          payload={"approved": bool(approved), "months": granted if approved else 0,
                                   "reason": _reason(reason)})


# --- service (until the centralised service capability appends it) --------------------------------------------------
def can_register_service(access: CaseAccess, user) -> bool:
    if not access.can(Capability.WRITE_JOURNAL):
        return False
    if access.roles & SERVICE_ROLES:
        return True
    return Membership.objects.filter(user=user, organisation_id=access.case.court_id,
                                     role=Role.SERVICE_OFFICER).exists()


@transaction.atomic
def service_register(*, access: CaseAccess, actor, document_kind: str, served_on, party_id=None,
                     foreign: bool = False) -> JournalEntry:
    """登记送达: a document was served on a party on a day; the periods that run from service start."""
    if not can_register_service(access, actor):
        raise PermissionDenied(_("Only the court staff of this case can register service."),
                               code="clocks_not_service_staff")
    case = access.case
    if document_kind not in SERVED_KINDS:
        raise ValidationFailed(_("Choose the document that was served."), code="clocks_document_kind",
                               data={"field": "document_kind", "allowed": list(SERVED_KINDS)})
    day = _in_case_time(case, _day(served_on, "served_on"), "served_on")
    party = None
    if party_id not in (None, ""):
        try:
            party = Party.objects.filter(case=case, pk=int(party_id)).first()
        except (TypeError, ValueError):
            party = None
        if party is None:
            raise ValidationFailed(_("That party is not in this case."), code="clocks_party",
                                   data={"field": "party_id"})
    return journal_append(case=case, kind=rules.SERVICE_COMPLETED, actor=actor, payload={
        "document_kind": document_kind, "served_on": day.isoformat(), "party_id": party.pk if party else None,
        "foreign": bool(foreign)})


# --- court closures -------------------------------------------------------------------------------------------------
def _court_admin(user, court) -> None:
    if not Membership.objects.filter(user=user, organisation=court, role=Role.COURT_ADMIN).exists():
        raise PermissionDenied(_("Only the court's administrator can change its working calendar."),
                               code="clocks_not_court_admin")


@transaction.atomic
def closure_declare(*, court, actor, day, reason: str) -> CourtClosure:
    """Declare a day closed: every open deadline of the court that ends on it moves to the next working day."""
    _court_admin(actor, court)
    day = _day(day, "day")
    reason = _reason(reason)
    if CourtClosure.objects.filter(court=court, day=day).exists():
        raise Conflict(_("That day is already declared closed."), code="clocks_closure_exists")
    closure = CourtClosure.objects.create(court=court, day=day, reason=reason, created_by=actor)
    transaction.on_commit(lambda: clocks_refresh_court(court.pk))
    return closure


@transaction.atomic
def closure_remove(*, court, actor, closure_id) -> None:
    _court_admin(actor, court)
    pk = int(closure_id) if str(closure_id).isdigit() else 0
    deleted, _rows = CourtClosure.objects.filter(court=court, pk=pk).delete()
    if not deleted:
        raise ValidationFailed(_("No such closure."), code="clocks_no_closure")
    transaction.on_commit(lambda: clocks_refresh_court(court.pk))


# --- the stored index ------------------------------------------------------------------------------------------------
def clocks_record(entry, documents) -> None:
    """Journal recorder: a relevant entry recomputes its case's stored deadlines in the same transaction. A failure
    here is logged and never refuses the entry (the daily recompute repairs the index)."""
    if entry.kind in rules.RELEVANT_KINDS:
        _refresh_safely([entry.case_id])


def clocks_record_many(entries, documents) -> None:
    relevant = {e.case_id for e in entries if e.kind in rules.RELEVANT_KINDS}
    held = _journals_held_whole(entries, relevant)
    if held:
        _refresh_safely(sorted(held), held=held)
    ids = sorted(relevant - held.keys())
    for start in range(0, len(ids), 2000):
        _refresh_safely(ids[start:start + 2000])


def _journals_held_whole(entries, case_ids) -> dict[int, list]:
    """{case id: its entries} for the cases whose whole journal is among `entries` (from seq 1 on, none missing):
    new cases, as 一键立案 opens them. Their deadlines follow from these entries and the case row in hand, so
    they are not read back from what this transaction has just written (under a write-behind, a wait for
    every queued insert, in the middle of each chunk)."""
    own: dict[int, list] = defaultdict(list)
    for entry in entries:
        if entry.case_id in case_ids:
            own[entry.case_id].append(entry)
    return {case_id: items for case_id, items in own.items()
            if [e.seq for e in items] == list(range(1, len(items) + 1))}


def _refresh_safely(case_ids, *, held: dict[int, list] | None = None) -> None:
    try:
        with transaction.atomic():
            if held is None:
                clocks_refresh(case_ids)
            else:
                _refresh_held(held)
    except Exception:
        log.exception("clocks: could not refresh deadlines of cases %s", case_ids[:10])


def _shanghai_date(value) -> date | None:
    """A stored UTC timestamp as the Shanghai date (UTC+8, no summer time): SQLite gives ISO text, PostgreSQL an
    aware datetime. Text is read without building a datetime: 16:00 UTC or later is the next day in Shanghai."""
    if value is None:
        return None
    if isinstance(value, str):
        day = date.fromisoformat(value[:10])
        return day + timedelta(days=1) if int(value[11:13] or 0) >= 16 else day
    return value.astimezone(SHANGHAI).date()


def _in_list(ids) -> str:
    return ", ".join(["%s"] * len(ids))


def clocks_refresh(case_ids, *, today: date | None = None) -> int:
    """Recompute and store the deadlines of these cases from their journals; returns how many rows were written.

    Read and written on the driver's cursor (the index is rebuilt for 100,000 cases at a time); cases without
    any clock entry share their fold with every case of the same type, procedure, court and registration day."""
    from yunting.kernel.common import rawsql

    today = today or shanghai_today()
    ids = list(case_ids)
    if not ids:
        return 0
    kinds = sorted(rules.RELEVANT_KINDS - {rules.REGISTERED})  # the case row carries the registered procedure
    from django.db import connection

    # on SQLite, timestamps as the stored text (no datetime built per row only to take its date)
    text = "CAST({} AS TEXT)" if connection.vendor == "sqlite" else "{}"
    with rawsql.cursor() as cur:
        cases = cur.execute(
            f"SELECT id, court_id, {text.format('registered_at')}, procedure, case_type_id,"
            f" {text.format('closed_at')} FROM {Case._meta.db_table} WHERE id IN ({_in_list(ids)})", ids).fetchall()
        found = cur.execute(
            f"SELECT case_id, kind, payload, {text.format('recorded_at')} FROM {JournalEntry._meta.db_table}"
            f" WHERE case_id IN ({_in_list(ids)}) AND kind IN ({_in_list(kinds)}) ORDER BY case_id, seq",
            [*ids, *kinds]).fetchall()
    if not cases:
        return 0
    rows = _rows(cases, found, closures_by_court({c[1] for c in cases}), today)
    _replace_rows(ids, rows)
    return len(rows)


def _refresh_held(held: dict[int, list]) -> None:
    """clocks_refresh for cases whose whole journal is in hand (`_journals_held_whole`): the case rows and entries
    taken from the instances, the court's closures read beside the queue, the rows replaced by writes alone."""
    from django.db import connection

    from yunting.kernel.common import rawsql, write_behind

    kinds = rules.RELEVANT_KINDS - {rules.REGISTERED}
    cases, found = [], []
    for case_id, items in held.items():
        case = items[0].case
        cases.append((case_id, case.court_id, case.registered_at, case.procedure, case.case_type_id, case.closed_at))
        found += [(case_id, e.kind, e.payload, e.recorded_at) for e in items if e.kind in kinds]
    court_ids = {c[1] for c in cases}
    wb = write_behind.active(connection)
    if wb is None:
        closures = closures_by_court(court_ids)
    else:  # nothing in this transaction writes closures: the committed ones, without waiting for the queue
        closures = _closures_beside(wb, court_ids)
    rows = _rows(cases, found, closures, shanghai_today())
    ids = list(held)
    table = Deadline._meta.db_table
    with rawsql.cursor() as cur:
        for start in range(0, len(ids), 2000):  # none are expected (a new case), but none may stay either
            part = ids[start:start + 2000]
            cur.execute(f"DELETE FROM {table} WHERE case_id IN ({_in_list(part)})", part)
    _insert_rows(rows)


def _closures_beside(wb, court_ids) -> dict[int, frozenset[date]]:
    key = ("clocks.closures", frozenset(court_ids))
    if key not in wb.kept:
        out: dict[int, set] = defaultdict(set)
        for closure in wb.read_beside(CourtClosure, "court_id = ANY(%s)", [sorted(court_ids)]):
            out[closure.court_id].add(closure.day)
        wb.kept[key] = {cid: frozenset(days) for cid, days in out.items()}
    return wb.kept[key]


def _rows(cases: list[tuple], found: list[tuple], closures: dict[int, frozenset[date]], today: date) -> list[tuple]:
    """The index rows of `cases` ((id, court, registered at, procedure, type, closed at)) from their clock entries
    `found` ((case id, kind, payload, recorded at), in journal order)."""
    entries: dict[int, list[rules.Entry]] = defaultdict(list)
    served_cases = set()
    for case_id, kind, payload, at in found:
        if isinstance(payload, str):
            payload = json.loads(payload)
        entries[case_id].append(rules.Entry(kind, payload or {}, _shanghai_date(at)))
        if kind == rules.SERVICE_COMPLETED:
            served_cases.add(case_id)
    parties: dict[int, dict] = defaultdict(dict)
    if served_cases:
        for case_id, pk, name in Party.objects.filter(case_id__in=served_cases).values_list("case_id", "pk", "name"):
            parties[case_id][pk] = name
    rows: list[tuple] = []
    shared: dict[tuple, list] = {}
    for pk, court_id, registered_at, procedure, type_code, closed_at in cases:
        registered_on, closed_on = _shanghai_date(registered_at), _shanghai_date(closed_at)
        own = entries.get(pk)
        key = (type_code, procedure, registered_on, closed_on, court_id)
        items = None if own else shared.get(key)
        if items is None:
            facts = rules.CaseFacts(registered_on=registered_on, procedure=procedure, type_code=type_code,
                                    closed_on=closed_on, parties=parties.get(pk, {}))
            items = [(i.key, i.kind, i.label[:100], i.starts_on, i.due, i.state, i.court_duty, i.basis[:200],
                      i.excluded_days, i.extension_months, i.provisional, i.party_id, i.party_name[:200],
                      i.note[:200], i.pending_extension)
                     for i in rules.fold(facts, own or (), today=today, explain=False,
                                         closures=closures.get(court_id, frozenset()))]
            if not own:
                shared[key] = items
        rows.extend((pk, court_id, *item) for item in items)
    return rows


_COLUMNS = ("case_id", "court_id", "key", "kind", "label", "starts_on", "due", "state", "court_duty", "basis",
            "excluded_days", "extension_months", "provisional", "party_id", "party_name", "note", "pending_extension")
_BOOLS = {_COLUMNS.index("court_duty"), _COLUMNS.index("provisional")}  # SQLite hands booleans back as 0/1


def _replace_rows(case_ids: list[int], rows: list[tuple]) -> None:
    """Bring the cases' stored deadlines to `rows`, on the driver's cursor: rows that did not change stay, the
    others are deleted and inserted. The index is rebuilt for 100,000 cases at a time, where the ORM's per-value
    compilation would cost more than the database does, and on most days almost nothing changes."""
    from django.db import connection

    from yunting.kernel.common import rawsql

    table = Deadline._meta.db_table
    sqlite = connection.vendor == "sqlite"
    if sqlite:  # sqlite3 stores dates as ISO text, as Django's DateField does
        rows = [(*r[:5], r[5].isoformat(), r[6].isoformat(), *r[7:]) for r in rows]
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    dates = "CAST(starts_on AS TEXT), CAST(due AS TEXT)" if sqlite else "starts_on, due"
    select = columns.replace(f"{connection.ops.quote_name('starts_on')}, {connection.ops.quote_name('due')}", dates)
    with rawsql.cursor() as cur:
        stored: dict[tuple, int] = {}
        for start in range(0, len(case_ids), 2000):
            part = case_ids[start:start + 2000]
            for pk, *values in cur.execute(f"SELECT id, {select} FROM {table} WHERE case_id IN ({_in_list(part)})",
                                           part).fetchall():
                stored[tuple(bool(v) if i in _BOOLS else v for i, v in enumerate(values))] = pk
        fresh = [r for r in rows if stored.pop(r, None) is None]
        gone = list(stored.values())
        for start in range(0, len(gone), 2000):
            part = gone[start:start + 2000]
            cur.execute(f"DELETE FROM {table} WHERE id IN ({_in_list(part)})", part)
    _insert_rows(fresh, dated=True)


def _insert_rows(rows: list[tuple], *, dated: bool = False) -> None:
    """PostgreSQL streams the new rows with COPY (a new case's deadlines: 10,000 rows a one-click batch).
    `dated`: the dates are already ISO text for SQLite."""
    from django.db import connection

    from yunting.kernel.common import rawsql

    if not rows:
        return
    table = Deadline._meta.db_table
    if connection.vendor == "sqlite" and not dated:
        rows = [(*r[:5], r[5].isoformat(), r[6].isoformat(), *r[7:]) for r in rows]
    with rawsql.cursor() as cur:
        if not cur.copy_in(table, [connection.ops.quote_name(c) for c in _COLUMNS], rows):
            columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})", rows)


def clocks_recompute(*, case_ids=None, chunk: int = 5000, only_open: bool = True) -> int:
    """Rebuild the index for these cases (all open cases when None): after an update of the official calendar
    (provisional years become final), a court closure, or a repair. Returns the rows written."""
    if case_ids is None:
        qs = Case.objects.all()
        if only_open:
            qs = qs.filter(closed_at__isnull=True)
        case_ids = qs.order_by("pk").values_list("pk", flat=True)
    ids = list(case_ids)
    today = shanghai_today()
    written = 0
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            written += clocks_refresh(ids[start:start + chunk], today=today)
    return written


def clocks_refresh_court(court_id: int) -> int:
    return clocks_recompute(case_ids=Case.objects.filter(court_id=court_id, closed_at__isnull=True)
                            .values_list("pk", flat=True))


# --- the daily digest -----------------------------------------------------------------------------------------------
DIGEST_MAX = 200
DIGEST_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT, CaseRole.CLERK)


def digest_send(*, today: date | None = None) -> int:
    """(In the court's language, whatever the calling thread last served.)"""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _digest_send(today=today)


def _digest_send(*, today: date | None = None) -> int:
    """Each judge, assistant, clerk, division head and president with cases due within 3 working days or
    overdue gets one digest a day in the in-app inbox, and an SMS when YUNTING_DEADLINE_DIGEST_SMS is on and
    they have a phone. Idempotent per (person, day). Returns how many were sent."""
    from yunting.core.cases.models import Participation
    from yunting.core.people.models import User

    from .selectors import DIVISION_HEAD, PRESIDENT

    today = today or shanghai_today()
    watched = set(Deadline.objects.filter(state=rules.RUNNING).values_list("case_id", flat=True).distinct())
    users = set(Participation.objects.filter(case_id__in=watched, role__in=DIGEST_ROLES)
                .values_list("user_id", flat=True))
    from yunting.core.courts.models import StaffPost

    users |= set(StaffPost.objects.filter(role__in=(DIVISION_HEAD, PRESIDENT), active=True)
                 .values_list("user_id", flat=True))
    done = set(Digest.objects.filter(day=today).values_list("user_id", flat=True))
    sent = 0
    for user in User.objects.filter(pk__in=users - done, is_active=True).order_by("pk"):
        seen, items = set(), []
        for scope in ("mine", "led"):
            for w in warnings_for(user, scope=scope, today=today):
                if (w.case.pk, w.deadline.key) in seen:
                    continue
                seen.add((w.case.pk, w.deadline.key))
                items.append({"case_id": w.case.pk, "number": w.case.number, "label": w.deadline.label,
                              "due": w.deadline.due.isoformat(), "status": w.deadline.status})
        if not items:
            continue
        overdue = sum(1 for i in items if i["status"] == "overdue")
        with transaction.atomic():  # the counts are complete; the list keeps the most pressing DIGEST_MAX
            digest, created = Digest.objects.get_or_create(user=user, day=today, defaults={
                "items": items[:DIGEST_MAX], "overdue": overdue, "near": len(items) - overdue})
            if created and getattr(settings, "DEADLINE_DIGEST_SMS", False) and user.phone:
                from yunting.kernel.notify.services import outbox_enqueue

                outbox_enqueue(phone=user.phone, purpose="clocks:digest",
                               body=f"【云庭】{today.isoformat()} 期限提醒：{len(items) - overdue} 件即将到期，"
                                    f"{overdue} 件已超期，请登录查看。")
        sent += created
    return sent


def digest_mark_read(*, digest: Digest) -> None:
    if digest.read_at is None:
        Digest.objects.filter(pk=digest.pk).update(read_at=timezone.now())


def clocks_stale_case_ids() -> list[int]:
    """Cases to recompute without a new entry: a suspended clock moves with the days, and a provisional deadline
    (counted on weekends only) becomes final once the installed `chinesecalendar` publishes its year."""
    from django.db.models import Q

    from yunting.kernel.calendar import official_last_year

    return sorted(set(Deadline.objects.filter(Q(state=rules.SUSPENDED_STATE)
                                              | Q(provisional=True, due__year__lte=official_last_year()))
                      .values_list("case_id", flat=True)))


def clocks_daily() -> int:
    """The periodic job: recompute what moves by itself (clocks_stale_case_ids), then today's digests (once)."""
    stale = clocks_stale_case_ids()
    if stale:
        clocks_recompute(case_ids=stale)
    return digest_send()


assert all(k in PERIODS for k in ("fee-payment", "answer", "appeal-judgment"))
