"""Writes of space deliveries: deliver (card to the member), open (once, journaled), sign the receipt.

With the party's consent to electronic service (core/service Consent covering the platform account) the signed
receipt is an attempt on the `space` channel that serves: core/service completes the task and files the
电子送达凭证. Without consent the receipt is recorded, and it is NOT service.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, CaseAccess
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Participation, Party
from yunting.core.efile.intake import strokes_through_intake
from yunting.core.journal.services import journal_append
from yunting.kernel.common.errors import ValidationFailed

from . import entries, errors
from .models import DeliveryStatus, SpaceDelivery

MEMBER_ROLES = (CaseRole.PARTY, CaseRole.LAWYER)


def card_post(*, case, card: str, title: str, url: str, user_ids, actor) -> None:
    """Ask the case space for a card (the space app turns the entry into a message in the chat)."""
    journal_append(case=case, kind=entries.CARD_WANTED, actor=actor, payload={
        "card": card, "title": title[:200], "url": url, "user_ids": sorted(user_ids) if user_ids is not None else None})


def members(case_id: int) -> list[dict]:
    """[{user, party}] the court may deliver to: each party account holder and lawyer, with the party they act for
    (a lawyer recorded without a party acts for the first plaintiff-side party, as court papers take it)."""
    first = (Party.objects.filter(case_id=case_id, role__in=("plaintiff", "applicant", "appellant"))
             .order_by("order", "id").first())
    out, seen = [], set()
    for part in (Participation.objects.filter(case_id=case_id, role__in=MEMBER_ROLES)
                 .select_related("user", "party").order_by("id")):
        party = part.party or (first if part.role == CaseRole.LAWYER else None)
        if party is None or (part.user_id, party.pk) in seen:
            continue
        seen.add((part.user_id, party.pk))
        out.append({"user": part.user, "party": party, "role": part.role})
    return out


def delivery_url(delivery_id: int) -> str:
    return f"/space-extras/deliveries/{delivery_id}/"


@transaction.atomic
def delivery_send(*, access: CaseAccess, actor, document_id, user_id, party_id=None, note: str = "") -> SpaceDelivery:
    """The court delivers one court-issued document of the main volume to one member of the case."""
    from yunting.core.efile.catalog import COURT, kind_issuer
    from yunting.core.efile.models import Document

    if not access.can(Capability.WRITE_JOURNAL):
        raise errors.court_only()
    case = access.case
    try:
        doc = Document.objects.select_related("section").filter(pk=int(document_id), case=case).first()
    except (TypeError, ValueError):
        doc = None
    if doc is None or doc.section.volume != "main" or kind_issuer(doc.kind) != COURT:
        raise errors.invalid(_("Choose a court-issued document of this case's main volume."), "document")
    choice = None
    for m in members(case.pk):
        if str(m["user"].pk) == str(user_id) and (party_id in (None, "") or str(m["party"].pk) == str(party_id)):
            choice = m
            break
    if choice is None:
        raise errors.invalid(_("Choose a party or lawyer of this case."), "user")
    note = (note or "").strip()
    if len(note) > 200:
        raise errors.invalid(_("The note is at most 200 characters."), "note")
    d = SpaceDelivery.objects.create(case=case, document=doc, party=choice["party"], recipient=choice["user"],
                                     note=note, created_by=actor)
    journal_append(case=case, kind=entries.SENT, actor=actor, payload={
        "delivery_id": d.pk, "document_id": doc.pk, "party_id": d.party_id, "user_id": d.recipient_id})
    card_post(case=case, card="delivery", title=f"送达文书：{doc.title}（请查收并签收）", url=delivery_url(d.pk),
              user_ids=[d.recipient_id], actor=actor)
    return d


def delivery_for(*, user, delivery_id) -> SpaceDelivery:
    """The delivery if `user` is its recipient or court staff of its case; delivery_none otherwise (no leak)."""
    from yunting.core.cases.access import access_case_for
    from yunting.core.cases.errors import CaseNotFound

    try:
        d = SpaceDelivery.objects.select_related("case", "document", "party", "recipient").get(pk=int(delivery_id))
        access = access_case_for(user, d.case_id)
    except (SpaceDelivery.DoesNotExist, CaseNotFound, TypeError, ValueError):
        raise errors.none() from None
    if d.recipient_id != user.pk and not access.can(Capability.WRITE_JOURNAL):
        raise errors.none()
    d.access = access
    return d


@transaction.atomic
def delivery_open(*, delivery: SpaceDelivery, user) -> SpaceDelivery:
    """The recipient opened the document: the first opening is journaled (later ones only read-logged)."""
    if delivery.recipient_id != user.pk:
        return delivery
    d = SpaceDelivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
    if d.opened_at is not None:
        return delivery
    d.opened_at, d.status = timezone.now(), DeliveryStatus.OPENED
    d.save(update_fields=["opened_at", "status"])
    journal_append(case=delivery.case, kind=entries.OPENED, actor=user,
                   payload={"delivery_id": d.pk, "document_id": d.document_id})
    delivery.opened_at, delivery.status = d.opened_at, d.status
    return delivery


def consented(delivery: SpaceDelivery) -> bool:
    """Is the party's consent to electronic service in force for the case space (OLR art 29)?"""
    from yunting.core.service.choices import Channel, consent_covers
    from yunting.core.service.models import Consent

    channels = set()
    for row in Consent.objects.filter(case_id=delivery.case_id, party_id=delivery.party_id,
                                      withdrawn_at__isnull=True).values_list("channels", flat=True):
        channels.update(row or [])
    return consent_covers(Channel.SPACE, channels)


