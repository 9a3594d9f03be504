"""A case's deadlines, folded from its journal. Pure: facts and entries in, deadline items out — no ORM, so the
same fold serves the case page, the API, the stored index and the 100,000-case recompute.

What runs from what (DOMAIN.md "Time limits"):
- trial period (审限) from registration (立案), by procedure; a change of procedure (简易→普通, 小额→简易/普通)
  keeps counting from registration (CPLI arts 258, 280); suspension (中止, from its day to the day before
  resumption) and the excluded intervals (公告, 鉴定, 和解, jurisdiction objection) do not count; approved
  extensions lengthen it; closure ends it;
- answer and evidence periods from service of the complaint on each party (30 days with no domicile in China);
- fee payment, 7 days from service of the fee notice (until service exists: from the notice's issue);
  ends when paid, waived or deferred, or the case closes;
- appeal period from service of the judgment (15 days) or an appealable ruling (10), each party (30 foreign).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from yunting.kernel.calendar.periods import PERIODS, Interval, compute

# entry kinds (the contract in LIFECYCLE-CONTRACT.md); clocks appends the first seven
SUSPENDED = "case.suspended"
RESUMED = "case.resumed"
PERIOD_EXCLUDED = "case.period_excluded"
EXTENSION_REQUESTED = "case.extension_requested"
EXTENSION_DECIDED = "case.extension_decided"
SERVICE_COMPLETED = "service.completed"
# read from others
REGISTERED = "case.registered"
ASSIGNED = "case.assigned"
PROCEDURE_CHANGED = "case.procedure_changed"
CLOSED = "case.closed"
STATUS_CHANGED = "case.status_changed"
FEE_NOTICE_ISSUED = "fee.notice_issued"
FEE_PAID = "fee.paid"
FEE_RELIEF_DECIDED = "fee.relief_decided"
FILING_NOTICE_ISSUED = "filing.notice_issued"
JUDGMENT_PRONOUNCED = "judgment.pronounced"  # workflows/transcripts: pronounced in court → send within 10 days
TRANSCRIPT_REVIEW_STARTED = "transcripts.review_started"  # the participants' period to read the transcript
TRANSCRIPT_COMPLETED = "transcripts.completed"

# workflows/mediation's limits (OMR arts 10, 12, 24; SJC): read from its entries on the 民诉前调 and 民特 cases
MEDIATION_SUBMITTED = "mediation.submitted"
MEDIATION_ASSIGNED = "mediation.assigned"
MEDIATION_DECLINED = "mediation.assignment_declined"
MEDIATION_ACCEPTED = "mediation.assignment_accepted"
MEDIATION_ENDED = frozenset({"mediation.agreed", "mediation.failed", "mediation.withdrawn"})
CONFIRMATION_APPLIED = "mediation.confirmation_applied"
CONFIRMATION_RULED = "mediation.confirmation_ruled"
MEDIATION_KINDS = frozenset({MEDIATION_SUBMITTED, MEDIATION_ASSIGNED, MEDIATION_DECLINED, MEDIATION_ACCEPTED,
                             CONFIRMATION_APPLIED, CONFIRMATION_RULED, *MEDIATION_ENDED})

RELEVANT_KINDS = frozenset({
    SUSPENDED, RESUMED, PERIOD_EXCLUDED, EXTENSION_REQUESTED, EXTENSION_DECIDED, SERVICE_COMPLETED, REGISTERED,
    ASSIGNED, PROCEDURE_CHANGED, CLOSED, STATUS_CHANGED, FEE_NOTICE_ISSUED, FEE_PAID, FEE_RELIEF_DECIDED,
    FILING_NOTICE_ISSUED, *MEDIATION_KINDS, JUDGMENT_PRONOUNCED, TRANSCRIPT_REVIEW_STARTED, TRANSCRIPT_COMPLETED,
})

TRIAL_BY_PROCEDURE = {
    "ordinary": "trial-ordinary", "simple": "trial-simple", "expedited": "trial-simple",
    "small_claims": "trial-small-claims", "second_instance": "trial-appeal-judgment", "special": "trial-special",
    "sentence_change": "commutation-decide",
}
TRIAL_BY_TYPE = {"民终": "trial-appeal-judgment", "民特": "trial-special", "刑更": "commutation-decide"}
TRIAL_TYPES = frozenset({"民初", "民终", "民特", "刑更", "行初"})
EVIDENCE_BY_TRIAL = {"trial-ordinary": "evidence-ordinary", "trial-simple": "evidence-simple",
                     "trial-small-claims": "evidence-small-claims", "trial-appeal-judgment": "evidence-appeal"}
# extension months allowed in total, and who may approve (CPL arts 152, 164, 168; CPLI art 258)
EXTENSION_CAP = {"trial-ordinary": 6, "trial-simple": 1, "trial-small-claims": 1, "trial-appeal-judgment": 3,
                 "commutation-decide": 1}
PRESIDENT_ONLY = frozenset({"trial-ordinary", "trial-appeal-judgment", "commutation-decide"})

# states kept in the index; "near" / "overdue" / "expired" are read off a running item against today
RUNNING, SUSPENDED_STATE, DONE = "running", "suspended", "done"


@dataclass(frozen=True)
class Entry:
    kind: str
    payload: dict
    on: date  # the Shanghai date it was recorded


@dataclass(frozen=True)
class CaseFacts:
    registered_on: date
    procedure: str
    type_code: str
    closed_on: date | None = None
    parties: dict = field(default_factory=dict)  # party id → name


@dataclass
class Item:
    key: str  # stable within the case: trial, answer:12, fee:acceptance, appeal:judgment:12 …
    kind: str
    label: str
    starts_on: date
    due: date
    basis: str
    state: str = RUNNING
    court_duty: bool = False  # the court's own clock (overdue is a breach), not a party's period (expires)
    excluded_days: int = 0
    extension_months: int = 0
    provisional: bool = False
    party_id: int | None = None
    party_name: str = ""
    note: str = ""
    steps: list = field(default_factory=list)
    pending_extension: int = 0


def _d(text, default: date | None = None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return default


@dataclass
class _Clock:
    procedure: str
    suspended_on: date | None = None
    intervals: list = field(default_factory=list)
    extension_months: int = 0
    pending_extension: dict | None = None
    closed_on: date | None = None
    outcome: str = ""


def fold(facts: CaseFacts, entries: Iterable[Entry], *, today: date, closures=frozenset(),
         explain: bool = True) -> list[Item]:
    """Every deadline of the case, in due order (`explain=False`: without the steps in words)."""
    entries = list(entries)
    clock, served, notices = scan(facts, entries)
    items = [*_trial(facts, clock, today, closures, explain), *_fees(notices, served, clock, closures, explain),
             *_party_periods(facts, clock, served, closures, explain), *_mediation(entries, closures, explain),
             *_hearing_clocks(entries, served, closures, explain)]
    items.sort(key=lambda i: (i.state != RUNNING, i.due, i.key))
    return items


def scan(facts: CaseFacts, entries: Iterable[Entry]) -> tuple[_Clock, list, dict]:
    """(the trial clock's state, services, fee notices) after `entries`: what the services check against."""
    clock = _Clock(procedure=facts.procedure, closed_on=facts.closed_on)
    served: list[tuple[str, date, int | None, bool]] = []
    notices: dict[str, dict] = {}
    legacy_fee: dict | None = None
    for e in entries:
        p = e.payload or {}
        if e.kind in (REGISTERED, ASSIGNED) and p.get("procedure"):
            clock.procedure = p["procedure"]
        elif e.kind == PROCEDURE_CHANGED and p.get("to"):
            clock.procedure = p["to"]
        elif e.kind == SUSPENDED:
            clock.suspended_on = clock.suspended_on or _d(p.get("on"), e.on)
        elif e.kind == RESUMED and clock.suspended_on:
            resumed = _d(p.get("on"), e.on)
            if resumed > clock.suspended_on:
                clock.intervals.append(Interval(clock.suspended_on, resumed - timedelta(days=1)))
            clock.suspended_on = None
        elif e.kind == PERIOD_EXCLUDED:
            start, end = _d(p.get("start")), _d(p.get("end"))
            if start and end and end >= start:
                clock.intervals.append(Interval(start, end))
        elif e.kind == EXTENSION_REQUESTED:
            clock.pending_extension = {"months": p.get("months"), "reason": p.get("reason", ""), "on": e.on}
        elif e.kind == EXTENSION_DECIDED:
            clock.pending_extension = None
            if p.get("approved"):
                clock.extension_months += int(p.get("months") or 0)
        elif e.kind == SERVICE_COMPLETED:
            on = _d(p.get("served_on"), e.on)
            served.append((p.get("document_kind", "other"), on, p.get("party_id"), bool(p.get("foreign"))))
        elif e.kind == FEE_NOTICE_ISSUED:
            key = str(p.get("notice_id"))
            notices[key] = {"issued_on": _d(p.get("issued_on"), e.on), "amount": p.get("amount"), "state": RUNNING,
                            "kind": p.get("kind", "")}
        elif e.kind == FEE_PAID and str(p.get("notice_id")) in notices:
            notices[str(p["notice_id"])].update(state=DONE, note="已缴纳", done_on=_d(p.get("paid_on"), e.on))
        elif e.kind == FEE_RELIEF_DECIDED and p.get("approved") and p.get("kind") in ("waive", "defer"):
            for n in notices.values():
                if n["state"] == RUNNING:
                    n.update(state=DONE, note="已准予免交" if p["kind"] == "waive" else "已准予缓交", done_on=e.on)
        elif e.kind == FILING_NOTICE_ISSUED and _positive(p.get("fee")):
            legacy_fee = {"issued_on": e.on, "amount": p.get("fee"), "state": RUNNING, "kind": "acceptance"}
        elif e.kind == CLOSED:
            clock.closed_on = _d(p.get("closed_on"), e.on)
            clock.outcome = p.get("outcome", "")
        elif e.kind == STATUS_CHANGED and p.get("to") == "closed" and clock.closed_on is None:
            clock.closed_on = e.on
    if not notices and legacy_fee:
        notices["acceptance"] = legacy_fee
    return clock, served, notices


def _positive(amount) -> bool:
    try:
        return float(amount or 0) > 0
    except (TypeError, ValueError):
        return False


def trial_kind(type_code: str, procedure: str) -> str | None:
    if type_code not in TRIAL_TYPES:
        return None
    return TRIAL_BY_TYPE.get(type_code) or TRIAL_BY_PROCEDURE.get(procedure)


def _trial(facts: CaseFacts, clock: _Clock, today: date, closures, explain: bool = True) -> list[Item]:
    kind = trial_kind(facts.type_code, clock.procedure)
    if kind is None:
        return []
    intervals = list(clock.intervals)
    if clock.suspended_on:  # still suspended: frozen so far (through today); recomputed daily
        intervals.append(Interval(clock.suspended_on, max(today, clock.suspended_on)))
    result = compute(kind, facts.registered_on, excluded=intervals, closures=closures,
                     extension_months=clock.extension_months, explain=explain)
    state, note = RUNNING, ""
    if clock.closed_on:
        state, note = DONE, f"已于 {clock.closed_on.isoformat()} 结案"
    elif clock.suspended_on:
        state, note = SUSPENDED_STATE, f"自 {clock.suspended_on.isoformat()} 起中止"
    elif clock.pending_extension:
        note = f"延长审限申请（{clock.pending_extension['months']} 个月）待审批"
    pending = int(clock.pending_extension["months"] or 0) if clock.pending_extension and not clock.closed_on else 0
    return [Item("trial", kind, result.label, facts.registered_on, result.due, result.basis, state, True,
                 result.excluded_days, clock.extension_months, result.provisional, note=note, steps=result.steps,
                 pending_extension=pending)]


def _fees(notices: dict, served: list, clock: _Clock, closures, explain: bool = True) -> list[Item]:
    fee_service = sorted(on for kind, on, _party, _foreign in served if kind == "fee_notice")
    out = []
    for key, n in notices.items():
        start = n["issued_on"]
        later = [on for on in fee_service if on >= start]
        if later:  # served: the period runs from service, the earliest channel counting (OLR 31)
            start = later[0]
        result = compute("fee-payment", start, closures=closures, explain=explain)
        state, note = n["state"], n.get("note", "")
        if state == RUNNING and clock.closed_on:
            state, note = DONE, "案件已结案"
        label = result.label + (f"（{n['amount']} 元）" if n.get("amount") else "")
        out.append(Item(f"fee:{key}", "fee-payment", label, start, result.due, result.basis, state, True,
                        provisional=result.provisional, note=note, steps=result.steps))
    return out


def _party_periods(facts: CaseFacts, clock: _Clock, served: list, closures, explain: bool = True) -> list[Item]:
    out: dict[str, Item] = {}
    trial = trial_kind(facts.type_code, clock.procedure)
    for doc_kind, on, party_id, foreign in sorted(served, key=lambda s: s[1]):
        kinds = []
        if doc_kind == "complaint":
            kinds = [("answer", "answer-foreign" if foreign else "answer")]
            if trial in EVIDENCE_BY_TRIAL:
                kinds.append(("evidence", EVIDENCE_BY_TRIAL[trial]))
        elif doc_kind == "judgment":
            kinds = [("appeal:judgment", "appeal-foreign" if foreign else "appeal-judgment")]
        elif doc_kind == "ruling":
            kinds = [("appeal:ruling", "appeal-foreign" if foreign else "appeal-ruling")]
        for prefix, kind in kinds:
            key = f"{prefix}:{party_id or 0}"
            if key in out:  # served twice (several channels): the earliest service counts
                continue
            result = compute(kind, on, closures=closures, explain=explain)
            state = RUNNING
            if clock.closed_on and prefix in ("answer", "evidence"):
                state = DONE
            out[key] = Item(key, kind, result.label, on, result.due, result.basis, state, False,
                            provisional=result.provisional, party_id=party_id,
                            party_name=facts.parties.get(party_id, "") if party_id else "", steps=result.steps)
    paper = APPEALABLE.get(clock.outcome)
    if paper and clock.closed_on and not any(k.startswith(f"appeal:{paper[0]}:") for k in out):
        # until service of the judgment or ruling is registered: from the day the sealed paper closed the case
        # and reached the parties on the platform (e-service takes effect when it reaches them, OLR 31)
        result = compute(paper[1], clock.closed_on, closures=closures, explain=explain)
        key = f"appeal:{paper[0]}:0"
        out[key] = Item(key, paper[1], result.label, clock.closed_on, result.due, result.basis, RUNNING, False,
                        provisional=result.provisional, note="自文书在平台送达之日起算；登记送达后按各当事人送达日计算",
                        steps=result.steps)
    return list(out.values())


def _mediation(entries: list[Entry], closures, explain: bool = True) -> list[Item]:
    """Pre-litigation mediation (民诉前调): a mediator assigned within 3 working days of receipt (or picked jointly
    by the parties within 2), accepting within 3, mediation 30 days from acceptance; on the 民特 case, the
    confirmation decided within 15 days of the application. Each item ends when its act is journaled."""
    out: dict[str, Item] = {}

    def start(key: str, kind: str, on: date, court_duty: bool = True) -> None:
        result = compute(kind, on, closures=closures, explain=explain)
        out[key] = Item(key, kind, result.label, on, result.due, result.basis, RUNNING, court_duty,
                        provisional=result.provisional, steps=result.steps)

    def end(key: str, note: str) -> None:
        if key in out and out[key].state == RUNNING:
            out[key].state, out[key].note = DONE, note

    for e in entries:
        if e.kind == MEDIATION_SUBMITTED:
            start("mediation:assign", "mediation-assign", e.on)
            start("mediation:pick", "mediation-pick", e.on, court_duty=False)
        elif e.kind == MEDIATION_ASSIGNED:
            end("mediation:assign", f"已于 {e.on.isoformat()} 指定调解员")
            end("mediation:pick", "已指定调解员")
            start("mediation:accept", "mediation-accept", e.on)
        elif e.kind == MEDIATION_DECLINED:
            end("mediation:accept", f"调解员已于 {e.on.isoformat()} 拒绝")
            start("mediation:assign", "mediation-assign", e.on)
        elif e.kind == MEDIATION_ACCEPTED:
            end("mediation:accept", f"已于 {e.on.isoformat()} 接受")
            start("mediation:period", "mediation-prefiling", e.on)
        elif e.kind in MEDIATION_ENDED:
            for key in list(out):
                end(key, f"调解已于 {e.on.isoformat()} 结束")
        elif e.kind == CONFIRMATION_APPLIED and "case_id" not in (e.payload or {}):  # on the 民特 case itself
            start("confirmation:decide", "confirmation-decide", e.on)
        elif e.kind == CONFIRMATION_RULED:
            end("confirmation:decide", f"已于 {e.on.isoformat()} 作出裁定")
    return list(out.values())


def _hearing_clocks(entries: list[Entry], served: list, closures, explain: bool = True) -> list[Item]:
    """A judgment pronounced in court is sent within 10 days (CPL art 151; the court's duty, done when service of
    the judgment is registered); a transcript is read and signed within 5 days (CPL art 150; done when every
    participant has signed or refused)."""
    out: dict[str, Item] = {}
    judgment_served = sorted(on for kind, on, _party, _foreign in served if kind == "judgment")
    for e in entries:
        p = e.payload or {}
        if e.kind == JUDGMENT_PRONOUNCED:
            on = _d(p.get("pronounced_on"), e.on)
            key = f"judgment-send:{p.get('hearing_id') or 0}"
            result = compute("judgment-send", on, closures=closures, explain=explain)
            done = [d for d in judgment_served if d >= on]
            out[key] = Item(key, "judgment-send", result.label, on, result.due, result.basis,
                            DONE if done else RUNNING, True, provisional=result.provisional,
                            note=f"已于 {done[0].isoformat()} 送达判决书" if done else "当庭宣判", steps=result.steps)
        elif e.kind == TRANSCRIPT_REVIEW_STARTED:
            key = f"transcript-read:{p.get('transcript_id') or 0}"
            result = compute("transcript-read", e.on, closures=closures, explain=explain)
            out[key] = Item(key, "transcript-read", result.label, e.on, result.due, result.basis, RUNNING, False,
                            provisional=result.provisional, note="庭审笔录阅读、补正与签名", steps=result.steps)
        elif e.kind == TRANSCRIPT_COMPLETED:
            key = f"transcript-read:{p.get('transcript_id') or 0}"
            if key in out:
                out[key].state, out[key].note = DONE, "全部参与人已签名或拒签"
    return list(out.values())


# a closing paper that can be appealed: outcome → (paper, period)
APPEALABLE = {"judgment": ("judgment", "appeal-judgment"), "dismissal": ("ruling", "appeal-ruling"),
              "rejection": ("ruling", "appeal-ruling")}


def extension_rule(kind: str) -> tuple[int, bool]:
    """(months allowed in total, president only) for the trial clock `kind`."""
    return EXTENSION_CAP.get(kind, 0), kind in PRESIDENT_ONLY


assert set(TRIAL_BY_PROCEDURE.values()) <= set(PERIODS)
