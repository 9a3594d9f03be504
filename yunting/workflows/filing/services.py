"""Writes of the filing workflow. Each service is one transaction; the status check inside it is the guard
against double clicks (a conditional UPDATE, so it holds on SQLite and on PostgreSQL alike)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.services import PartyInput, case_open_many
from yunting.core.journal.services import journal_append
from yunting.core.people.choices import Role
from yunting.core.people.models import Organisation
from yunting.core.people.selectors import holds
from yunting.kernel.calendar import legal_deadline
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import entries
from .case_input import ACCEPT_RELATED, case_input_of, related_of
from .choices import EDITABLE, WITHDRAWABLE, FilingStatus
from .errors import FilingErrorCode, FilingInvalid
from .models import Filing, FilingDocument, FilingEvent, FilingParty, fingerprint
from .papers import filing_generate_papers
from .validation import DOCUMENT_KINDS, Cleaned, Lookups, Problem, fee_for, validate_payload
from .webhooks import webhook_queue

REVIEW_DAYS = 7  # CPL 126: register or refuse within 7 days
REVIEWER_ROLES = (Role.FILING_OFFICER, Role.COURT_ADMIN)
DRAFT_FIELDS = ("court", "case_type", "cause", "procedure", "claim_amount", "claims", "facts", "parties",
                "documents", "on_behalf_of", "questionnaire", "party_slots")


def is_reviewer(user, court_id) -> bool:
    return court_id is not None and holds(user, REVIEWER_ROLES, organisation_id=court_id)


def is_lawyer(user) -> bool:
    return holds(user, [Role.LAWYER])


def require_reviewer(user, filing: Filing) -> None:
    if not is_reviewer(user, filing.court_id):
        raise PermissionDenied(_("Only this court's filing officers can review filings."), code=str(FilingErrorCode.NOT_REVIEWER))


def _event(filing: Filing, kind: str, actor=None, **payload) -> None:
    FilingEvent.objects.create(filing=filing, kind=kind, actor=actor, payload=payload)


def _move(filing: Filing, *, frm: tuple[str, ...], to: str, **fields) -> Filing:
    """Change status only if it is still one of `frm`: the UPDATE is the guard (double clicks, two officers)."""
    updated = Filing.objects.filter(pk=filing.pk, status__in=frm).update(status=to, updated_at=timezone.now(),
                                                                          **fields)
    if updated != 1:
        current = Filing.objects.filter(pk=filing.pk).values_list("status", flat=True).first()
        raise Conflict(_("The filing is now “%(status)s”; this cannot be done.")
                       % {"status": FilingStatus(current).label if current else "-"},
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
        raise Conflict(_("A submitted filing can no longer be changed."), code=str(FilingErrorCode.WRONG_STATUS),
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


def _has_content(value) -> bool:
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_content(v) for v in value)
    return bool(str(value).strip()) if value is not None else False


def filing_is_empty(filing: Filing) -> bool:
    """Nothing typed and nothing uploaded yet (a draft opened by 我要立案 and left as it was)."""
    from yunting.core.efile.models import Upload

    payload = {k: v for k, v in (filing.payload or {}).items() if k != "party_slots"}
    return (not _has_content(payload) and not filing.documents.exists()
            and not Upload.objects.filter(subject__startswith=f"filing:{filing.pk}").exists())


@transaction.atomic
def filing_open_draft(*, filer) -> Filing:
    """我要立案: the filer's open draft that is still empty if there is one, else a new draft — so clicking the
    button again does not pile up empty drafts."""
    for draft in Filing.objects.filter(filer=filer, status=FilingStatus.DRAFT).order_by("-updated_at", "-id")[:20]:
        if filing_is_empty(draft):
            return draft
    return filing_save_draft(filer=filer, data={})


@transaction.atomic
def filing_delete_draft(*, filing: Filing, actor) -> Filing:
    """The filer deletes a draft: it disappears from their list; the row and its event stay for the record."""
    if filing.filer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who started a draft can delete it."),
                               code=str(FilingErrorCode.NOT_REVIEWER))
    filing = _move(filing, frm=(FilingStatus.DRAFT,), to=FilingStatus.DELETED)
    _event(filing, entries.DRAFT_DELETED, actor)
    return filing


@transaction.atomic
def filing_withdraw(*, filing: Filing, actor, reason: str = "") -> Filing:
    """The filer takes a submitted filing back before the court decides (it leaves the review queue)."""
    if getattr(actor, "pk", None) not in (filing.filer_id, filing.on_behalf_of_id):
        raise PermissionDenied(_("Only the filer can withdraw a filing."), code=str(FilingErrorCode.NOT_REVIEWER))
    filing = _move(filing, frm=WITHDRAWABLE, to=FilingStatus.WITHDRAWN, decided_at=timezone.now())
    _event(filing, entries.WITHDRAWN, actor, reason=(reason or "").strip()[:500])
    webhook_queue(filing, "withdrawn")
    return filing


def filing_add_document(*, filing: Filing, actor, stream, title: str, kind: str, filename: str = "",
                        more_photos=()):
    """Take an upload for an editable filing through the one checked intake and answer at once: the Upload is
    `checking`, and once its content passes (type by magic bytes, size, quota, pages, blank pages, scan
    resolution, in the sandbox) `filing_upload_accepted` attaches it. A photo of paper becomes a straightened
    PDF; `more_photos` are further pages of the same paper document, photographed one by one."""
    from yunting.core.efile.intake import upload_receive

    if filing.status not in EDITABLE:
        raise Conflict(_("A submitted filing cannot take new materials."), code=str(FilingErrorCode.WRONG_STATUS))
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Enter the document's title."), code="filing_document_title", data={"field": "title"})
    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed(_("Choose a valid kind of material."), code="filing_document_kind",
                               data={"field": "kind"})
    return upload_receive(streams=[stream, *more_photos], purpose="filing", user=actor,
                          subject=f"filing:{filing.pk}",
                          intent={"title": title[:300], "kind": kind, "filename": (filename or "")[:255]})


def filing_upload_accepted(upload) -> dict[str, Any]:
    """The filing's upload handler: a checked upload made for a filing is attached to it (if it is still the
    uploader's and still editable); a free upload (POST /filings/uploads) waits to be named in a filing."""
    if not upload.subject.startswith("filing:"):
        return {}
    filing = Filing.objects.filter(pk=upload.subject.removeprefix("filing:")).first()
    if filing is None or filing.filer_id != upload.user_id or filing.status not in EDITABLE:
        raise ValidationFailed(_("The filing can no longer take new materials."),
                               code=str(FilingErrorCode.WRONG_STATUS))
    doc = _attach(filing, upload, title=upload.intent.get("title", ""), kind=upload.intent.get("kind", ""),
                  filename=upload.intent.get("filename", ""), actor=upload.user)
    return {"filing_document_id": doc.pk}


