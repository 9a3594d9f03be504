"""Writes of 案款发还: open the form (judge), confirm amount and bank account (recipient), sign the distribution
record (recipient, by hand), approve (judge: the seal goes on, the records go into the e-file), cancel.

Every act is one transaction with its journal entry; bad input raises a specific error and changes nothing.
An account number never enters a journal entry, a log or a page: only its masked form does.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, CaseAccess, access_case_for
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Participation, Party
from yunting.core.efile.intake import strokes_through_intake
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI

from . import banks, entries, errors
from .models import Payout, PayoutShare, PayoutStatus, ShareStatus
from .record import RECIPIENT_SLOT, TEMPLATE

JUDGE_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE)
MAX_AMOUNT = Decimal("999999999999.99")
ROLE_ZH = {"plaintiff": "原告", "defendant": "被告", "third_party": "第三人", "appellant": "上诉人",
           "appellee": "被上诉人", "applicant": "申请执行人", "respondent": "被执行人", "convict": "罪犯"}


def payout_url(payout_id: int) -> str:
    return f"/space-extras/payouts/{payout_id}/"


def _is_judge(access: CaseAccess) -> bool:
    return access.can(Capability.WRITE_JOURNAL) and bool(access.roles & set(JUDGE_ROLES))


def parse_amount(raw, field: str) -> Decimal:
    """Yuan as an exact Decimal: positive, at most two decimal places (分)."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise errors.invalid(_("Enter an amount in yuan, e.g. 1234.50."), "payout_amount", field) from None
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise errors.invalid(_("An amount must be more than 0 yuan."), "payout_amount", field)
    if value != value.quantize(Decimal("0.01")):
        raise errors.invalid(_("An amount has at most two decimal places (fen)."), "payout_amount", field)
    return value.quantize(Decimal("0.01"))


def recipient_users(case_id: int, party: Party) -> set[int]:
    """Who may confirm and sign for a party: its own account and its lawyers in the case."""
    ids = {party.user_id} if party.user_id else set()
    ids |= set(Participation.objects.filter(case_id=case_id, party=party, role__in=(CaseRole.PARTY, CaseRole.LAWYER))
               .values_list("user_id", flat=True))
    return ids


def _card(payout: Payout, *, title: str, user_ids, actor) -> None:
    journal_append(case=payout.case, kind=entries.CARD_WANTED, actor=actor, payload={
        "card": "payout", "title": title, "url": payout_url(payout.pk),
        "user_ids": sorted(user_ids) if user_ids is not None else None})


@transaction.atomic
def payout_open(*, access: CaseAccess, actor, received_total, shares, note: str = "") -> Payout:
    """The enforcement judge opens a payout: recipients from the case's parties with their amounts, whose sum must
    equal the sum received. Each recipient gets a card in the case space."""
    if not _is_judge(access):
        raise errors.judge_only()
    case = access.case
    total = parse_amount(received_total, "received_total")
    note = (note or "").strip()
    if len(note) > 300:
        raise errors.invalid(_("The note is at most 300 characters."), "payout_amount", "note")
    parties = {p.pk: p for p in Party.objects.filter(case=case)}
    rows, seen = [], set()
    for i, s in enumerate(shares or []):
        try:
            party_id = int(s.get("party_id"))
        except (TypeError, ValueError, AttributeError):
            party_id = 0
        if party_id not in parties:
            raise errors.invalid(_("Choose recipients among the parties of this case."), "payout_recipient",
                                 f"shares[{i}].party_id")
        if party_id in seen:
            raise errors.invalid(_("Each party appears once on a payout form."), "payout_recipient",
                                 f"shares[{i}].party_id")
        seen.add(party_id)
        rows.append((parties[party_id], parse_amount(s.get("amount"), f"shares[{i}].amount")))
    if not rows:
        raise errors.invalid(_("Add at least one recipient."), "payout_recipient", "shares")
    allotted = sum((a for _p, a in rows), Decimal("0.00"))
    if allotted != total:
        raise errors.invalid(
            _("The amounts add up to %(sum)s yuan, but the court received %(total)s yuan.")
            % {"sum": f"{allotted:.2f}", "total": f"{total:.2f}"}, "payout_total_mismatch", "shares",
            sum=f"{allotted:.2f}", received_total=f"{total:.2f}")
    payout = Payout.objects.create(case=case, received_total=total, note=note, created_by=actor)
    made = [PayoutShare.objects.create(payout=payout, party=p, amount=a, order=i) for i, (p, a) in enumerate(rows)]
    journal_append(case=case, kind=entries.OPENED, actor=actor, payload={
        "payout_id": payout.pk, "received_total": f"{total:.2f}",
        "shares": [{"share_id": s.pk, "party_id": s.party_id, "amount": f"{s.amount:.2f}"} for s in made]})
    users = set()
    for s in made:
        users |= recipient_users(case.pk, s.party)
    _card(payout, title=f"案款发还：请确认金额、填写银行账户并签名（共 {total:.2f} 元）", user_ids=users, actor=actor)
    return payout


