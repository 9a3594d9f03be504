"""Writes of the mediation workflow. Each service is one transaction; a state move is a conditional UPDATE (the
guard against double clicks on SQLite and PostgreSQL alike), and every act is journaled on the dispute's case.

Time limits (DOMAIN.md, OMR arts 10–12, 24; SJC): a mediator is assigned within 3 working days of receipt, accepts
within 3 working days, the parties may pick one jointly within 2 working days; pre-filing mediation lasts 30 days
from acceptance; a confirmation is accepted within 3 days and decided within 15. Each due day is stored on the row
(and in the entry's payload, for the case's clocks); `selectors.overdue` reads them against today.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.choices import CaseRole, CaseStatus, PartyRole
from yunting.core.cases.models import CaseType, Cause, Participation, Party
from yunting.core.cases.services import (
    CaseInput,
    PartyInput,
    case_add_participant,
    case_change_status,
    case_open,
)
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.people.choices import OrganisationKind as PeopleOrgKind
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership, Organisation
from yunting.kernel.blobs.store import blob_put_bytes, blob_read
from yunting.kernel.calendar import compute
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import entries, errors
from .models import (
    OPEN_STATES,
    Agreement,
    AgreementSignature,
    Assignment,
    Confirmation,
    Dispute,
    DisputeState,
    DisputeType,
    MediationMode,
    MediationOrganisation,
    Mediator,
    OrganisationKind,
    PartyPick,
)

PRE_LITIGATION_TYPE = "民诉前调"
CONFIRMATION_TYPE = "民特"
CONFIRMATION_CAUSE = "申请司法确认调解协议"
LITIGATION_TYPE = "民初"
# the limits are kernel/calendar periods: mediation-assign / -pick / -accept / -prefiling (OMR arts 10, 12, 24),
# confirmation-apply / -accept / -decide (CPL 205, SJC)
COORDINATOR_ROLES = (Role.COORDINATOR, Role.COURT_ADMIN)
FIRST_SIDE = {PartyRole.PLAINTIFF, PartyRole.APPLICANT, PartyRole.APPELLANT}
SECOND_SIDE = {PartyRole.DEFENDANT, PartyRole.RESPONDENT, PartyRole.APPELLEE}
PARTY_LABEL = {"plaintiff": "申请人", "applicant": "申请人", "defendant": "被申请人", "respondent": "被申请人",
               "third_party": "第三人"}
PDF = {"application/pdf"}


# --- small helpers ---------------------------------------------------------------------------------------------
def _today() -> date:
    return shanghai_today()


def _due(kind: str, start: date | None = None) -> date:
    """The last day of the period `kind` (kernel/calendar: the official calendar, CPL 85 counting)."""
    return compute(kind, start or _today(), explain=False).due


def is_coordinator(user, court_id) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, organisation_id=court_id, role__in=COORDINATOR_ROLES).exists()


def _require_coordinator(user, court_id) -> None:
    if not is_coordinator(user, court_id):
        raise errors.not_coordinator()


def _party_of(dispute: Dispute, user) -> Party | None:
    """The party `user` acts as (or a lawyer for) in the dispute's case, if any."""
    part = (Participation.objects.filter(case_id=dispute.case_id, user=user, party__isnull=False,
                                         role__in=[CaseRole.PARTY, CaseRole.LAWYER])
            .select_related("party").order_by("party__order", "id").first())
    return part.party if part else None


def _require_party(dispute: Dispute, user) -> Party:
    party = _party_of(dispute, user)
    if party is None:
        raise errors.not_party()
    return party


def _require_mediator(dispute: Dispute, user) -> Mediator:
    if dispute.mediator_id is None or dispute.mediator.user_id != getattr(user, "pk", None):
        raise errors.not_mediator()
    return dispute.mediator


def _move(dispute: Dispute, *, frm: Sequence[str], to: str, **fields) -> Dispute:
    """Change state only if still one of `frm`: the UPDATE is the guard (double clicks, two coordinators)."""
    updated = Dispute.objects.filter(pk=dispute.pk, state__in=list(frm)).update(state=to, updated_at=timezone.now(),
                                                                                 **fields)
    if updated != 1:
        current = Dispute.objects.filter(pk=dispute.pk).values_list("state", flat=True).first()
        raise errors.wrong_state(current or "-")
    dispute.refresh_from_db()
    return dispute


def _journal(dispute: Dispute, kind: str, actor, payload: dict | None = None, documents=()):
    return journal_append(case=dispute.case, kind=kind, actor=actor,
                          payload={"dispute_id": dispute.pk, **(payload or {})}, documents=list(documents))


def _stats_closed(dispute: Dispute, *, agreed: bool) -> None:
    """The mediator's precomputed record: one fewer open, one more closed (and agreed), days added."""
    if dispute.mediator_id is None:
        return
    mediator = Mediator.objects.select_for_update().get(pk=dispute.mediator_id)
    start = dispute.accepted_at or dispute.assigned_at or dispute.created_at
    days = max(0, (timezone.now() - start).days)
    stats = dict(mediator.type_stats or {})
    closed, won = stats.get(dispute.dispute_type, [0, 0])
    stats[dispute.dispute_type] = [closed + 1, won + (1 if agreed else 0)]
    Mediator.objects.filter(pk=mediator.pk).update(
        open_count=max(0, mediator.open_count - 1), closed_count=F("closed_count") + 1,
        success_count=F("success_count") + (1 if agreed else 0), days_total=F("days_total") + days,
        type_stats=stats)


def _load(mediator: Mediator, delta: int) -> None:
    Mediator.objects.filter(pk=mediator.pk).update(open_count=max(0, mediator.open_count + delta))


# --- registry: organisations and mediators ---------------------------------------------------------------------
@transaction.atomic
def organisation_register(*, court: Organisation, name: str, kind: str, actor, localities: Sequence[str] = (),
                          specialisms: Sequence[str] = (), phone: str = "") -> MediationOrganisation:
    """Register a mediation organisation with the court (or update its profile if already registered)."""
    _require_coordinator(actor, court.pk)
    name = (name or "").strip()
    if not name:
        raise errors.invalid(_("Enter the organisation's name."), field="name")
    if kind not in OrganisationKind.values:
        raise errors.invalid(_("Choose what sort of organisation it is."), field="kind")
    _check_types(specialisms)
    org, _created = Organisation.objects.get_or_create(name=name[:200], defaults={"kind": PeopleOrgKind.MEDIATION})
    if org.kind != PeopleOrgKind.MEDIATION:
        raise errors.invalid(_("An organisation of another kind already has this name."), field="name")
    profile, _created = MediationOrganisation.objects.update_or_create(organisation=org, defaults={
        "court": court, "kind": kind, "localities": _clean_list(localities), "specialisms": list(specialisms),
        "phone": (phone or "")[:20]})
    return profile