def _attach(filing: Filing, upload, *, title: str, kind: str, filename: str, actor) -> FilingDocument:
    source = upload.sha256 if upload.document_id != upload.sha256 else None
    doc, _created = FilingDocument.objects.get_or_create(
        filing=filing, blob_id=upload.document_id, kind=kind,
        defaults={"title": title[:300], "filename": (filename or "")[:255], "uploaded_by": actor,
                  "page_count": upload.page_count, "notes": upload.notes, "source_blob_id": source,
                  "upload": upload})
    return doc


@transaction.atomic
def filing_remove_document(*, filing: Filing, document_id: int) -> None:
    if filing.status not in EDITABLE:
        raise Conflict(_("A submitted filing's materials can no longer be changed."), code=str(FilingErrorCode.WRONG_STATUS))
    FilingDocument.objects.filter(filing=filing, pk=document_id, generated=False).delete()


def filing_dismiss_upload(*, filing: Filing, upload_id: str, actor) -> None:
    """Take a refused upload's notice off the filing page (the refusal itself stays on record)."""
    from yunting.core.efile.models import Upload, UploadStatus

    Upload.objects.filter(pk=upload_id, user=actor, subject=f"filing:{filing.pk}", status=UploadStatus.REFUSED,
                          ).update(subject=f"filing:{filing.pk}:dismissed")


