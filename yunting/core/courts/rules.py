"""Pure rules of the case lifecycle: folding a journal into a stage, and choosing a judge. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import entries

CLOSING_TEMPLATES = {  # sealed paper template → outcome (case.closed)
    "judgment": "judgment",
    "mediation_statement": "mediation",
    "withdrawal_ruling": "withdrawal",
    "rejection_ruling": "rejection",
}


@dataclass
class Lifecycle:
    status: str = "registered"
    procedure: str = ""
    judge: int | None = None
    judge_name: str = ""
    division: int | None = None
    reason: str = ""
    auto: bool = False
    assigned_on: date | None = None
    outcome: str = ""
    closed_on: date | None = None


def fold_one(state: Lifecycle, kind: str, payload: dict, on: date) -> Lifecycle:
    """The state after one entry (`on`: the entry's date in Shanghai). Entries of other kinds change nothing."""
    if kind == entries.ASSIGNED:
        state.judge, state.judge_name = payload.get("judge"), payload.get("judge_name", "")
        state.division, state.reason = payload.get("division"), payload.get("reason", "")
        state.procedure, state.auto, state.assigned_on = payload.get("procedure", ""), bool(payload.get("auto")), on
        if state.status == "registered":
            state.status = "in_trial"
    elif kind == entries.PROCEDURE_CHANGED:
        state.procedure = payload.get("to", state.procedure)
    elif kind == entries.SUSPENDED and state.status != "closed":
        state.status = "suspended"
    elif kind == entries.RESUMED and state.status == "suspended":
        state.status = "in_trial" if state.judge else "registered"
    elif kind == entries.CLOSED:
        state.status, state.outcome = "closed", payload.get("outcome", "other")
        state.closed_on = date.fromisoformat(payload["closed_on"]) if payload.get("closed_on") else on
    return state


def fold(items) -> Lifecycle:
    """Fold (kind, payload, date) triples in journal order into the case's lifecycle."""
    state = Lifecycle()
    for kind, payload, on in items:
        fold_one(state, kind, payload or {}, on)
    return state


# --- choosing a judge -----------------------------------------------------------------------------------------
@dataclass
class Candidate:
    user_id: int
    name: str
    open_cases: int
    weight: Decimal = Decimal("1")
    absent: str = ""  # why away today, empty when present
    recuse_names: frozenset[str] = field(default_factory=frozenset)

    @property
    def load(self) -> Decimal:
        return Decimal(self.open_cases) / self.weight if self.weight > 0 else Decimal("Infinity")


@dataclass
class Choice:
    judge: Candidate | None
    reason: str
    skipped: list[str]


def choose_judge(candidates: list[Candidate], *, names_in_case: set[str], cause: str, division: str) -> Choice:
    """The judge with the lowest weighted open caseload (open ÷ weight), skipping the absent and those who must
    recuse; ties go to fewer open cases, then the earlier post. The reason names the rule's inputs."""
    skipped: list[str] = []
    eligible = []
    for c in candidates:
        if c.weight <= 0:
            continue
        if c.absent:
            skipped.append(f"{c.name}（{c.absent}）")
            continue
        hits = sorted(c.recuse_names & names_in_case)
        if hits:
            skipped.append(f"{c.name}（回避：{'、'.join(hits)}）")
            continue
        eligible.append(c)
    if not eligible:
        return Choice(None, f"{cause} → {division}；没有可分配的法官", skipped)
    best = min(eligible, key=lambda c: (c.load, c.open_cases, c.user_id))
    reason = (f"{cause} → {division}；{best.name} 在办 {best.open_cases} 件，权重 {best.weight.normalize():f}，"
              f"加权 {best.load.quantize(Decimal('0.1'))}，最低")
    if skipped:
        reason += f"；跳过 {'、'.join(skipped)}"
    return Choice(best, reason, skipped)


def procedure_for(*, type_default: str, division_default: str, claim_amount: Decimal | None,
                  small_claims_threshold: Decimal | None, civil_first_instance: bool) -> str:
    """小额 when a first-instance money claim is within the province's threshold, else the division's default,
    else the case type's (mapped onto the four assignable procedures)."""
    if (civil_first_instance and claim_amount is not None and small_claims_threshold is not None
            and 0 < claim_amount <= small_claims_threshold):
        return "small_claims"
    if division_default:
        return division_default
    return type_default if type_default in ("simple", "ordinary", "small_claims", "expedited") else "ordinary"