def payout_for(*, user, payout_id) -> tuple[Payout, CaseAccess]:
    """The payout if `user` is court staff of its case or one of its recipients; payout_none otherwise."""
    try:
        payout = Payout.objects.select_related("case", "case__court").get(pk=int(payout_id))
        access = access_case_for(user, payout.case_id)
    except (Payout.DoesNotExist, CaseNotFound, TypeError, ValueError):
        raise errors.none() from None
    if not access.can(Capability.WRITE_JOURNAL) and not my_shares(payout, user):
        raise errors.none()
    return payout, access


def my_shares(payout: Payout, user) -> list[PayoutShare]:
    return [s for s in payout.shares.select_related("party") if user.pk in recipient_users(payout.case_id, s.party)]


def _my_share(payout: Payout, user, share_id) -> PayoutShare:
    share = next((s for s in my_shares(payout, user) if str(s.pk) == str(share_id)), None)
    if share is None:
        raise errors.none()
    return share


def check_account(*, number: str, bank_code: str, account_name: str, party_name: str) -> tuple[str, str]:
    """(digits, bank code) of a card that passes every check, else the specific error."""
    digits = banks.normalise(number)
    if not banks.DIGITS.match(digits):
        raise errors.invalid(_("A bank card number has 16 to 19 digits."), "payout_card_format", "account_number")
    if not banks.luhn_ok(digits):
        raise errors.invalid(_("This card number fails the check digit (Luhn): please check it."),
                             "payout_card_luhn", "account_number")
    chosen = banks.canonical_code(bank_code)
    if chosen not in banks.BANKS:
        raise errors.invalid(_("Unknown bank code: choose the bank from the list."), "payout_bank_unknown",
                             "bank_code", allowed=sorted(banks.BANKS))
    issuer = banks.bank_of(digits, getattr(settings, "PAYOUT_EXTRA_BINS", None))
    if not issuer:
        raise errors.invalid(_("The card's issuer code (%(bin)s) belongs to none of the listed banks.")
                             % {"bin": digits[:6]}, "payout_bank_unknown", "account_number")
    if issuer != chosen:
        raise errors.invalid(_("This card was issued by %(issuer)s, not %(chosen)s.")
                             % {"issuer": banks.BANKS[issuer], "chosen": banks.BANKS[chosen]},
                             "payout_bank_mismatch", "bank_code")
    if (account_name or "").strip() != party_name:
        raise errors.invalid(_("The account must be in the recipient's own name (%(name)s).") % {"name": party_name},
                             "payout_account_name", "account_name")
    return digits, issuer


