"""Court papers on a case: draft from a template, edit, issue into the e-file, sign in order, seal, hand-sign.

Every act that changes the PDF appends a journal entry carrying the new PDF, so the e-file holds each signed
version (shown as one document with its history) and the ledger commits to it. Signing order is the template's slot order (e.g. judge → clerk → seal).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.errors import CaseNotFound
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.kernel.blobs.store import blob_put_bytes, blob_read
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.documents.library import Slot, SlotKind, Template, template_get
from yunting.kernel.documents.models import Certificate, CertKind
from yunting.kernel.documents.render import render_pdf
from yunting.kernel.documents.signing import pki, stamps
from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign
from yunting.kernel.documents.variables import VarType, variables_clean, variables_dump

from .context import paper_defaults
from .errors import PaperNotFound
from .models import Paper, PaperSignature, PaperStatus

SEAL_ROLES = (Role.COURT_ADMIN,)
PDF = {"application/pdf"}


# --- access ------------------------------------------------------------------------------------------------
def access_paper_for(user, paper_id, *, need: Capability = Capability.WRITE_JOURNAL) -> Paper:
    """The paper if `user` may act on its case with `need`; PaperNotFound for "no such paper" and "not yours"."""
    try:
        paper = Paper.objects.select_related("case", "case__court").get(pk=int(paper_id))
        access = access_case_for(user, paper.case_id, need=need)
    except (Paper.DoesNotExist, CaseNotFound, ValueError, TypeError):
        raise PaperNotFound() from None
    if not access.can(Capability.VIEW_SECONDARY) and not _shown_outside_the_court(paper):
        raise PaperNotFound()  # a draft, or a 副卷 paper: not even its title reaches a party
    return paper


def _shown_outside_the_court(paper: Paper) -> bool:
    """Parties and other outside participants see a paper only once issued, and only if it files into 正卷."""
    from yunting.core.efile.services import section_for

    if paper.status == PaperStatus.DRAFT:
        return False
    return section_for(case_type_id=paper.case.case_type_id, kind=paper.kind).volume == "main"


def can_seal(user, court) -> bool:
    return Membership.objects.filter(user=user, organisation=court, role__in=SEAL_ROLES).exists()


# --- certificates ------------------------------------------------------------------------------------------
def _pki_ready(court) -> None:
    pki.pki_init(organisation=court.name)


def cert_for_user(user, court) -> Certificate:
    _pki_ready(court)
    return pki.pki_issue(kind=CertKind.PERSON, label=f"user:{user.pk}", common_name=user.display_name,
                         organisation=court.name)


def cert_for_seal(court) -> Certificate:
    _pki_ready(court)
    return pki.pki_issue(kind=CertKind.SEAL, label=f"seal:{court.court_code}", common_name=court.name,
                         organisation=court.name)


def cert_for_platform(court) -> Certificate:
    """The platform signs a party's handwritten signature on the party's behalf (the act is journaled)."""
    _pki_ready(court)
    return pki.pki_issue(kind=CertKind.PLATFORM, label="platform", common_name="云庭平台代签",
                         organisation=court.name)


# --- drafting ----------------------------------------------------------------------------------------------
def paper_form_fields(paper: Paper):
    """The variables the drafting form shows: the free-text parts, plus anything the case could not fill."""
    tpl = template_get(paper.template_code)
    return [v for v in tpl.variables
            if v.type != VarType.LIST and (v.editable or paper.variables.get(v.name) in (None, ""))]


@transaction.atomic
def paper_draft(*, case, template_code: str, actor, values: dict[str, Any] | None = None) -> Paper:
    access_case_for(actor, case.pk, need=Capability.WRITE_JOURNAL)
    tpl = template_get(template_code)
    data = variables_dump({**paper_defaults(case, tpl), **(values or {})})
    return Paper.objects.create(case=case, template_code=tpl.code, title=tpl.title, kind=tpl.kind,
                                variables=data, created_by=actor)


@transaction.atomic
def paper_update(*, paper: Paper, actor, values: dict[str, Any]) -> Paper:
    """Save edits to a draft. Values are checked for type now; completeness is checked at issue."""
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    access_case_for(actor, paper.case_id, need=Capability.WRITE_JOURNAL)
    if paper.status != PaperStatus.DRAFT:
        raise Conflict(_("This document has been issued and can no longer be changed."), code="paper_not_draft")
    tpl = template_get(paper.template_code)
    names = {v.name for v in tpl.variables}
    given = {k: v for k, v in values.items() if k in names}
    spec = tuple(v for v in tpl.variables if v.name in given)
    cleaned = variables_clean(tuple(_optional(v) for v in spec), given)
    paper.variables = {**paper.variables, **variables_dump(cleaned)}
    paper.save(update_fields=["variables", "updated_at"])
    return paper


def _optional(var):
    from dataclasses import replace

    return replace(var, required=False)


def paper_preview(paper: Paper) -> bytes:
    """The draft as PDF with a 草稿 watermark; raises ValidationFailed naming what is still missing."""
    if paper.status != PaperStatus.DRAFT:
        return blob_read(paper.pdf_sha256)
    return render_pdf(paper.template_code, paper.variables, draft=True).pdf


# --- signing -----------------------------------------------------------------------------------------------
def _next_slot(tpl: Template, paper: Paper) -> Slot | None:
    return next((s for s in tpl.slots if s.name not in paper.signed_slots), None)


def _caption(label: str) -> str:
    return f"{label} {timezone.now().astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def _apply(*, paper: Paper, slot: Slot, cert: Certificate, image, actor, entry_kind: str, reason: str,
           payload: dict | None = None, on_behalf_of: str = "", device: str = "", session: str = "") -> Paper:
    pdf = pdf_sign(blob_read(paper.pdf_sha256), cert=cert,
                   request=SignRequest(slot.name, reason=reason, location=paper.case.court.name, image=image))
    blob = blob_put_bytes(pdf, allowed=PDF)
    paper.signed_slots = [*paper.signed_slots, slot.name]
    paper.pdf_sha256 = blob.sha256
    if slot.kind == SlotKind.SEAL:
        paper.status = PaperStatus.SEALED
    paper.save(update_fields=["signed_slots", "pdf_sha256", "status", "updated_at"])
    entry = journal_append(
        case=paper.case, kind=entry_kind, actor=actor,
        payload={"paper_id": paper.pk, "template": paper.template_code, "slot": slot.name, "slot_label": slot.label,
                 "certificate_serial": cert.serial, "signer": cert.common_name, **(payload or {})},
        # every version is filed under the paper's own title: the e-file shows the latest with the others as its
        # history, and the step each version added is the entry's slot_label
        documents=[DocumentInput(sha256=blob.sha256, title=paper.title, kind=paper.kind,
                                 filename=f"{paper.title}-{slot.name}.pdf")],
    )
    PaperSignature.objects.create(paper=paper, slot=slot.name, signer=actor, certificate=cert,
                                  on_behalf_of=on_behalf_of, device=device[:300], session=session,
                                  pdf_sha256=blob.sha256, entry=entry, signed_at=entry.recorded_at)
    return paper


def _locked(paper: Paper) -> Paper:
    return Paper.objects.select_for_update().select_related("case", "case__court").get(pk=paper.pk)


def _expect_next(paper: Paper, tpl: Template, kinds: set[SlotKind], slot_name: str | None = None) -> Slot:
    if paper.status == PaperStatus.DRAFT:
        raise Conflict(_("This document has not been issued yet."), code="paper_not_issued")
    slot = _next_slot(tpl, paper)
    if slot is None or paper.status == PaperStatus.SEALED:
        raise Conflict(_("This document already carries all of its signatures and seals."), code="paper_complete")
    if slot.kind not in kinds or (slot_name and slot.name != slot_name):
        raise Conflict(_("Sign in order: the next step is “%(slot)s”.") % {"slot": slot.label}, code="paper_sign_order",
                       data={"next": slot.name})
    return slot


@transaction.atomic
def paper_issue(*, paper: Paper, actor) -> Paper:
    """Render the final PDF, put it in the e-file (`papers.issued`), and sign the first slot if it is the
    issuer's own (a judge issuing a ruling signs it in the same click)."""
    paper = _locked(paper)
    access_case_for(actor, paper.case_id, need=Capability.WRITE_JOURNAL)
    if paper.status != PaperStatus.DRAFT:
        raise Conflict(_("This document has already been issued."), code="paper_not_draft")
    rendered = render_pdf(paper.template_code, paper.variables)
    blob = blob_put_bytes(rendered.pdf, allowed=PDF)
    paper.status, paper.pdf_sha256 = PaperStatus.ISSUED, blob.sha256
    paper.issued_by, paper.issued_at = actor, timezone.now()
    paper.save(update_fields=["status", "pdf_sha256", "issued_by", "issued_at", "updated_at"])
    journal_append(
        case=paper.case, kind="papers.issued", actor=actor,
        payload={"paper_id": paper.pk, "template": paper.template_code, "title": paper.title,
                 "pages": rendered.pages},
        documents=[DocumentInput(sha256=blob.sha256, title=paper.title, kind=paper.kind,
                                 filename=f"{paper.title}.pdf")],
    )
    tpl = template_get(paper.template_code)
    first = _next_slot(tpl, paper)
    if first is not None and first.kind == SlotKind.PERSON and _signs_slot(actor, paper, first):
        paper = paper_sign(paper=paper, actor=actor)
    return paper