def _payload_with_documents(filing: Filing) -> dict[str, Any]:
    payload = dict(filing.payload or {})
    if filing.pk and not payload.get("documents"):
        payload["documents"] = [{"upload_id": d.upload_id, "title": d.title, "kind": d.kind, "filename": d.filename}
                                for d in filing.documents.filter(generated=False)]
    return payload


def _uploads_checking(filing: Filing) -> list[Problem]:
    """A filing cannot be submitted while any upload made for it is still being checked."""
    from yunting.core.efile.models import Upload, UploadStatus

    titles = [u.title for u in Upload.objects.filter(subject=f"filing:{filing.pk}", status=UploadStatus.CHECKING)]
    if not titles:
        return []
    return [Problem("documents", "upload_checking",
                    _("Still being checked: %(titles)s. Submit once the check has finished.")
                    % {"titles": "、".join(t or "-" for t in titles)})]


def filing_validate(*, filing: Filing | None = None, data: dict | None = None,
                    lookups: Lookups | None = None) -> list[dict[str, str]]:
    """Every field-level problem at once: [{field, code, message}]; [] when the filing can be submitted."""
    payload = _payload_with_documents(filing) if filing is not None else data
    owner = filing.filer if filing is not None else None
    problems, _ = validate_payload(payload, lookups=lookups or Lookups(user=owner))
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
    if client is None or not is_lawyer(filer):
        return False
    return client


def _agent_problems(actor, cleaned: Cleaned | None, client) -> list[Problem]:
    """A lawyer filing for someone else (a named client account, or parties that do not include the lawyer)
    must upload the client's power of attorney (授权委托书, CPL 62)."""
    from .validation import FIRST_SIDE

    if cleaned is None or actor is None:
        return []
    own_case = any(p.role in FIRST_SIDE and p.name == actor.display_name for p in cleaned.parties)
    if not client and (own_case or not is_lawyer(actor)):  # a named client implies a lawyer: no second query
        return []
    if any(d.kind == "power_of_attorney" for d in cleaned.documents):
        return []
    return [Problem("documents", "power_of_attorney_required",
                    _("Filing for a client needs the client's power of attorney: upload it as “Power of attorney”."))]


def _deadline(today: date | None = None) -> date:
    return legal_deadline(today or shanghai_today(), REVIEW_DAYS)


@transaction.atomic
def filing_submit(*, filing: Filing, actor) -> Filing:
    """Validate everything and submit for review; the 7-day review period starts the next day."""
    payload = _payload_with_documents(filing)
    problems, cleaned = validate_payload(payload, lookups=Lookups(user=filing.filer))
    problems += _uploads_checking(filing)
    client = _client_for(actor, payload)
    if client is False:
        problems.append(Problem("on_behalf_of", "unknown",
                                _("There is no such client account, or you are not a practising lawyer.")))
    problems += _agent_problems(actor, cleaned, client)
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
    for d in cleaned.documents:  # each one the filer's own checked upload (validation resolved it)
        if (d.sha256, d.kind) not in have:
            _attach(filing, d.upload, title=d.title, kind=d.kind, filename=d.filename, actor=filing.filer)
            have.add((d.sha256, d.kind))


@transaction.atomic
def filing_request_supplement(*, filing: Filing, actor, request: str, days: int = 15) -> Filing:
    """One consolidated correction notice (OLR 9); the review period restarts when the filer resubmits."""
    require_reviewer(actor, filing)
    request = (request or "").strip()
    if not request:
        raise ValidationFailed(_("Say what must be supplemented."), code=str(FilingErrorCode.REASON_REQUIRED),
                               data={"field": "request"})
    if not 1 <= int(days) <= 60:
        raise ValidationFailed(_("The time to supplement is 1 to 60 days."), code="filing_supplement_days", data={"field": "days"})
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
    problems, cleaned = validate_payload(payload, lookups=Lookups(user=filing.filer))
    problems += _uploads_checking(filing)
    problems += _agent_problems(actor, cleaned, filing.on_behalf_of)
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
    require_reviewer(actor, filing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("A refusal must give its reasons."), code=str(FilingErrorCode.REASON_REQUIRED), data={"field": "reason"})
    filing = _move(filing, frm=(FilingStatus.SUBMITTED,), to=FilingStatus.REJECTED, decision_reason=reason,
                   decided_at=timezone.now(), reviewer=actor)
    _event(filing, entries.REJECTED, actor, reason=reason)
    webhook_queue(filing, "rejected")
    _rejection_ruling(filing, actor=actor, reason=reason)
    filing.refresh_from_db()
    return filing