@transaction.atomic
def share_confirm(*, payout: Payout, user, share_id, amount_confirmed: bool, account_number: str, bank_code: str,
                  account_name: str) -> PayoutShare:
    """The recipient confirms the amount and gives a bank account in their own name (checked, stored encrypted,
    shown masked). May be repeated until the record is signed."""
    share = _my_share(payout, user, share_id)
    share = PayoutShare.objects.select_for_update(of=("self",)).select_related("party").get(pk=share.pk)
    if payout.status != PayoutStatus.OPEN or share.status == ShareStatus.SIGNED:
        raise errors.state(_("This payout can no longer be changed."))
    if not amount_confirmed:
        raise errors.invalid(_("Confirm the amount first."), "payout_not_confirmed_amount", "amount_confirmed")
    digits, issuer = check_account(number=account_number, bank_code=bank_code, account_name=account_name,
                                   party_name=share.party.name)
    share.account_number, share.account_masked = digits, banks.mask(digits)
    share.bank_code, share.bank_name, share.account_name = issuer, banks.BANKS[issuer], share.party.name
    share.status, share.confirmed_by, share.confirmed_at = ShareStatus.CONFIRMED, user, timezone.now()
    share.save(update_fields=["account_number", "account_masked", "bank_code", "bank_name", "account_name",
                              "status", "confirmed_by", "confirmed_at"])
    journal_append(case=payout.case, kind=entries.CONFIRMED, actor=user, payload={
        "payout_id": payout.pk, "share_id": share.pk, "party_id": share.party_id, "amount": f"{share.amount:.2f}",
        "bank_code": issuer, "account_masked": share.account_masked})
    return share


def _judge_name(payout: Payout) -> str:
    part = (Participation.objects.filter(case_id=payout.case_id, role__in=JUDGE_ROLES).select_related("user")
            .order_by("role", "id").first())
    return part.user.display_name if part else payout.created_by.display_name


def record_variables(payout: Payout, share: PayoutShare) -> dict:
    from yunting.core.papers.context import paper_defaults

    values = paper_defaults(payout.case, TEMPLATE)
    return {**values, "issue_date": timezone.now().astimezone(SHANGHAI).date(), "recipient": share.party.name,
            "received_total": payout.received_total, "amount": share.amount, "bank_name": share.bank_name,
            "account_masked": banks.mask_tail(share.account_number), "account_name": share.account_name,
            "confirmed_at": share.confirmed_at, "judge_name": _judge_name(payout), "note": payout.note,
            "shares": [{"name": s.party.name, "role": ROLE_ZH.get(s.party.role, s.party.role),
                        "amount": f"{s.amount:,.2f}"} for s in payout.shares.select_related("party")]}


def _bad_strokes(message: str = "") -> ValidationFailed:
    return errors.invalid(message or _("Sign in the box first."), "payout_strokes", "strokes")


def share_sign(*, payout: Payout, user, share_id, strokes_png: bytes, device: str = "") -> PayoutShare:
    """The recipient signs the distribution record by hand: rendered now (fonts embedded), the strokes in the
    recipient's field, signed by the platform on their behalf; the seal follows on approval."""
    from yunting.core.papers.services import cert_for_platform
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.documents.render import render_pdf
    from yunting.kernel.documents.signing import stamps
    from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign

    share = _my_share(payout, user, share_id)
    if payout.status != PayoutStatus.OPEN or share.status != ShareStatus.CONFIRMED:
        raise errors.state(_("Confirm the amount and the bank account before signing."))
    strokes = strokes_through_intake(png=strokes_png, user=user, purpose="payout_sign",
                                     subject=f"payout_share:{share.pk}", invalid=_bad_strokes)
    with transaction.atomic():
        share = PayoutShare.objects.select_for_update(of=("self",)).select_related("party").get(pk=share.pk)
        if share.status != ShareStatus.CONFIRMED:
            raise errors.state(_("Confirm the amount and the bank account before signing."))
        court = payout.case.court
        now = timezone.now().astimezone(SHANGHAI)
        try:
            image = stamps.handwriting_stamp(strokes_png=strokes.png,
                                             caption=f"{share.party.name} {now:%Y-%m-%d %H:%M}")
        except Exception:
            raise _bad_strokes() from None
        rendered = render_pdf(TEMPLATE, record_variables(payout, share))
        pdf = pdf_sign(rendered.pdf, cert=cert_for_platform(court), request=SignRequest(
            RECIPIENT_SLOT.name, reason=f"{share.party.name}手写签名确认案款发还（平台代为数字签名）",
            location=court.name, image=image))
        share.record_sha256 = blob_put_bytes(pdf, allowed={"application/pdf"}).sha256
        share.signature_sha256 = strokes.sha256  # the blob the intake accepted
        share.status, share.signed_at = ShareStatus.SIGNED, timezone.now()
        share.save(update_fields=["record_sha256", "signature_sha256", "status", "signed_at"])
        journal_append(case=payout.case, kind=entries.SIGNED, actor=user, payload={
            "payout_id": payout.pk, "share_id": share.pk, "party_id": share.party_id,
            "signature_sha256": share.signature_sha256, "record_sha256": share.record_sha256,
            "device": (device or "")[:200]})
    return share