def _clean_list(values: Sequence[str]) -> list[str]:
    out = []
    for v in values or ():
        v = str(v).strip()
        if v and v not in out:
            out.append(v[:60])
    return out


def _check_types(types: Sequence[str]) -> None:
    bad = [t for t in types or () if t not in DisputeType.values]
    if bad:
        raise errors.invalid(_("Unknown dispute type: %(types)s.") % {"types": "、".join(map(str, bad))},
                             field="specialisms")


@transaction.atomic
def mediator_register(*, organisation: MediationOrganisation, user, actor, specialisms: Sequence[str] = (),
                      causes: Sequence[str] = (), localities: Sequence[str] = (), languages: Sequence[str] = (),
                      capacity: int = 10) -> Mediator:
    """Put a person on the court's mediator roster (or update their profile); they get the mediator role in
    their organisation. Their record (counts, success rate, average days) is kept by the workflow."""
    _require_coordinator(actor, organisation.court_id)
    _check_types(specialisms)
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 500:
        raise errors.invalid(_("Capacity is 1 to 500 open disputes."), field="capacity")
    mediator, _created = Mediator.objects.update_or_create(user=user, defaults={
        "organisation": organisation, "court_id": organisation.court_id, "specialisms": list(specialisms),
        "causes": _clean_list(causes), "localities": _clean_list(localities),
        "languages": _clean_list(languages) or ["普通话"], "capacity": capacity, "active": True})
    Membership.objects.get_or_create(user=user, organisation=organisation.organisation, role=Role.MEDIATOR)
    return mediator


# --- intake ----------------------------------------------------------------------------------------------------
def _dispute_type(value) -> str:
    value = str(value or "").strip()
    if value not in DisputeType.values:
        raise ValidationFailed(_("Choose the type of dispute."), code="mediation_dispute_type",
                               data={"problems": [{"field": "dispute_type", "code": "required",
                                                   "message": str(_("Choose the type of dispute."))}]})
    return value


def _link_users(parties: list[PartyInput], actor) -> None:
    """The submitter is linked to the first applicant-side party bearing their name (as filing does)."""
    if actor is None:
        return
    for p in parties:
        if p.user is None and p.role in FIRST_SIDE and p.name == actor.display_name:
            p.user = actor
            return


@transaction.atomic
def _dispute_create(*, court, cause: Cause, dispute_type: str, parties: list[PartyInput], claims: list[str],
                    claim_amount: Decimal | None, facts: str, questionnaire: dict, documents: list[DocumentInput],
                    actor, institution=None, external_id: str = "", payload: dict | None = None,
                    locality: str = "", language: str = "", source_filing_id: int | None = None,
                    participants: Sequence[tuple[Any, str]] = ()) -> Dispute:
    """Open the 民诉前调 case (numbered, parties, e-file with the documents) and the dispute on it."""
    case_type = CaseType.objects.get(code=PRE_LITIGATION_TYPE)
    case = case_open(data=CaseInput(court=court, case_type=case_type, cause=cause, parties=parties,
                                    procedure="pre_litigation", claim_amount=claim_amount,
                                    participants=list(participants)), actor=actor, documents=documents)
    today = _today()
    dispute = Dispute.objects.create(
        case=case, court=court, dispute_type=dispute_type, cause=cause, locality=(locality or "").strip()[:60],
        language=(language or "").strip()[:20], claims=claims, claim_amount=claim_amount, facts=facts,
        questionnaire=questionnaire or {}, payload=payload or {}, submitted_by=actor, institution=institution,
        external_id=external_id or "", source_filing_id=source_filing_id, created_at=timezone.now(),
        assign_due=_due("mediation-assign", today), pick_due=_due("mediation-pick", today))
    _journal(dispute, entries.SUBMITTED, actor, {
        "dispute_type": dispute_type, "locality": dispute.locality, "claims": claims,
        "claim_amount": None if claim_amount is None else str(claim_amount),
        "source": "filing" if source_filing_id else "institution" if institution else "party",
        "institution": institution.name if institution else None, "source_filing_id": source_filing_id,
        "assign_due": dispute.assign_due.isoformat(), "pick_due": dispute.pick_due.isoformat()})
    case_change_status(case=case, status=CaseStatus.MEDIATION, actor=actor, reason="诉前调解")
    return dispute


@transaction.atomic
def dispute_submit(*, payload: dict[str, Any], actor=None, key=None) -> Dispute:
    """A dispute from a party (actor) or a partner agency (key: the institution's filing key): the body of
    `POST /api/v1/filings` plus `dispute_type` (and optionally `locality`, `language`). Every problem is reported
    at once, as for a filing; accepted input opens a 民诉前调 case at once. An agency resending an `external_id`
    gets the dispute it already created."""
    from yunting.workflows.filing.validation import Lookups, validate_payload

    if not isinstance(payload, dict):
        raise errors.invalid(_("The body must be a JSON object."), field="body")
    if actor is None and key is None:
        raise PermissionDenied(_("Sign in, or send the dispute with the agency's key."), code="mediation_no_submitter")
    institution = key.institution if key is not None else None
    external_id = str(payload.get("external_id") or "").strip()[:64] if institution else ""
    if institution and external_id:
        found = Dispute.objects.filter(institution=institution, external_id=external_id).first()
        if found is not None:
            return found
    body = {**payload, "case_type": PRE_LITIGATION_TYPE}
    lookups = Lookups(institution=institution) if institution else Lookups(user=actor)
    problems, cleaned = validate_payload(body, lookups=lookups, court=key.court if key is not None else None)
    problem_dicts = [p.as_dict() for p in problems]
    if str(payload.get("dispute_type") or "").strip() not in DisputeType.values:
        problem_dicts.append({"field": "dispute_type", "code": "required" if not payload.get("dispute_type")
                              else "unknown", "message": str(_("Choose the type of dispute."))})
    if problem_dicts:
        raise errors.DisputeInvalid(problem_dicts)
    parties = list(cleaned.parties)
    _link_users(parties, actor)
    documents = [DocumentInput(sha256=d.sha256, title=d.title, kind=d.kind, filename=d.filename)
                 for d in cleaned.documents]
    return _dispute_create(
        court=cleaned.court, cause=cleaned.cause, dispute_type=payload["dispute_type"].strip(), parties=parties,
        claims=cleaned.claims, claim_amount=cleaned.claim_amount, facts=cleaned.facts,
        questionnaire=cleaned.questionnaire, documents=documents, actor=actor, institution=institution,
        external_id=external_id, payload=payload, locality=str(payload.get("locality") or ""),
        language=str(payload.get("language") or ""))


