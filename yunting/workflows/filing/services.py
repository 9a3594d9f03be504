"""Writes of the filing workflow. Each service is one transaction; the status check inside it is the guard
against double clicks (a conditional UPDATE, so it holds on SQLite and on PostgreSQL alike)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yunting.core.cases.services import CaseInput, PartyInput, case_open
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership, Organisation
from yunting.kernel.calendar import legal_deadline
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import shanghai_today

from . import entries
from .choices import EDITABLE, FilingStatus, NoticeStatus
from .errors import FilingErrorCode, FilingInvalid
from .models import Filing, FilingDocument, FilingEvent, FilingParty, fingerprint
from .papers import filing_generate_papers
from .validation import DOCUMENT_KINDS, Cleaned, Lookups, Problem, fee_for, validate_payload
from .webhooks import webhook_queue, webhooks_of

log = logging.getLogger(__name__)
REVIEW_DAYS = 7  # CPL 126: register or refuse within 7 days
REVIEWER_ROLES = (Role.FILING_OFFICER, Role.COURT_ADMIN)
DRAFT_FIELDS = ("court", "case_type", "cause", "procedure", "claim_amount", "claims", "facts", "parties",
                "documents", "on_behalf_of", "questionnaire")


def is_reviewer(user, court_id) -> bool:
    return Membership.objects.filter(user=user, organisation_id=court_id, role__in=REVIEWER_ROLES).exists()


def _require_reviewer(user, filing: Filing) -> None:
    if not is_reviewer(user, filing.court_id):
        raise PermissionDenied("只有本院立案人员可以审查立案申请", code=str(FilingErrorCode.NOT_REVIEWER))


def _event(filing: Filing, kind: str, actor=None, **payload) -> None:
    FilingEvent.objects.create(filing=filing, kind=kind, actor=actor, payload=payload)


def _move(filing: Filing, *, frm: tuple[str, ...], to: str, **fields) -> Filing:
    """Change status only if it is still one of `frm`: the UPDATE is the guard (double clicks, two officers)."""
    updated = Filing.objects.filter(pk=filing.pk, status__in=frm).update(status=to, updated_at=timezone.now(),
                                                                          **fields)
    if updated != 1:
        current = Filing.objects.filter(pk=filing.pk).values_list("status", flat=True).first()
        raise Conflict(f"该立案申请当前状态为“{FilingStatus(current).label if current else '-'}”，不能进行此操作",
                       code=str(FilingErrorCode.WRONG_STATUS), data={"status": current})
    filing.refresh_from_db()
    return filing


# --- drafting --------------------------------------------------------------------------------------------------
@transaction.atomic
def filing_save_draft(*, filer, data: dict[str, Any], filing: Filing | None = None) -> Filing:
    """Save whatever was typed so far, valid or not: the payload is kept as given and nothing is ever dropped.

    Known fields replace their previous values; the court is resolved when it can be (so the draft can be
    listed), everything else is checked only at submission.
    """
    if filing is None:
        filing = Filing(filer=filer, payload={})
    elif filing.status not in EDITABLE:
        raise Conflict("已提交的立案申请不能再修改", code=str(FilingErrorCode.WRONG_STATUS),
                       data={"status": filing.status})
    payload = dict(filing.payload or {})
    for key, value in (data or {}).items():
        if key in DRAFT_FIELDS:
            payload[key] = value
    filing.payload = payload
    court_ref = str(payload.get("court") or "").strip()
    court = Organisation.objects.filter(kind="court").filter(
        **({"pk": int(court_ref)} if court_ref.isdigit() else {"court_code": court_ref})).first() if court_ref else None
    if filing.status == FilingStatus.DRAFT:
        filing.court = court
    created = filing.pk is None
    filing.save()
    if created:
        _event(filing, entries.SAVED, filer)
    return filing


@transaction.atomic
def filing_add_document(*, filing: Filing, actor, stream, title: str, kind: str, filename: str = "") -> FilingDocument:
    """Store an upload (type sniffed from its content, size-limited) and attach it to an editable filing."""
    from yunting.kernel.blobs.store import blob_put

    if filing.status not in EDITABLE:
        raise Conflict("已提交的立案申请不能再上传材料", code=str(FilingErrorCode.WRONG_STATUS))
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写材料名称", code="filing_document_title", data={"field": "title"})
    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed("材料类别无效", code="filing_document_kind", data={"field": "kind"})
    blob = blob_put(stream)
    doc, _ = FilingDocument.objects.get_or_create(
        filing=filing, blob=blob, kind=kind,
        defaults={"title": title[:300], "filename": (filename or "")[:255], "uploaded_by": actor})
    return doc


@transaction.atomic
def filing_remove_document(*, filing: Filing, document_id: int) -> None:
    if filing.status not in EDITABLE:
        raise Conflict("已提交的立案申请不能再修改材料", code=str(FilingErrorCode.WRONG_STATUS))
    FilingDocument.objects.filter(filing=filing, pk=document_id, generated=False).delete()


def _payload_with_documents(filing: Filing) -> dict[str, Any]:
    payload = dict(filing.payload or {})
    if filing.pk and not payload.get("documents"):
        payload["documents"] = [{"sha256": d.blob_id, "title": d.title, "kind": d.kind, "filename": d.filename}
                                for d in filing.documents.filter(generated=False)]
    return payload


def filing_validate(*, filing: Filing | None = None, data: dict | None = None,
                    lookups: Lookups | None = None) -> list[dict[str, str]]:
    """Every field-level problem at once: [{field, code, message}]; [] when the filing can be submitted."""
    payload = _payload_with_documents(filing) if filing is not None else data
    problems, _ = validate_payload(payload, lookups=lookups or Lookups())
    return [p.as_dict() for p in problems]


# --- submission ------------------------------------------------------------------------------------------------
def _apply_cleaned(filing: Filing, cleaned: Cleaned, *, client=None) -> None:
    filing.court, filing.case_type, filing.cause = cleaned.court, cleaned.case_type, cleaned.cause
    filing.procedure, filing.claims, filing.facts = cleaned.procedure, cleaned.claims, cleaned.facts
    filing.questionnaire = cleaned.questionnaire
    filing.claim_amount = cleaned.claim_amount
    filing.fee = fee_for(case_type=cleaned.case_type, cause=cleaned.cause, amount=cleaned.claim_amount,
                         procedure=cleaned.procedure or cleaned.case_type.default_procedure)
    filing.fingerprint = fingerprint(court_id=cleaned.court.pk, cause_id=cleaned.cause.pk,
                                     amount=cleaned.claim_amount, parties=[vars(p) for p in cleaned.parties])


def _party_rows(filing: Filing, cleaned: Cleaned) -> list[FilingParty]:
    """The filer (or the lawyer's client) is linked to the first plaintiff-side party with their name."""
    from .validation import FIRST_SIDE

    person = filing.on_behalf_of or filing.filer
    rows, linked = [], False
    for i, p in enumerate(cleaned.parties):
        user = None
        if person is not None and not linked and p.role in FIRST_SIDE and p.name == person.display_name:
            user, linked = person, True
        rows.append(FilingParty(filing=filing, role=p.role, kind=p.kind, name=p.name, id_number=p.id_number,
                                credit_code=p.credit_code, address=p.address, phone=p.phone, user=user, order=i))
    return rows


def _client_for(filer, payload) -> Any:
    """A lawyer filing for a client names the client's account (by username); None otherwise."""
    from yunting.core.people.models import User

    ref = str(payload.get("on_behalf_of") or "").strip()
    if not ref:
        return None
    client = User.objects.filter(username=ref).first()
    if client is None or not Membership.objects.filter(user=filer, role=Role.LAWYER).exists():
        return False
    return client


def _deadline(today: date | None = None) -> date:
    return legal_deadline(today or shanghai_today(), REVIEW_DAYS)


@transaction.atomic
def filing_submit(*, filing: Filing, actor) -> Filing:
    """Validate everything and submit for review; the 7-day review period starts the next day."""
    payload = _payload_with_documents(filing)
    problems, cleaned = validate_payload(payload, lookups=Lookups())
    client = _client_for(actor, payload)
    if client is False:
        problems.append(Problem("on_behalf_of", "unknown", "委托人账号不存在，或您不是执业律师"))
    if problems:
        raise FilingInvalid([p.as_dict() for p in problems])
    filing = _move(filing, frm=(FilingStatus.DRAFT,), to=FilingStatus.SUBMITTED, court=cleaned.court)
    filing.on_behalf_of = client or None
    _store_cleaned(filing, cleaned)
    filing.submitted_at, filing.deadline = timezone.now(), _deadline()
    filing.save()
    filing_generate_papers(filing, actor=actor)
    _event(filing, entries.SUBMITTED, actor, deadline=filing.deadline.isoformat(), fee=filing.fee.get("fee"))
    return filing


def _store_cleaned(filing: Filing, cleaned: Cleaned) -> None:
    _apply_cleaned(filing, cleaned)
    FilingParty.objects.filter(filing=filing).delete()
    FilingParty.objects.bulk_create(_party_rows(filing, cleaned))
    have = {(d.blob_id, d.kind) for d in filing.documents.all()}
    FilingDocument.objects.bulk_create([
        FilingDocument(filing=filing, blob_id=d.sha256, title=d.title, kind=d.kind, filename=d.filename,
                       uploaded_by=filing.filer)
        for d in cleaned.documents if (d.sha256, d.kind) not in have
    ])


@transaction.atomic
def filing_request_supplement(*, filing: Filing, actor, request: str, days: int = 15) -> Filing:
    """One consolidated correction notice (OLR 9); the review period restarts when the filer resubmits."""
    _require_reviewer(actor, filing)
    request = (request or "").strip()
    if not request:
        raise ValidationFailed("请写明需要补正的内容", code=str(FilingErrorCode.REASON_REQUIRED),
                               data={"field": "request"})
    if not 1 <= int(days) <= 60:
        raise ValidationFailed("补正期限应为 1 至 60 日", code="filing_supplement_days", data={"field": "days"})
    until = legal_deadline(shanghai_today(), int(days))
    filing = _move(filing, frm=(FilingStatus.SUBMITTED,), to=FilingStatus.SUPPLEMENT_REQUESTED,
                   supplement_request=request, supplement_deadline=until, reviewer=actor)
    _event(filing, entries.SUPPLEMENT_REQUESTED, actor, request=request, until=until.isoformat())
    webhook_queue(filing, "supplement_requested")
    return filing


@transaction.atomic
def filing_resubmit(*, filing: Filing, actor, data: dict[str, Any] | None = None) -> Filing:
    """The filer answers a supplement request: changes are saved, everything re-validated, review restarts."""
    if data:
        filing = filing_save_draft(filer=actor, data=data, filing=filing)
    payload = _payload_with_documents(filing)
    problems, cleaned = validate_payload(payload, lookups=Lookups())
    if problems:
        raise FilingInvalid([p.as_dict() for p in problems])
    filing = _move(filing, frm=(FilingStatus.SUPPLEMENT_REQUESTED,), to=FilingStatus.SUBMITTED)
    _store_cleaned(filing, cleaned)
    filing.submitted_at, filing.deadline = timezone.now(), _deadline()
    filing.save()
    filing_generate_papers(filing, actor=actor)
    _event(filing, entries.RESUBMITTED, actor, deadline=filing.deadline.isoformat())
    return filing


# --- decisions -------------------------------------------------------------------------------------------------
@transaction.atomic
def filing_reject(*, filing: Filing, actor, reason: str) -> Filing:
    _require_reviewer(actor, filing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("不予受理须写明理由", code=str(FilingErrorCode.REASON_REQUIRED), data={"field": "reason"})
    filing = _move(filing, frm=(FilingStatus.SUBMITTED,), to=FilingStatus.REJECTED, decision_reason=reason,
                   decided_at=timezone.now(), reviewer=actor)
    _event(filing, entries.REJECTED, actor, reason=reason)
    webhook_queue(filing, "rejected")
    return filing


@transaction.atomic
def filing_accept(*, filing: Filing, actor, notify: bool = True) -> Any:
    """Register the case: number, parties and participants (case_open journals case.registered), then
    `filing.accepted` carrying the filing's documents into the e-file. The 受理通知书 is rendered and issued by a
    background task afterwards (notice_status pending → done/failed): a slow or failing renderer never undoes
    an acceptance, and the task is retried.
    """
    _require_reviewer(actor, filing)
    filing = Filing.objects.select_for_update(of=("self",)).select_related(*ACCEPT_RELATED).get(pk=filing.pk)
    if filing.status != FilingStatus.SUBMITTED:  # fast refusal; the conditional UPDATE is the real guard
        raise Conflict("该立案申请已处理，不能重复立案", code=str(FilingErrorCode.WRONG_STATUS),
                       data={"status": filing.status})
    case = _accept_loaded(filing, actor=actor, notice=NoticeStatus.PENDING if notify else NoticeStatus.NONE)
    _event(filing, entries.ACCEPTED, actor, case_id=case.pk, case_number=case.number)
    if notify:
        transaction.on_commit(lambda: _enqueue_notices([filing.pk]))
    return case


ACCEPT_RELATED = ("court", "case_type", "cause", "filer", "on_behalf_of", "institution")


def _accept_loaded(filing: Filing, *, actor, notice: str, hooks=None):
    """The acceptance itself, on a filing loaded with ACCEPT_RELATED (parties, documents and events may be
    prefetched). Call inside a transaction; raises Conflict (rolling the case back) if the filing was decided
    meanwhile."""
    from yunting.core.cases.choices import CaseRole

    participants = []
    if filing.filer is not None and filing.on_behalf_of is not None:
        participants.append((filing.filer, CaseRole.LAWYER))
    case = case_open(
        data=CaseInput(
            court=filing.court, case_type=filing.case_type, cause=filing.cause,
            parties=[PartyInput(role=p.role, kind=p.kind, name=p.name, id_number=p.id_number,
                                credit_code=p.credit_code, address=p.address, phone=p.phone, user=p.user)
                     for p in filing.parties.all()],
            procedure=filing.procedure, claim_amount=filing.claim_amount, filed_at=filing.submitted_at,
            participants=participants,
        ),
        actor=actor,
    )
    # the guard: a second click (or officer) that got this far finds the status changed and rolls its case back
    now = timezone.now()
    fields = {"status": FilingStatus.ACCEPTED, "case": case, "decided_at": now, "reviewer": actor,
              "notice_status": notice}
    if Filing.objects.filter(pk=filing.pk, status=FilingStatus.SUBMITTED).update(updated_at=now, **fields) != 1:
        raise Conflict("该立案申请已处理，不能重复立案", code=str(FilingErrorCode.WRONG_STATUS))
    for name, value in fields.items():
        setattr(filing, name, value)
    documents = [DocumentInput(sha256=d.blob_id, title=d.title, kind=d.kind, filename=d.filename)
                 for d in filing.documents.all()]
    journal_append(case=case, kind=entries.ACCEPTED, actor=actor, documents=documents, payload={
        "filing_id": filing.pk, "submitted_at": filing.submitted_at.isoformat() if filing.submitted_at else None,
        "deadline": filing.deadline.isoformat() if filing.deadline else None,
        "claims": filing.claims, "fee": filing.fee.get("fee"), "fee_kind": filing.fee.get("kind"),
        "external_id": filing.external_id or None,
        "institution": filing.institution.name if filing.institution_id else None,
        "events": [{"kind": e.kind, "at": e.recorded_at.isoformat(), "actor_id": e.actor_id}
                   for e in filing.events.all()],
    })
    webhook_queue(filing, "accepted", hooks=hooks)
    return case


def _enqueue_notices(filing_ids: list[int]) -> None:
    from .tasks import filing_notices_issue

    try:
        filing_notices_issue.enqueue(filing_ids=filing_ids)
    except Exception:  # the filings stay notice_status=pending; `filing_notices_retry` picks them up
        log.exception("could not enqueue acceptance notices for %s", filing_ids)


def filing_accept_batch(*, actor, court, filing_ids: list[int] | None = None, batch=None,
                        chunk: int = 200) -> dict[str, Any]:
    """一键立案: accept many submitted filings of one court. Each filing is its own savepoint inside a chunk's
    transaction, so one bad filing is reported and skipped without undoing the others; notices are issued by
    background tasks, one per chunk. Returns {"accepted": n, "failed": [{filing_id, code, message}]}."""
    if not is_reviewer(actor, court.pk):
        raise PermissionDenied("只有本院立案人员可以批量立案", code=str(FilingErrorCode.NOT_REVIEWER))
    qs = Filing.objects.filter(court=court, status=FilingStatus.SUBMITTED)
    if batch is not None:
        qs = qs.filter(batch=batch)
    if filing_ids is not None:
        qs = qs.filter(pk__in=list(filing_ids))
    ids = list(qs.order_by("deadline", "id").values_list("pk", flat=True))
    accepted, failed = 0, []
    hooks = webhooks_of(court.pk)
    for start in range(0, len(ids), chunk):
        done_ids, events = [], []
        with transaction.atomic():
            filings = (Filing.objects.filter(pk__in=ids[start:start + chunk], status=FilingStatus.SUBMITTED)
                       .select_related(*ACCEPT_RELATED).prefetch_related("parties", "documents", "events")
                       .order_by("deadline", "id"))
            for filing in filings:
                try:
                    with transaction.atomic():  # a savepoint: one failure undoes only its own case
                        case = _accept_loaded(filing, actor=actor, notice=NoticeStatus.PENDING, hooks=hooks)
                except Exception as exc:  # reported per filing; the rest of the chunk goes on
                    failed.append({"filing_id": filing.pk, "code": getattr(exc, "code", "error"),
                                   "message": str(getattr(exc, "message", exc))})
                    continue
                done_ids.append(filing.pk)
                events.append(FilingEvent(filing=filing, kind=entries.ACCEPTED, actor=actor,
                                          payload={"case_id": case.pk, "case_number": case.number, "bulk": True}))
            FilingEvent.objects.bulk_create(events)
            if done_ids:
                transaction.on_commit(lambda ids=list(done_ids): _enqueue_notices(ids))
        accepted += len(done_ids)
    return {"accepted": accepted, "failed": failed}


# --- the acceptance notice (background) ------------------------------------------------------------------------
def filing_notice_issue(*, filing_id: int) -> str:
    """Render and issue the 受理通知书 (with the fee) into the case's e-file; idempotent. Returns the status."""
    from yunting.core.papers.services import paper_draft, paper_issue

    filing = Filing.objects.select_related("case", "reviewer").get(pk=filing_id)
    if filing.notice_status == NoticeStatus.DONE or filing.case is None:
        return filing.notice_status
    try:
        with transaction.atomic():
            values = {"fee": filing.fee.get("fee") or "0.00", "judge_name": "（另行指定）"}
            paper = paper_draft(case=filing.case, template_code="acceptance_notice", actor=filing.reviewer,
                                values=values)
            paper_issue(paper=paper, actor=filing.reviewer)
            journal_append(case=filing.case, kind=entries.NOTICE_ISSUED, actor=filing.reviewer,
                           payload={"filing_id": filing.pk, "paper_id": paper.pk, "fee": values["fee"]})
            Filing.objects.filter(pk=filing.pk).update(notice_status=NoticeStatus.DONE, notice_error="")
    except Exception as exc:
        log.exception("acceptance notice for filing %s failed", filing_id)
        message = str(getattr(exc, "message", "") or f"{exc.__class__.__name__}: {exc}")[:2000]
        Filing.objects.filter(pk=filing.pk).update(notice_status=NoticeStatus.FAILED, notice_error=message)
        return NoticeStatus.FAILED
    return NoticeStatus.DONE


def filing_notices_retry() -> int:
    """Re-enqueue every notice still pending or failed (after a crash or a renderer fix); returns how many."""
    ids = list(Filing.objects.filter(notice_status__in=(NoticeStatus.PENDING, NoticeStatus.FAILED))
               .values_list("pk", flat=True))
    for start in range(0, len(ids), 100):
        _enqueue_notices(ids[start:start + 100])
    return len(ids)


def supplement_deadline_default() -> date:
    return shanghai_today() + timedelta(days=15)