APPEAL_DAYS_RULING = 10  # CPL 171: an appeal against a ruling within 10 days of service (DOMAIN.md)
RULING_TEMPLATE = "rejection_ruling"
RULING_DELIVERY_NOTE = ("本裁定加盖本院电子印章后，在云庭平台该立案申请页面向起诉人送达，并以短信通知。"
                        "本院专门的送达功能（送达地址确认、送达回证）尚未建成，本次送达以平台送达记录为准。")
FIRST_LABEL = {"plaintiff": "起诉人", "applicant": "申请人", "appellant": "上诉人"}
SECOND_LABEL = {"defendant": "被起诉人", "respondent": "被申请人", "appellee": "被上诉人"}


def _appeal_court(court: Organisation) -> str:
    parent = court.parent if court.parent_id else None
    return parent.name if parent is not None and parent.kind == "court" else "上一级人民法院"


def _rejection_ruling(filing: Filing, *, actor, reason: str) -> None:
    """不予受理裁定 (CPL 126): the refusal is a ruling under a case number of its own, as courts number them. The
    case is registered to carry it — parties, the filing's materials in its e-file, the ruling issued through
    core/papers — and closed at once. The ruling is sealed now when the officer holds the seal, else it waits in
    the seal queue (批量用印); once sealed, `filing_ruling_deliver` serves it on the filer."""
    from yunting.core.cases.choices import CaseStatus
    from yunting.core.cases.services import case_change_status
    from yunting.core.papers.services import can_seal, paper_draft, paper_issue, paper_seal

    filing = Filing.objects.select_related(*ACCEPT_RELATED).get(pk=filing.pk)
    related = related_of([filing])[filing.pk]
    (case,) = case_open_many(items=[case_input_of(filing, related)], actor=actor)
    journal_append(case=case, kind=entries.REJECTED, actor=actor, documents=related.documents,
                   payload={"filing_id": filing.pk, "reason": reason, "events": related.events})
    Filing.objects.filter(pk=filing.pk).update(case=case)
    filing.case = case
    party_rows = [{"label": FIRST_LABEL.get(p.role) or SECOND_LABEL.get(p.role) or "第三人", "name": p.name,
                   "detail": (f"住{p.address}" if p.kind == "natural" else f"住所地{p.address}") if p.address else ""}
                  for p in related.parties]
    paper = paper_draft(case=case, template_code=RULING_TEMPLATE, actor=actor, values={
        "parties": party_rows, "reasoning": reason, "appeal_days": APPEAL_DAYS_RULING,
        "appeal_court": _appeal_court(filing.court), "judge_name": actor.display_name,
        "plaintiffs": "、".join(p.name for p in related.parties if p.role in FIRST_LABEL),
        "defendants": "、".join(p.name for p in related.parties if p.role in SECOND_LABEL) or "——",
        "filed_date": (filing.submitted_at or timezone.now()).astimezone(SHANGHAI).date(),
    })
    paper = paper_issue(paper=paper, actor=actor)
    journal_append(case=case, kind=entries.RULING_ISSUED, actor=actor,
                   payload={"filing_id": filing.pk, "paper_id": paper.pk, "delivery_note": RULING_DELIVERY_NOTE})
    case_change_status(case=case, status=CaseStatus.CLOSED, actor=actor, reason="裁定不予受理")
    if can_seal(actor, filing.court):
        paper_seal(paper=paper, actor=actor)