def _bad_strokes(message: str = "") -> ValidationFailed:
    return errors.invalid(message or _("Sign in the box first."), "strokes")


def delivery_sign(*, delivery: SpaceDelivery, user, strokes_png: bytes, confirmed: bool) -> SpaceDelivery:
    """The recipient signs the receipt (handwriting + 确认收到). With consent this serves the document through
    the service capability (channel `space`); without, the receipt is recorded and is not service."""
    from yunting.core.service.choices import Channel, Outcome
    from yunting.core.service.services import service_attempt_record, service_request

    if delivery.recipient_id != user.pk:
        raise errors.none()
    if delivery.status == DeliveryStatus.SIGNED:
        raise errors.already_signed()
    if delivery.opened_at is None:
        raise errors.not_opened()
    if not confirmed:
        raise errors.invalid(_("Tick “I confirm receipt” to sign."), "confirm")
    strokes = strokes_through_intake(png=strokes_png, user=user, purpose="space_receipt",
                                     subject=f"delivery:{delivery.pk}", invalid=_bad_strokes)
    with transaction.atomic():
        d = SpaceDelivery.objects.select_for_update(of=("self",)).select_related("case", "document", "party").get(
            pk=delivery.pk)
        if d.status == DeliveryStatus.SIGNED:
            raise errors.already_signed()
        sig = strokes.sha256  # the blob the intake accepted
        task = None
        if consented(d):
            [task] = service_request(case=d.case, documents=[d.document_id], recipients=[d.party_id], actor=None)
            service_attempt_record(task=task, channel=Channel.SPACE, outcome=Outcome.DELIVERED, officer=user,
                                   note="受送达人在案件空间打开文书并手写签收（确认收到）", signature_png=strokes.png)
        d.status, d.signed_at, d.signature_sha256 = DeliveryStatus.SIGNED, timezone.now(), sig
        d.served, d.service_task_id = task is not None, task.pk if task else None
        d.save(update_fields=["status", "signed_at", "signature_sha256", "served", "service_task_id"])
        journal_append(case=d.case, kind=entries.SIGNED, actor=user, payload={
            "delivery_id": d.pk, "document_id": d.document_id, "party_id": d.party_id, "signature_sha256": sig,
            "electronic_service": d.served, "service_task_id": d.service_task_id})
    return d