SLOT_ROLES = {"judge": {CaseRole.JUDGE, CaseRole.PRESIDING_JUDGE}, "clerk": {CaseRole.CLERK},
              "server": {CaseRole.SERVICE_OFFICER, CaseRole.CLERK}}


def _signs_slot(actor, paper: Paper, slot: Slot) -> bool:
    roles = set(paper.case.participations.filter(user=actor).values_list("role", flat=True))
    return bool(roles & SLOT_ROLES.get(slot.name, set()))


@transaction.atomic
def paper_sign(*, paper: Paper, actor) -> Paper:
    """The next personal signature (judge, clerk, service officer), by the person whose role it is."""
    paper = _locked(paper)
    access_case_for(actor, paper.case_id, need=Capability.WRITE_JOURNAL)
    tpl = template_get(paper.template_code)
    slot = _expect_next(paper, tpl, {SlotKind.PERSON})
    if not _signs_slot(actor, paper, slot):
        raise PermissionDenied(_("“%(slot)s” must be signed by the right person in this case.") % {"slot": slot.label},
                               code="paper_wrong_signer")
    cert = cert_for_user(actor, paper.case.court)
    image = stamps.person_stamp(name=actor.display_name, caption=_caption(slot.label.removesuffix("签名")))
    return _apply(paper=paper, slot=slot, cert=cert, image=image, actor=actor, entry_kind="papers.signed",
                  reason=slot.label)