def filing_ruling_deliver(entry) -> None:
    """Journal subscriber of `papers.sealed`: a sealed 不予受理裁定 is served on the filer — shown on the filing's
    page from now on, and an SMS tells them so (through the outbox). Once per filing."""
    from yunting.kernel.notify.services import outbox_enqueue

    if (entry.payload or {}).get("template") != RULING_TEMPLATE:
        return
    filing = Filing.objects.select_related("filer", "court").filter(case_id=entry.case_id,
                                                                    status=FilingStatus.REJECTED).first()
    if filing is None or filing.events.filter(kind=entries.RULING_SERVED).exists():
        return
    phone = (filing.filer.phone if filing.filer_id else "") or ""
    sms = ""
    if phone:
        body = (f"【{filing.court.name}】您提交的网上立案申请（编号{filing.pk}）经审查，本院裁定不予受理。裁定书已在云庭平台"
                f"送达，请登录“网上立案”查看。如不服，可在裁定书送达之日起{APPEAL_DAYS_RULING}日内提起上诉。")
        sms = str(outbox_enqueue(phone=phone, body=body, purpose="filing.ruling").pk)
    _event(filing, entries.RULING_SERVED, None, paper_id=entry.payload.get("paper_id"),
           pdf_sha256=(entry.document_hashes or [""])[0], sms=sms, note=RULING_DELIVERY_NOTE)


# --- from pre-litigation mediation ---------------------------------------------------------------------------
@transaction.atomic
def filing_from_mediation(*, court, case_type_code: str, cause, claims: list[str], claim_amount, facts: str,
                          questionnaire: dict, parties: list[PartyInput], documents: list[tuple], filer, actor,
                          source: dict[str, Any]) -> Filing:
    """A failed pre-litigation mediation becomes a submitted filing carrying everything over (workflows/mediation
    calls this on `dispute_convert`): the parties with their identifiers, claims, amount, facts, questionnaire, and
    the documents already in the dispute's e-file — `(sha256, title, kind, filename, pages)`, stored bytes the court
    holds, so no upload check is repeated. The 7-day review period starts now, as for any submission."""
    from yunting.core.cases.models import CaseType

    case_type = CaseType.objects.get(code=case_type_code)
    payload = {"court": court.court_code, "case_type": case_type_code, "cause": cause.name, "claims": list(claims),
               "claim_amount": None if claim_amount is None else format(claim_amount, "f"), "facts": facts,
               "questionnaire": questionnaire or {}, "from_mediation": source}
    filing = Filing.objects.create(
        court=court, case_type=case_type, cause=cause, status=FilingStatus.SUBMITTED, claims=list(claims),
        facts=facts or "", questionnaire=questionnaire or {}, claim_amount=claim_amount, payload=payload,
        fee=fee_for(case_type=case_type, cause=cause, amount=claim_amount, procedure=case_type.default_procedure),
        filer=filer, fingerprint=fingerprint(court_id=court.pk, cause_id=cause.pk, amount=claim_amount,
                                             parties=[vars(p) for p in parties]),
        submitted_at=timezone.now(), deadline=_deadline())
    FilingParty.objects.bulk_create([
        FilingParty(filing=filing, role=p.role, kind=p.kind, name=p.name, id_number=p.id_number,
                    credit_code=p.credit_code, address=p.address, phone=p.phone, user=p.user, order=i)
        for i, p in enumerate(parties)])
    seen = set()
    for sha, title, kind, filename, pages in documents:
        if (sha, kind) in seen:
            continue
        seen.add((sha, kind))
        FilingDocument.objects.create(filing=filing, blob_id=sha, title=title[:300], kind=kind,
                                      filename=(filename or "")[:255], uploaded_by=actor, page_count=pages,
                                      generated=kind in ("mediation_transcript", "mediation_agreement"))
    _event(filing, entries.SUBMITTED, actor, deadline=filing.deadline.isoformat(), fee=filing.fee.get("fee"),
           from_mediation=source.get("dispute_id"))
    return filing