@transaction.atomic
def payout_approve(*, access: CaseAccess, actor, payout: Payout) -> Payout:
    """The judge approves once every recipient has signed: the court seal goes on each record, and the sealed
    records go into the e-file (court-issued: 案款发还笔录)."""
    from yunting.core.papers.services import cert_for_seal
    from yunting.kernel.blobs.store import blob_put_bytes, blob_read
    from yunting.kernel.documents.library import SEAL_SLOT
    from yunting.kernel.documents.signing import stamps
    from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign

    if not _is_judge(access) or payout.case_id != access.case.pk:
        raise errors.judge_only()
    payout = Payout.objects.select_for_update(of=("self",)).select_related("case", "case__court").get(pk=payout.pk)
    if payout.status != PayoutStatus.OPEN:
        raise errors.state(_("This payout can no longer be changed."))
    shares = list(payout.shares.select_related("party"))
    waiting = [s.party.name for s in shares if s.status != ShareStatus.SIGNED]
    if waiting:
        raise errors.state(_("Still waiting for: %(names)s.") % {"names": "、".join(waiting)})
    court = payout.case.court
    cert, seal = cert_for_seal(court), stamps.seal_stamp(court_name=court.name)
    docs = []
    for s in shares:
        pdf = pdf_sign(blob_read(s.record_sha256), cert=cert, request=SignRequest(
            SEAL_SLOT.name, reason="加盖院印（执行法官批准案款发还）", location=court.name, image=seal))
        s.record_sha256 = blob_put_bytes(pdf, allowed={"application/pdf"}).sha256
        s.save(update_fields=["record_sha256"])
        title = f"案款发还笔录（{s.party.name}）"
        docs.append(DocumentInput(sha256=s.record_sha256, title=title, kind="payout_record", filename=f"{title}.pdf"))
    payout.status, payout.approved_by, payout.approved_at = PayoutStatus.APPROVED, actor, timezone.now()
    payout.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    journal_append(case=payout.case, kind=entries.APPROVED, actor=actor, payload={"payout_id": payout.pk},
                   documents=docs)
    _card(payout, title="案款发还已批准，分配笔录已盖章归卷", user_ids=None, actor=actor)
    return payout


@transaction.atomic
def payout_cancel(*, access: CaseAccess, actor, payout: Payout, reason: str) -> Payout:
    if not _is_judge(access) or payout.case_id != access.case.pk:
        raise errors.judge_only()
    payout = Payout.objects.select_for_update(of=("self",)).get(pk=payout.pk)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise errors.invalid(_("Give a reason (at most 300 characters)."), "payout_amount", "reason")
    if payout.status != PayoutStatus.OPEN:
        raise errors.state(_("This payout can no longer be changed."))
    payout.status = PayoutStatus.CANCELLED
    payout.save(update_fields=["status", "updated_at"])
    journal_append(case=access.case, kind=entries.CANCELLED, actor=actor,
                   payload={"payout_id": payout.pk, "reason": reason})
    return payout