@transaction.atomic
def dispute_from_filing(*, filing, actor, dispute_type: str = "", locality: str = "") -> Dispute:
    """诉前调解 offered at the filing desk: with the filer's consent (the filer is the actor) the submitted filing is
    withdrawn from the review queue and becomes a pre-litigation mediation case with everything it carried."""
    from yunting.workflows.filing.services import filing_withdraw

    if getattr(actor, "pk", None) not in (filing.filer_id, filing.on_behalf_of_id):
        raise PermissionDenied(_("Only the filer can consent to pre-litigation mediation."),
                               code="mediation_not_filer")
    if Dispute.objects.filter(source_filing_id=filing.pk).exists():
        raise Conflict(_("This filing has already gone to mediation."), code="mediation_wrong_state")
    dispute_type = _dispute_type(dispute_type or (filing.payload or {}).get("dispute_type")
                                 or _type_for_cause(filing.cause.name if filing.cause_id else ""))
    filing_withdraw(filing=filing, actor=actor, reason="当事人同意诉前调解")
    parties = [PartyInput(role=p.role, kind=p.kind, name=p.name, id_number=p.id_number, credit_code=p.credit_code,
                          address=p.address, phone=p.phone, user=p.user) for p in filing.parties.all()]
    documents = [DocumentInput(sha256=d.blob_id, title=d.title, kind=d.kind, filename=d.filename,
                               page_count=d.page_count) for d in filing.documents.all()]
    participants = [(filing.filer, CaseRole.LAWYER)] if filing.on_behalf_of_id else []
    return _dispute_create(
        court=filing.court, cause=filing.cause, dispute_type=dispute_type, parties=parties,
        claims=list(filing.claims or []), claim_amount=filing.claim_amount, facts=filing.facts,
        questionnaire=filing.questionnaire or {}, documents=documents, actor=actor,
        payload={**(filing.payload or {}), "dispute_type": dispute_type}, locality=locality,
        source_filing_id=filing.pk, participants=participants)


TYPE_BY_CAUSE = {"民间借贷纠纷": "loan", "金融借款合同纠纷": "finance", "信用卡纠纷": "finance",
                 "买卖合同纠纷": "contract", "劳动争议": "labour", "劳动合同纠纷": "labour", "离婚纠纷": "family",
                 "机动车交通事故责任纠纷": "traffic", "相邻关系纠纷": "neighbour", "房屋租赁合同纠纷": "property",
                 "物业服务合同纠纷": "property", "网络购物合同纠纷": "consumer"}


def _type_for_cause(cause_name: str) -> str:
    return TYPE_BY_CAUSE.get(cause_name, DisputeType.OTHER)


@transaction.atomic
def dispute_link_party(*, dispute: Dispute, party: Party, user, actor) -> Participation:
    """The coordinator links a party (say the respondent, once reached) to their platform account."""
    _require_coordinator(actor, dispute.court_id)
    if party.case_id != dispute.case_id:
        raise errors.not_found()
    Party.objects.filter(pk=party.pk).update(user=user)
    return case_add_participant(case=dispute.case, user=user, role=CaseRole.PARTY, actor=actor, party=party)


# --- assignment --------------------------------------------------------------------------------------------------
def _assignment_create(dispute: Dispute, mediator: Mediator, *, actor, source: str, score: dict | None) -> Assignment:
    if not mediator.active or mediator.court_id != dispute.court_id:
        raise errors.invalid(_("This mediator is not on the court's active roster."), field="mediator")
    if mediator.open_count >= mediator.capacity:
        raise Conflict(_("This mediator is at full capacity; choose another."), code="mediation_capacity",
                       data={"open": mediator.open_count, "capacity": mediator.capacity})
    now, due = timezone.now(), _due("mediation-accept")
    dispute = _move(dispute, frm=(DisputeState.NEW,), to=DisputeState.ASSIGNED, mediator=mediator,
                    organisation=mediator.organisation, assigned_at=now, accept_due=due)
    assignment = Assignment.objects.create(dispute=dispute, mediator=mediator, source=source, assigned_by=actor,
                                           assigned_at=now, accept_due=due, score=score or {})
    _load(mediator, +1)
    _journal(dispute, entries.ASSIGNED, actor, {
        "assignment_id": assignment.pk, "mediator_id": mediator.pk, "mediator": mediator.user.display_name,
        "organisation_id": mediator.organisation_id, "organisation": mediator.organisation.organisation.name,
        "source": source, "accept_due": due.isoformat(), "assign_due": dispute.assign_due.isoformat(),
        "late": _today() > dispute.assign_due})
    return assignment


@transaction.atomic
def dispute_assign(*, dispute: Dispute, mediator: Mediator, actor, score: dict | None = None) -> Assignment:
    """One click from the coordinator's triage list: the mediator is asked and has 3 working days to answer."""
    _require_coordinator(actor, dispute.court_id)
    return _assignment_create(dispute, mediator, actor=actor, source=Assignment.Source.COORDINATOR, score=score)


@transaction.atomic
def parties_pick(*, dispute: Dispute, mediator: Mediator, actor) -> Dispute:
    """A party picks a mediator from the roster; once every party has picked the same one (within 2 working
    days of receipt, OMR), that mediator is asked exactly as if the coordinator had assigned them."""
    party = _require_party(dispute, actor)
    if dispute.state != DisputeState.NEW:
        raise errors.wrong_state(dispute.state)
    if not mediator.active or mediator.court_id != dispute.court_id:
        raise errors.invalid(_("This mediator is not on the court's active roster."), field="mediator")
    if dispute.pick_due and _today() > dispute.pick_due:
        raise Conflict(_("The time for the parties to pick a mediator jointly has passed; the coordinator will "
                         "assign one."), code="mediation_pick_late", data={"pick_due": dispute.pick_due.isoformat()})
    PartyPick.objects.update_or_create(dispute=dispute, party=party, defaults={
        "mediator": mediator, "user": actor, "picked_at": timezone.now()})
    _journal(dispute, entries.PICKED, actor, {"party_id": party.pk, "mediator_id": mediator.pk})
    party_ids = set(Party.objects.filter(case_id=dispute.case_id).values_list("pk", flat=True))
    picks = dict(PartyPick.objects.filter(dispute=dispute).values_list("party_id", "mediator_id"))
    if set(picks) >= party_ids and len(set(picks.values())) == 1:
        _assignment_create(dispute, mediator, actor=actor, source=Assignment.Source.PARTIES, score=None)
    dispute.refresh_from_db()
    return dispute