@transaction.atomic
def paper_seal(*, paper: Paper, actor) -> Paper:
    """Apply the court seal: the last slot, by someone holding seal authority for the paper's court."""
    paper = _locked(paper)
    if not can_seal(actor, paper.case.court):
        raise PermissionDenied(_("You are not authorised to apply the court's seal."), code="paper_no_seal_authority")
    tpl = template_get(paper.template_code)
    slot = _expect_next(paper, tpl, {SlotKind.SEAL})
    cert = cert_for_seal(paper.case.court)
    image = stamps.seal_stamp(court_name=paper.case.court.name)
    return _apply(paper=paper, slot=slot, cert=cert, image=image, actor=actor, entry_kind="papers.sealed",
                  reason="加盖院印")


def _bad_strokes(message: str = "") -> ValidationFailed:
    return ValidationFailed(message or "签名图像无效", code="paper_bad_strokes")


def _handsign_slot(paper: Paper, actor) -> Slot:
    """The next slot, if it is a hand signature and the actor a party or a party's lawyer in the case."""
    try:
        access = access_case_for(actor, paper.case_id, need=Capability.VIEW_CASE)
    except CaseNotFound:
        raise PaperNotFound() from None
    if not access.roles & {CaseRole.PARTY, CaseRole.LAWYER}:
        raise PermissionDenied(_("Only a party or their representative can sign here."), code="paper_not_party")
    return _expect_next(paper, template_get(paper.template_code), {SlotKind.HANDWRITING})


def paper_handsign(*, paper: Paper, actor, strokes_png: bytes, device: str = "", session_key: str = "") -> Paper:
    """A party signs on a screen: the strokes go into the PDF and the platform signs on the party's behalf.

    The journal entry says who (the party's account and name), when, and from which device and session. The
    strokes go through the checked intake first, outside the signing transaction: a refused drawing stays on
    record as a refused upload and journals nothing.
    """
    from yunting.core.efile.intake import strokes_through_intake

    _handsign_slot(Paper.objects.select_related("case").get(pk=paper.pk), actor)
    strokes = strokes_through_intake(png=strokes_png, user=actor, purpose="paper_handsign",
                                     subject=f"paper:{paper.pk}", invalid=_bad_strokes)
    with transaction.atomic():
        paper = _locked(paper)
        slot = _handsign_slot(paper, actor)
        try:
            image = stamps.handwriting_stamp(strokes_png=strokes.png,
                                             caption=f"{actor.display_name} {_caption('手写签名')}")
        except Exception:
            raise _bad_strokes() from None
        session = hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""
        return _apply(paper=paper, slot=slot, cert=cert_for_platform(paper.case.court), image=image, actor=actor,
                      entry_kind="papers.handsigned", reason=f"{actor.display_name}手写签名（平台代为数字签名）",
                      payload={"on_behalf_of": actor.display_name, "device": device[:300], "session": session,
                               "strokes_sha256": strokes.sha256},  # the blob the intake accepted
                      on_behalf_of=actor.display_name, device=device, session=session)
