"""Model → response dicts. Masking happens here, from the caller's capabilities, and nowhere else."""

from __future__ import annotations

from django.urls import reverse

from yunting.core.cases.access import Capability, CaseAccess, role_label
from yunting.core.cases.choices import PartyRole
from yunting.core.efile.catalog import DOCUMENT_KIND_LABELS
from yunting.kernel.common.timeutil import iso_utc
from yunting.kernel.security.masking import mask_id_number, mask_phone

VOLUME_TITLES = {"main": "正卷", "secondary": "副卷"}


def case_item(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "year": case.year,
        "type_code": case.case_type_id,
        "type_name": case.case_type.name,
        "status": case.status,
        "title": case.title,
        "cause": case.cause.name,
        "court": case.court.name,
        "procedure": case.procedure,
        "security_level": case.security_level,
        "registered_at": case.registered_at,
        "closed_at": case.closed_at,
    }


def party(p, *, unmasked: bool) -> dict:
    return {
        "id": p.pk,
        "role": p.role,
        "role_label": str(PartyRole(p.role).label) if p.role in PartyRole.values else p.role,
        "kind": p.kind,
        "name": p.name,
        "id_number": p.id_number if unmasked else mask_id_number(p.id_number),
        "credit_code": p.credit_code,
        "phone": p.phone if unmasked else mask_phone(p.phone),
        "address": p.address if unmasked else None,
    }


def case_detail(access: CaseAccess, *, parties, participants) -> dict:
    from yunting.core.courts.selectors import case_lifecycle

    case = access.case
    unmasked = access.can(Capability.VIEW_PERSONAL_DATA)
    life = case_lifecycle(case)
    return {
        **case_item(case),
        "status": life.status,  # folded from the journal (registered, in_trial, suspended, closed)
        "procedure": life.procedure,
        "outcome": life.outcome,
        "closed_on": life.closed_on,
        "judge": life.judge,
        "division": life.division or None,
        "assignment_reason": life.reason if access.sees_internal_marks and life.reason else None,
        "court_code": case.court.court_code or "",
        "tribunal_code": case.tribunal_code,
        "claim_amount": str(case.claim_amount) if case.claim_amount is not None else None,
        "filed_at": case.filed_at,
        "journal_length": case.journal_length,
        "journal_head": case.journal_head,
        "personal_data_masked": not unmasked,
        "my_roles": sorted(access.roles),
        "capabilities": sorted(str(c) for c in access.capabilities),
        "parties": [party(p, unmasked=unmasked) for p in parties],
        "participants": [
            {"role": p.role, "role_label": str(role_label(p.role)), "name": p.user.display_name, "user_id": p.user_id}
            for p in participants
        ],
    }


def journal_entry(entry, *, hidden_hashes: set[str]) -> dict:
    """One entry; hashes of documents the caller may not see are left out, and an entry that produced only
    such documents is shown redacted (its chain hashes stay, so the sequence remains visibly unbroken)."""
    documents = [h for h in entry.document_hashes if h not in hidden_hashes]
    redacted = bool(entry.document_hashes) and not documents
    payload = entry.payload
    if hidden_hashes and isinstance(payload.get("efile"), list):  # the facts of hidden documents stay hidden
        payload = {**payload, "efile": [f for f in payload["efile"] if f.get("sha256") not in hidden_hashes]}
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "actor": entry.actor_label,
        "actor_id": entry.actor_id,
        "recorded_at": iso_utc(entry.recorded_at),
        "payload": {} if redacted else payload,
        "documents": documents,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
        "redacted": redacted,
    }


def document(doc) -> dict:
    return {
        "id": doc.pk,
        "title": doc.title,
        "sha256": doc.blob_id,
        "section": doc.section.code,
        "volume": doc.section.volume,
        "kind": doc.kind,
        "kind_label": DOCUMENT_KIND_LABELS.get(doc.kind, doc.kind),
        "page_count": doc.page_count,
        "security_level": doc.security_level,
        "mime_type": doc.blob.mime_type,
        "size": doc.blob.size,
        "filename": doc.filename,
        "entry_seq": doc.entry.seq,
        "created_at": doc.created_at,
        "content_url": reverse("api-v1:document_content", kwargs={"id": doc.pk}),
    }


def efile_catalog(case, volumes, *, q: str) -> dict:
    out, count = [], 0
    for volume in volumes:
        sections = []
        for node in volume.sections:
            docs = [document(d) for d in node.documents]
            count += len(docs)
            sections.append(
                {"code": node.section.code, "title": node.section.title, "volume": node.section.volume, "documents": docs}
            )
        out.append({"code": volume.code, "title": VOLUME_TITLES.get(volume.code, volume.label), "sections": sections})
    return {"case_id": case.pk, "case_number": case.number, "q": q, "document_count": count, "volumes": out}


def upload_state(upload) -> dict:
    return {
        "upload_id": upload.pk, "status": upload.status, "sha256": upload.sha256, "size": upload.size,
        "mime_type": upload.mime_type, "problems": upload.problems or [], "notes": upload.notes or [],
        "page_count": upload.page_count, "document_sha256": upload.document_id, "created_at": upload.created_at,
        "checked_at": upload.checked_at, "outcome": upload.outcome or {},
    }