def _pending(assignment: Assignment, actor) -> Assignment:
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("dispute", "mediator", "dispute__case").get(
        pk=assignment.pk)
    if assignment.mediator.user_id != getattr(actor, "pk", None):
        raise errors.not_mediator()
    if assignment.status != Assignment.Status.PENDING:
        raise Conflict(_("This assignment has already been answered."), code="mediation_wrong_state",
                       data={"status": assignment.status})
    return assignment


@transaction.atomic
def assignment_accept(*, assignment: Assignment, actor, reason: str = "") -> Assignment:
    """The mediator takes the dispute: they join its case as mediator and the 30-day mediation period runs."""
    assignment = _pending(assignment, actor)
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.ACCEPTED, decided_at=now)
    dispute = assignment.dispute
    due = _due("mediation-prefiling")
    Dispute.objects.filter(pk=dispute.pk).update(accepted_at=now, mediation_due=due, updated_at=now)
    case_add_participant(case=dispute.case, user=actor, role=CaseRole.MEDIATOR, actor=actor)
    _journal(dispute, entries.ACCEPTED, actor, {"assignment_id": assignment.pk, "mediation_due": due.isoformat(),
                                                "late": _today() > assignment.accept_due})
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def assignment_decline(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """The mediator declines (with a reason): the dispute is back in the coordinator's queue, whose 3-day
    assignment limit starts again."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("Say why you decline."), field="reason")
    assignment = _pending(assignment, actor)
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.DECLINED, decided_at=now,
                                                       reason=reason[:2000])
    _load(Mediator.objects.get(pk=assignment.mediator_id), -1)
    dispute = _move(assignment.dispute, frm=(DisputeState.ASSIGNED,), to=DisputeState.NEW, mediator=None,
                    organisation=None, assigned_at=None, accept_due=None,
                    assign_due=_due("mediation-assign"))
    _journal(dispute, entries.DECLINED, actor, {"assignment_id": assignment.pk, "reason": reason[:2000],
                                                "assign_due": dispute.assign_due.isoformat()})
    assignment.refresh_from_db()
    return assignment


# --- mediation -----------------------------------------------------------------------------------------------------
THREAD_PURPOSE = "mediation"


@transaction.atomic
def mediation_start(*, dispute: Dispute, actor, mode: str = "thread", title: str = ""):
    """The mediator opens the mediation: a room (synchronous; caucus through core/rooms breakouts) or a thread
    (asynchronous; core/threads). Returns the room or the thread. Starting again in the other mode adds it."""
    from yunting.core.rooms.choices import Activity, Seat
    from yunting.core.rooms.services import room_open
    from yunting.core.threads.services import thread_ensure

    if mode not in (MediationMode.ROOM, MediationMode.THREAD):
        raise errors.invalid(_("Choose a room or a thread."), field="mode")
    dispute = Dispute.objects.select_related("case", "mediator").get(pk=dispute.pk)
    _require_mediator(dispute, actor)
    if dispute.accepted_at is None or dispute.state not in (DisputeState.ASSIGNED, DisputeState.MEDIATING):
        raise errors.wrong_state(dispute.state)
    if mode == MediationMode.ROOM:
        seats = [(p.user, Seat.APPLICANT if p.role in FIRST_SIDE else Seat.RESPONDENT)
                 for p in Party.objects.filter(case_id=dispute.case_id, user__isnull=False).select_related("user")
                 if p.role in FIRST_SIDE | SECOND_SIDE]
        target = room_open(dispute.case, Activity.MEDIATION, actor, seats,
                           title=title or f"{dispute.case.number} 在线调解")
        fields = {"room_id": target.pk}
    else:
        target = thread_ensure(case=dispute.case, purpose=THREAD_PURPOSE, title=title or "诉前调解")
        fields = {"thread_id": target.pk}
    if dispute.state == DisputeState.ASSIGNED:
        _move(dispute, frm=(DisputeState.ASSIGNED,), to=DisputeState.MEDIATING, mode=mode, started_at=timezone.now(),
              **fields)
    else:
        Dispute.objects.filter(pk=dispute.pk).update(mode=mode, **fields)
    _journal(dispute, entries.STARTED, actor, {"mode": mode, **fields})
    return target


def _visibility(dispute: Dispute, visibility: str, *, poster_party: Party | None) -> str:
    """all (both sides) · party:<id> (that side and the mediator) · mediator (the mediator only: stored as
    core/threads' "court", which outside viewers never see)."""
    if visibility in ("all", "court"):
        return visibility
    if visibility == "mediator":
        return "court"
    if visibility.startswith("party:") and visibility[6:].isdigit():
        if Party.objects.filter(case_id=dispute.case_id, pk=int(visibility[6:])).exists():
            if poster_party is None or poster_party.pk == int(visibility[6:]):
                return visibility
    raise errors.invalid(_("Choose who may see this: both sides, one side, or the mediator only."),
                         field="visibility")


@transaction.atomic
def proposal_post(*, dispute: Dispute, actor, text: str, visibility: str = "all", kind: str = "proposal",
                  documents: list[dict] | None = None):
    """A message, document or settlement proposal on the mediation thread. The mediator may address both sides
    or one (a caucus in writing); a party posts to both sides or to the mediator only."""
    from yunting.core.threads.services import thread_post

    if kind not in ("proposal", "message", "document"):
        raise errors.invalid(_("Unknown kind of item."), field="kind")
    dispute = Dispute.objects.select_related("case", "mediator").get(pk=dispute.pk)
    if dispute.state != DisputeState.MEDIATING or not dispute.thread_id:
        raise errors.wrong_state(dispute.state)
    is_mediator = dispute.mediator_id is not None and dispute.mediator.user_id == actor.pk
    party = None if is_mediator else _require_party(dispute, actor)
    vis = _visibility(dispute, visibility, poster_party=party)
    from yunting.core.threads.models import Thread

    thread = Thread.objects.get(pk=dispute.thread_id)
    label = f"调解员{actor.display_name}" if is_mediator else f"{PARTY_LABEL.get(party.role, '当事人')}{party.name}"
    item = thread_post(thread=thread, author=actor, author_label=label, party=party, kind=kind, text=text,
                       visibility=vis, documents=documents, case=dispute.case)
    if kind == "proposal":
        _journal(dispute, entries.PROPOSAL, actor, {"item_id": item.pk, "seq": item.seq, "visibility": vis})
    return item


@transaction.atomic
def dispute_record_findings(*, dispute: Dispute, actor, undisputed: Sequence[str], disputed: Sequence[str]) -> Dispute:
    """The mediator records the facts both sides accept and the points still in dispute (for the 诉前调查报告)."""
    dispute = Dispute.objects.select_related("mediator").get(pk=dispute.pk)
    _require_mediator(dispute, actor)
    undisputed, disputed = _clean_lines(undisputed), _clean_lines(disputed)
    Dispute.objects.filter(pk=dispute.pk).update(undisputed_facts=undisputed, disputed_points=disputed)
    _journal(dispute, "mediation.findings_recorded", actor, {"undisputed": undisputed, "disputed": disputed})
    dispute.refresh_from_db()
    return dispute


def _clean_lines(lines) -> list[str]:
    if isinstance(lines, str):
        lines = lines.splitlines()
    return [str(x).strip()[:2000] for x in lines or () if str(x).strip()]


# --- agreement -----------------------------------------------------------------------------------------------------
def _party_rows(case_id: int) -> list[dict]:
    return [{"label": PARTY_LABEL.get(p.role, "当事人"), "name": p.name,
             "detail": (f"住{p.address}" if p.kind == "natural" else f"住所地{p.address}") if p.address else ""}
            for p in Party.objects.filter(case_id=case_id).order_by("order", "id")]


def _agreement_template(slots: list[dict]):
    from yunting.kernel.documents.library import Slot, SlotKind, template_get

    return replace(template_get("mediation_agreement"),
                   slots=tuple(Slot(s["name"], s["label"], SlotKind.HANDWRITING, 50, 20) for s in slots))


def _numbered(terms: Sequence[str]) -> str:
    digits = "一二三四五六七八九十"
    out = []
    for i, t in enumerate(terms):
        prefix = f"{digits[i]}、" if i < len(digits) else f"{i + 1}、"
        out.append(t if t[:2].rstrip("、") in digits else prefix + t)
    return "\n".join(out)


@transaction.atomic
def agreement_draft(*, dispute: Dispute, terms: Sequence[str], actor, facts: str = "") -> Agreement:
    """The mediator writes the agreed terms; the 调解协议书 is rendered (fonts embedded) and filed in the e-file as
    the parties' document. Signing slots: each party in order, then the mediator. A new draft supersedes an
    unsigned earlier one."""
    from yunting.kernel.documents.render import render_pdf

    dispute = Dispute.objects.select_related("case", "case__court", "mediator__user",
                                             "organisation__organisation", "cause").get(pk=dispute.pk)
    _require_mediator(dispute, actor)
    if dispute.state != DisputeState.MEDIATING:
        raise errors.wrong_state(dispute.state)
    terms = _clean_lines(terms)
    if not terms:
        raise errors.invalid(_("Write at least one term of the agreement."), field="terms")
    if Agreement.objects.filter(dispute=dispute, status=Agreement.Status.SIGNING).exclude(signed_slots=[]).exists():
        raise Conflict(_("Parties have begun signing the current agreement; it can no longer be replaced."),
                       code="mediation_signed_already")
    Agreement.objects.filter(dispute=dispute, status=Agreement.Status.SIGNING).update(
        status=Agreement.Status.SUPERSEDED)
    parties = list(Party.objects.filter(case_id=dispute.case_id).order_by("order", "id"))
    slots = [{"name": f"party_{p.pk}", "label": f"{PARTY_LABEL.get(p.role, '当事人')}签名", "party_id": p.pk,
              "signer": p.name} for p in parties]
    slots.append({"name": "mediator", "label": "调解员签名", "party_id": None, "signer": actor.display_name})
    now = timezone.now()
    organisation = dispute.organisation.organisation.name if dispute.organisation_id else dispute.court.name
    values = {
        "court_name": organisation, "case_number": dispute.case.number, "cause": dispute.cause.name,
        "issue_date": now.astimezone(SHANGHAI).date(), "parties": _party_rows(dispute.case_id),
        "organisation_name": organisation, "mediator_name": actor.display_name,
        "applied_date": dispute.created_at.astimezone(SHANGHAI).date(),
        "facts": (facts or dispute.facts or "；".join(dispute.claims) or "—").strip(),
        "terms": _numbered(terms),
        "signers": [{"label": s["label"].removesuffix("签名"), "name": s["signer"], "slot": s["name"]} for s in slots],
    }
    rendered = render_pdf(_agreement_template(slots), values)
    blob = blob_put_bytes(rendered.pdf, allowed=PDF)
    agreement = Agreement.objects.create(dispute=dispute, terms=terms, pdf_sha256=blob.sha256,
                                         original_sha256=blob.sha256, slots=slots, drafted_by=actor, drafted_at=now)
    _journal(dispute, entries.AGREEMENT_DRAFTED, actor, {"agreement_id": agreement.pk, "terms": terms},
             documents=[DocumentInput(sha256=blob.sha256, title="调解协议书", kind="mediation_agreement",
                                      filename="调解协议书.pdf", page_count=rendered.pages)])
    return agreement


def _bad_strokes(message: str = "") -> ValidationFailed:
    return errors.invalid(message or _("The signature image is not valid."), code="mediation_bad_strokes",
                          field="strokes")


def _slot_to_sign(agreement: Agreement, actor) -> tuple[Dispute, dict]:
    """The dispute and the actor's next slot on the agreement, or the error saying why they cannot sign now."""
    dispute = Dispute.objects.select_related("case", "case__court", "mediator").get(pk=agreement.dispute_id)
    if agreement.status != Agreement.Status.SIGNING or dispute.state != DisputeState.MEDIATING:
        raise Conflict(_("This agreement is not awaiting signatures."), code="mediation_wrong_state",
                       data={"status": agreement.status})
    is_mediator = dispute.mediator_id is not None and dispute.mediator.user_id == actor.pk
    my_party_ids = set(Participation.objects.filter(case_id=dispute.case_id, user=actor, party__isnull=False)
                       .values_list("party_id", flat=True))
    pending = [s for s in agreement.slots if s["name"] not in agreement.signed_slots]
    mine = [s for s in pending if (s["party_id"] is None and is_mediator) or s["party_id"] in my_party_ids]
    if not mine:
        if is_mediator or my_party_ids:
            raise Conflict(_("You have already signed this agreement."), code="mediation_signed_already")
        raise errors.not_party()
    slot = mine[0]
    if slot["party_id"] is None and len(pending) > 1:
        raise Conflict(_("The mediator signs last, after every party."), code="mediation_sign_order")
    return dispute, slot


def agreement_sign(*, agreement: Agreement, actor, strokes_png: bytes, device: str = "",
                   session_key: str = "") -> Agreement:
    """One handwritten signature on the agreement, sealed into the PDF with a PAdES signature: the platform's
    certificate on a party's behalf, the mediator's own certificate for the mediator (who signs last). When the
    last slot is signed the dispute is agreed.

    The strokes go through the checked intake first (outside the signing transaction, so a refused drawing stays
    on record as a refused upload and nothing is journaled); who may sign which slot is checked before and again
    under the row lock."""
    from yunting.core.efile.intake import strokes_through_intake
    from yunting.core.papers.services import cert_for_platform, cert_for_user
    from yunting.kernel.documents.signing import stamps
    from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign

    _slot_to_sign(Agreement.objects.get(pk=agreement.pk), actor)
    strokes = strokes_through_intake(png=strokes_png, user=actor, purpose="mediation_sign",
                                     subject=f"agreement:{agreement.pk}", invalid=_bad_strokes)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        dispute, slot = _slot_to_sign(agreement, actor)
        when = timezone.now().astimezone(SHANGHAI)
        try:
            image = stamps.handwriting_stamp(strokes_png=strokes.png,
                                             caption=f"{actor.display_name} {when:%Y-%m-%d %H:%M} 手写签名")
        except Exception:
            raise _bad_strokes() from None
        court = dispute.case.court
        cert = cert_for_user(actor, court) if slot["party_id"] is None else cert_for_platform(court)
        reason = f"{slot['signer']}手写签名" + ("" if slot["party_id"] is None else "（平台代为数字签名）")
        pdf = pdf_sign(blob_read(agreement.pdf_sha256), cert=cert,
                       request=SignRequest(slot["name"], reason=reason, location=court.name, image=image))
        blob = blob_put_bytes(pdf, allowed=PDF)
        signed = [*agreement.signed_slots, slot["name"]]
        complete = len(signed) == len(agreement.slots)
        agreement.signed_slots, agreement.pdf_sha256 = signed, blob.sha256
        agreement.status = Agreement.Status.SIGNED if complete else Agreement.Status.SIGNING
        agreement.signed_at = timezone.now() if complete else None
        agreement.save(update_fields=["signed_slots", "pdf_sha256", "status", "signed_at"])
        AgreementSignature.objects.create(  # the strokes are the blob the intake accepted
            agreement=agreement, slot=slot["name"], signer=actor, party_id=slot["party_id"],
            certificate_serial=str(cert.serial), pdf_sha256=blob.sha256, strokes_sha256=strokes.sha256,
            device=(device or "")[:300], signed_at=timezone.now())
        session = hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""
        _journal(dispute, entries.AGREEMENT_SIGNED, actor, {
            "agreement_id": agreement.pk, "slot": slot["name"], "signer": slot["signer"],
            "party_id": slot["party_id"], "certificate_serial": str(cert.serial), "strokes_sha256": strokes.sha256,
            "device": (device or "")[:300], "session": session, "complete": complete},
            documents=[DocumentInput(sha256=blob.sha256, title="调解协议书", kind="mediation_agreement",
                                     filename=f"调解协议书-{slot['name']}.pdf")])
        if complete:
            dispute = _move(dispute, frm=(DisputeState.MEDIATING,), to=DisputeState.AGREED,
                            closed_at=timezone.now())
            _stats_closed(dispute, agreed=True)
            _journal(dispute, entries.AGREED, actor, {"agreement_id": agreement.pk,
                                                      "confirm_by": _due("confirmation-apply").isoformat()})
    return agreement


# --- other outcomes ------------------------------------------------------------------------------------------------
@transaction.atomic
def dispute_withdraw(*, dispute: Dispute, actor, reason: str = "") -> Dispute:
    """The applicant (or the coordinator on their word) withdraws the dispute before it ends."""
    party = _party_of(dispute, actor)
    if not (party is not None and party.role in FIRST_SIDE) and not is_coordinator(actor, dispute.court_id):
        raise PermissionDenied(_("Only the applicant can withdraw the dispute."), code="mediation_not_party")
    had_mediator = dispute.state in (DisputeState.ASSIGNED, DisputeState.MEDIATING)
    dispute = _move(dispute, frm=OPEN_STATES, to=DisputeState.WITHDRAWN, closed_at=timezone.now(),
                    outcome_reason=(reason or "").strip()[:2000])
    Assignment.objects.filter(dispute=dispute, status=Assignment.Status.PENDING).update(
        status=Assignment.Status.WITHDRAWN, decided_at=timezone.now())
    if had_mediator:
        _stats_closed(dispute, agreed=False)
    _journal(dispute, entries.WITHDRAWN, actor, {"reason": dispute.outcome_reason})
    return dispute


@transaction.atomic
def dispute_fail(*, dispute: Dispute, actor, reason: str) -> Dispute:
    """Mediation ends without agreement (the mediator, or the coordinator when the period ran out). The parties
    may then convert the dispute into a filing in one click."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("Say why the mediation failed."), field="reason")
    dispute = Dispute.objects.select_related("mediator").get(pk=dispute.pk)
    is_mediator = dispute.mediator_id is not None and dispute.mediator.user_id == getattr(actor, "pk", None)
    if not is_mediator and not is_coordinator(actor, dispute.court_id):
        raise errors.not_mediator()
    had_mediator = dispute.state in (DisputeState.ASSIGNED, DisputeState.MEDIATING)
    dispute = _move(dispute, frm=OPEN_STATES, to=DisputeState.FAILED, closed_at=timezone.now(),
                    outcome_reason=reason[:2000])
    Assignment.objects.filter(dispute=dispute, status=Assignment.Status.PENDING).update(
        status=Assignment.Status.WITHDRAWN, decided_at=timezone.now())
    if had_mediator:
        _stats_closed(dispute, agreed=False)
    _journal(dispute, entries.FAILED, actor, {"reason": reason[:2000]})
    return dispute


# --- judicial confirmation -----------------------------------------------------------------------------------------
def _efile_documents(case_id: int, *, exclude_kinds: Sequence[str] = ()) -> list[DocumentInput]:
    """The main-volume documents of a case, latest version of each, as inputs to file elsewhere."""
    from yunting.core.efile.models import Document

    seen, out = set(), []
    for d in (Document.objects.filter(case_id=case_id, section__volume="main").exclude(kind__in=list(exclude_kinds))
              .order_by("-id")):
        key = (d.title, d.kind)
        if key in seen:
            continue
        seen.add(key)
        out.append(DocumentInput(sha256=d.blob_id, title=d.title, kind=d.kind, filename=d.filename,
                                 page_count=d.page_count or None))
    return list(reversed(out))


@transaction.atomic
def dispute_confirm(*, dispute: Dispute, actor):
    """司法确认 in one click: a party applies (for all parties jointly, as SJC requires) within 30 days of the
    agreement; a 民特 case opens with the signed agreement and the dispute's file; the court must accept within
    3 days and decide within 15. Returns the new case."""
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("case", "court", "organisation").get(pk=dispute.pk)
    _require_party(dispute, actor)
    if dispute.state != DisputeState.AGREED or dispute.confirmation_case_id is not None:
        raise errors.wrong_state(dispute.state if dispute.confirmation_case_id is None else "confirmed")
    agreement = Agreement.objects.filter(dispute=dispute, status=Agreement.Status.SIGNED).order_by("-id").first()
    if agreement is None:
        raise errors.wrong_state(dispute.state)
    signed_on = agreement.signed_at.astimezone(SHANGHAI).date()
    if _today() > _due("confirmation-apply", signed_on):
        raise Conflict(_("Judicial confirmation must be applied for within 30 days of the agreement."),
                       code="mediation_confirm_late", data={"signed_on": signed_on.isoformat()})
    parties = [PartyInput(role=PartyRole.APPLICANT, kind=p.kind, name=p.name, id_number=p.id_number,
                          credit_code=p.credit_code, address=p.address, phone=p.phone, user=p.user)
               for p in Party.objects.filter(case_id=dispute.case_id).select_related("user").order_by("order", "id")]
    cause = Cause.objects.filter(name=CONFIRMATION_CAUSE).first()
    case_type = CaseType.objects.get(code=CONFIRMATION_TYPE)
    documents = _efile_documents(dispute.case_id, exclude_kinds=["mediation_agreement"])
    documents.insert(0, DocumentInput(sha256=agreement.pdf_sha256, title="调解协议书（已签署）",
                                      kind="mediation_agreement", filename="调解协议书.pdf"))
    case = case_open(data=CaseInput(court=dispute.court, case_type=case_type, cause=cause, parties=parties,
                                    procedure="special", claim_amount=dispute.claim_amount,
                                    title=f"{'、'.join(p.name for p in parties)}申请司法确认调解协议"), actor=actor)
    today = _today()
    confirmation = Confirmation.objects.create(
        dispute=dispute, case=case, agreement=agreement, applied_by=actor, applied_at=timezone.now(),
        accept_due=_due("confirmation-accept", today), decide_due=_due("confirmation-decide", today))
    Dispute.objects.filter(pk=dispute.pk).update(confirmation_case=case, updated_at=timezone.now())
    payload = {"dispute_id": dispute.pk, "dispute_case": dispute.case.number, "agreement_id": agreement.pk,
               "accept_due": confirmation.accept_due.isoformat(), "decide_due": confirmation.decide_due.isoformat()}
    journal_append(case=case, kind=entries.CONFIRMATION_APPLIED, actor=actor, payload=payload, documents=documents)
    _journal(dispute, entries.CONFIRMATION_APPLIED, actor, {**payload, "case_id": case.pk, "number": case.number})
    return case


def _judge_of(court_id: int, user) -> bool:
    return Membership.objects.filter(user=user, organisation_id=court_id, role=Role.JUDGE).exists()


@transaction.atomic
def confirmation_rule(*, case, actor, granted: bool, reasons: str = ""):
    """The judge rules on the application: the agreement is valid, or the application is refused (with reasons).
    The ruling (民事裁定书) is drafted, issued and signed by the judge, and sealed at once when the judge holds the
    seal (else it waits in the seal queue); once sealed, core/service serves it electronically. Returns the paper."""
    from yunting.core.papers.services import can_seal, paper_draft, paper_issue, paper_seal

    confirmation = Confirmation.objects.select_for_update(of=("self",)).select_related(
        "dispute", "dispute__case", "dispute__organisation__organisation", "agreement", "case", "case__court").filter(
        case_id=getattr(case, "pk", case)).first()
    if confirmation is None:
        raise errors.not_found()
    case = confirmation.case
    if not _judge_of(case.court_id, actor):
        raise errors.not_judge()
    if confirmation.decided_at is not None:
        raise Conflict(_("The court has already ruled on this application."), code="mediation_wrong_state")
    reasons = (reasons or "").strip()
    if not granted and not reasons:
        raise errors.invalid(_("A refusal must give its reasons."), field="reasons")
    case_add_participant(case=case, user=actor, role=CaseRole.JUDGE, actor=actor)
    dispute = confirmation.dispute
    applicants = "、".join(Party.objects.filter(case=case).order_by("order", "id").values_list("name", flat=True))
    signed_on = confirmation.agreement.signed_at.astimezone(SHANGHAI).date()
    organisation = dispute.organisation.organisation.name if dispute.organisation_id else "调解组织"
    if granted:
        reasoning = reasons or ("申请人达成的调解协议是在自愿基础上达成的，内容不违反法律、行政法规的强制性规定，"
                                "不损害国家利益、社会公共利益和他人合法权益，符合司法确认调解协议的法定条件。")
        orders = (f"申请人{applicants}于{signed_on:%Y年%-m月%-d日}经{organisation}主持调解达成的调解协议有效。\n"
                  "当事人应当按照调解协议的约定自觉履行义务。一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请执行。")
    else:
        reasoning = reasons
        orders = (f"驳回申请人{applicants}的司法确认申请。\n"
                  "当事人可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼。")
    paper = paper_draft(case=case, template_code="confirmation_ruling", actor=actor, values={
        "parties": [{"label": "申请人", "name": n, "detail": ""} for n in applicants.split("、") if n],
        "applicants": applicants, "applied_date": confirmation.applied_at.astimezone(SHANGHAI).date(),
        "agreement_date": signed_on, "organisation_name": organisation,
        "agreement_terms": _numbered(confirmation.agreement.terms), "reasoning": reasoning, "orders": orders,
        "judge_name": actor.display_name})
    paper = paper_issue(paper=paper, actor=actor)
    now = timezone.now()
    Confirmation.objects.filter(pk=confirmation.pk).update(decided_at=now, judge=actor, granted=bool(granted),
                                                           reasons=reasons[:4000], paper_id=paper.pk)
    payload = {"dispute_id": dispute.pk, "granted": bool(granted), "paper_id": paper.pk,
               "late": _today() > confirmation.decide_due}
    journal_append(case=case, kind=entries.CONFIRMATION_RULED, actor=actor, payload=payload)
    _journal(dispute, entries.CONFIRMATION_RULED, actor, {**payload, "case_id": case.pk})
    if granted:
        _move(dispute, frm=(DisputeState.AGREED,), to=DisputeState.CONFIRMED)
    case_change_status(case=case, status=CaseStatus.CLOSED, actor=actor,
                       reason="裁定调解协议有效" if granted else "裁定驳回司法确认申请")
    if can_seal(actor, case.court):
        paper = paper_seal(paper=paper, actor=actor)
    return paper


# --- conversion into a filing ----------------------------------------------------------------------------------------
def _record_lines(dispute: Dispute) -> list[str]:
    """The mediation record for the report: what happened, from the dispute's own journal, in order."""
    from yunting.core.journal.models import JournalEntry

    labels = {entries.SUBMITTED: "收到调解申请", entries.ASSIGNED: "委派调解员", entries.ACCEPTED: "调解员接受委派",
              entries.DECLINED: "调解员拒绝委派", entries.STARTED: "开始调解", entries.PROPOSAL: "提出调解方案",
              entries.AGREEMENT_DRAFTED: "拟定调解协议", entries.FAILED: "调解不成",
              entries.WITHDRAWN: "撤回调解申请"}
    lines = []
    for e in JournalEntry.objects.filter(case_id=dispute.case_id, kind__in=list(labels)).order_by("id"):
        p = e.payload or {}
        extra = p.get("mediator") or {"room": "（在线调解室）", "thread": "（异步调解）"}.get(p.get("mode"), "") \
            or p.get("reason", "")
        lines.append(f"{e.recorded_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} {labels[e.kind]}"
                     + (f"：{extra}" if extra else ""))
    return lines or ["无调解记录。"]


def _report_pdf(dispute: Dispute) -> tuple[bytes, int]:
    from yunting.kernel.documents.render import render_pdf

    organisation = dispute.organisation.organisation.name if dispute.organisation_id else "—"
    mediator = dispute.mediator.user.display_name if dispute.mediator_id else "—"
    outcome = {DisputeState.FAILED: f"调解不成：{dispute.outcome_reason}",
               DisputeState.AGREED: "达成调解协议，司法确认申请被驳回，转入诉讼。"}.get(dispute.state, dispute.state)
    rendered = render_pdf("investigation_report", {
        "court_name": dispute.court.name, "case_number": dispute.case.number, "cause": dispute.cause.name,
        "issue_date": _today(), "parties": _party_rows(dispute.case_id),
        "organisation_name": organisation, "mediator_name": mediator,
        "claims": "\n".join(dispute.claims) or "—", "claim_amount": dispute.claim_amount,
        "record": "\n".join(_record_lines(dispute)),
        "undisputed": "\n".join(dispute.undisputed_facts or []), "disputed": "\n".join(dispute.disputed_points or []),
        "outcome": outcome})
    return rendered.pdf, rendered.pages


@transaction.atomic
def dispute_convert(*, dispute: Dispute, actor):
    """Failed mediation → a filing in one click, nothing typed twice: the parties, claims, amount, facts and
    questionnaire as submitted, every document of the dispute's file, the mediation record and a generated
    诉前调查报告 (undisputed facts, disputed points). The filing is submitted for review at once (its 7-day review
    period runs); the filer is the applicant's account (or the actor). Returns the Filing."""
    from yunting.workflows.filing.services import filing_from_mediation

    dispute = Dispute.objects.select_for_update(of=("self",)).select_related(
        "case", "court", "cause", "mediator__user", "organisation__organisation").get(pk=dispute.pk)
    party = _party_of(dispute, actor)
    if party is None and not is_coordinator(actor, dispute.court_id):
        raise errors.not_party()
    refused = hasattr(dispute, "confirmation") and dispute.confirmation.granted is False
    if dispute.state != DisputeState.FAILED and not (dispute.state == DisputeState.AGREED and refused):
        raise errors.wrong_state(dispute.state)
    pdf, pages = _report_pdf(dispute)
    report = blob_put_bytes(pdf, allowed=PDF)
    _journal(dispute, entries.REPORT, actor, {"title": "诉前调查报告"},
             documents=[DocumentInput(sha256=report.sha256, title="诉前调查报告", kind="mediation_transcript",
                                      filename="诉前调查报告.pdf", page_count=pages)])
    parties = list(Party.objects.filter(case_id=dispute.case_id).select_related("user").order_by("order", "id"))
    applicant_user = next((p.user for p in parties if p.role in FIRST_SIDE and p.user_id), None)
    documents = _efile_documents(dispute.case_id)
    filing = filing_from_mediation(
        court=dispute.court, case_type_code=LITIGATION_TYPE, cause=dispute.cause, claims=list(dispute.claims),
        claim_amount=dispute.claim_amount, facts=dispute.facts, questionnaire=dispute.questionnaire,
        parties=[PartyInput(role=p.role, kind=p.kind, name=p.name, id_number=p.id_number, credit_code=p.credit_code,
                            address=p.address, phone=p.phone, user=p.user) for p in parties],
        documents=[(d.sha256, d.title, d.kind, d.filename, d.page_count) for d in documents],
        filer=applicant_user or actor, actor=actor,
        source={"dispute_id": dispute.pk, "case_id": dispute.case_id, "number": dispute.case.number,
                "payload": dispute.payload})
    dispute = _move(dispute, frm=(dispute.state,), to=DisputeState.CONVERTED, converted_filing_id=filing.pk)
    _journal(dispute, entries.CONVERTED, actor, {"filing_id": filing.pk, "report_sha256": report.sha256})
    case_change_status(case=dispute.case, status=CaseStatus.CLOSED, actor=actor, reason="调解不成，转入诉讼")
    return filing


def dispute_overdue_mark(dispute: Dispute) -> dict[str, bool]:
    """Which limits the dispute has overrun today (for pages and alerts); see selectors.overdue for lists."""
    today = _today()
    return {
        "assign": dispute.state == DisputeState.NEW and today > dispute.assign_due,
        "accept": dispute.state == DisputeState.ASSIGNED and dispute.accepted_at is None
        and dispute.accept_due is not None and today > dispute.accept_due,
        "mediation": dispute.state in (DisputeState.ASSIGNED, DisputeState.MEDIATING)
        and dispute.mediation_due is not None and today > dispute.mediation_due,
    }

