"""Writes of the notify kernel: the outbox, and one-time codes sent through it.

Outbox: `outbox_enqueue` writes the message in the caller's transaction and schedules its sending for after the
commit; `outbox_send` makes one attempt; `outbox_send_due` (the periodic job) retries with backoff.

One-time codes: `otp_issue` makes a 6-digit code and its SMS in one transaction; `otp_verify` checks a guess
(and counts wrong ones even when the caller then gives up); `otp_consume` uses the code up, inside the
transaction of the act it proves, so an act and its code stand or fall together.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yunting.kernel.common.errors import ApplicationError, Conflict, ValidationFailed
from yunting.kernel.security.fields import blind_index
from yunting.kernel.security.masking import mask_phone

from .models import OutboxMessage, PhoneVerification
from .phones import phone_normalize
from .senders import sms_sender

log = logging.getLogger(__name__)

# --- outbox ----------------------------------------------------------------------------------------------------
MAX_SEND_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=15)
MAX_RETRY = timedelta(minutes=10)
CLAIM_FOR = timedelta(minutes=2)  # one sender at a time: the task after commit and the periodic job may race

# --- one-time codes --------------------------------------------------------------------------------------------
CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
CODE_MAX_WRONG = 5
RESEND_COOLDOWN = timedelta(seconds=60)
HOURLY_LIMIT = 5
_CODE_RE = re.compile(rf"\d{{{CODE_DIGITS}}}")


def outbox_enqueue(*, phone: str, body: str, purpose: str, send_before: datetime | None = None) -> OutboxMessage:
    """Write one SMS to the outbox. Call it inside the transaction of the act that needs the message: if that
    act rolls back, so does the message; once it commits, sending is scheduled."""
    number = phone_normalize(phone)
    message = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.SMS, recipient=number, recipient_masked=mask_phone(number), body=body,
        purpose=purpose, next_attempt_at=timezone.now(), send_before=send_before,
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from .tasks import outbox_deliver

    try:
        outbox_deliver.enqueue(message_id=message_id)
    except Exception:  # it stays pending; the periodic job sends it
        log.exception("could not enqueue outbox message %s", message_id)


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min, 2 min … capped at 10 min."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def outbox_send(*, message_id: int) -> str:
    """Make one sending attempt if the message is pending and due; return its status afterwards.

    A sender failure is recorded (attempts, last_error, next_attempt_at) and never raised: the message stays
    pending for the periodic job until MAX_SEND_ATTEMPTS, then it is failed."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now,
    ).update(next_attempt_at=now + CLAIM_FOR)
    message = OutboxMessage.objects.get(pk=message_id)
    if not claimed:
        return message.status
    if message.send_before and now >= message.send_before:
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxMessage.Status.FAILED, last_error="expired before it could be sent")
        return OutboxMessage.Status.FAILED
    attempts = message.attempts + 1
    try:
        provider_id = sms_sender().send(message.recipient, message.body)
    except Exception as exc:  # the gateway's trouble: recorded and retried, never the caller's
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        log.warning("sending outbox message %s failed (attempt %s): %s", message_id, attempts, error)
        if attempts >= MAX_SEND_ATTEMPTS:
            fields = {"status": OutboxMessage.Status.FAILED}
        else:
            fields = {"next_attempt_at": timezone.now() + backoff(attempts)}
        OutboxMessage.objects.filter(pk=message_id).update(attempts=attempts, last_error=error, **fields)
        return fields.get("status", OutboxMessage.Status.PENDING)
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT, attempts=attempts, sent_at=timezone.now(), last_error="",
        provider_message_id=str(provider_id or "")[:100],
    )
    return OutboxMessage.Status.SENT


def outbox_send_due(limit: int = 200) -> int:
    """Send every pending message whose time has come: the periodic job. Returns how many were tried."""
    due = list(OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    for message_id in due:
        outbox_send(message_id=message_id)
    return len(due)


# --- one-time codes --------------------------------------------------------------------------------------------
def _code_hash(salt: str, code: str) -> str:
    # keyed (SECRET_KEY) and salted: a leaked table does not give up a 6-digit code by brute force
    return salted_hmac("yunting.notify.otp", f"{salt}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def otp_issue(*, phone: str, purpose: str) -> PhoneVerification:
    """Issue a one-time code for `purpose` to `phone` and write its SMS to the outbox, in one transaction.

    Refused (ValidationFailed, data["retry_after"] in seconds) within RESEND_COOLDOWN of the last code to the
    same phone and after HOURLY_LIMIT codes to it within an hour. A new code replaces older ones: only the
    latest can be verified."""
    number = phone_normalize(phone)
    index = blind_index(number)
    now = timezone.now()
    recent = list(PhoneVerification.objects.filter(phone_index=index, created_at__gt=now - timedelta(hours=1))
                  .order_by("-created_at").values_list("created_at", flat=True))
    if recent and now - recent[0] < RESEND_COOLDOWN:
        wait = max(1, int((recent[0] + RESEND_COOLDOWN - now).total_seconds() + 0.999))
        raise ValidationFailed(
            ngettext("A code was just sent. You can ask for another in %(seconds)d second.",
                     "A code was just sent. You can ask for another in %(seconds)d seconds.", wait)
            % {"seconds": wait},
            code="otp_cooldown", data={"field": "phone", "retry_after": wait},
        )
    if len(recent) >= HOURLY_LIMIT:
        wait = max(60, int((recent[-1] + timedelta(hours=1) - now).total_seconds() + 0.999))
        minutes = (wait + 59) // 60
        raise ValidationFailed(
            ngettext("Too many codes were sent to this number. Try again in %(minutes)d minute.",
                     "Too many codes were sent to this number. Try again in %(minutes)d minutes.", minutes)
            % {"minutes": minutes},
            code="otp_rate_limited", data={"field": "phone", "retry_after": wait},
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    expires = now + CODE_TTL
    body = _("Yunting: your verification code is %(code)s. It is valid for %(minutes)d minutes. "
             "Never tell it to anyone.") % {"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)}
    message = outbox_enqueue(phone=number, body=body, purpose=f"otp:{purpose}", send_before=expires)
    return PhoneVerification.objects.create(
        phone_index=index, purpose=purpose, code_salt=salt, code_hash=_code_hash(salt, code),
        created_at=now, expires_at=expires, message=message,
    )


def otp_verify(*, phone: str, purpose: str, code: str) -> PhoneVerification:
    """Check `code` against the latest code issued to `phone` for `purpose`; return it, or raise ValidationFailed
    (otp_format, otp_missing, otp_used, otp_expired, otp_locked, otp_wrong) with data["field"] == "code".

    Does not use the code up: call `otp_consume` in the transaction of the act it proves. A wrong guess is
    counted in a transaction of its own, so call this outside any transaction (it is durable): otherwise a
    caller's rollback would give the guesser their tries back."""
    number = phone_normalize(phone)
    code = (code or "").strip()
    if not _CODE_RE.fullmatch(code):
        raise ValidationFailed(_("Enter the 6-digit code sent to your phone."), code="otp_format",
                               data={"field": "code"})
    with transaction.atomic(durable=True):
        verification, error = _otp_check(index=blind_index(number), purpose=purpose, code=code)
    if error is not None:  # raised after the commit, so the counted guess stays counted
        raise error
    return verification


def _otp_check(*, index: str, purpose: str, code: str) -> tuple[PhoneVerification | None, ApplicationError | None]:
    verification = (PhoneVerification.objects.select_for_update()
                    .filter(phone_index=index, purpose=purpose).order_by("-created_at", "-id").first())

    def refuse(message, error_code):
        return verification, ValidationFailed(message, code=error_code, data={"field": "code"})

    if verification is None:
        return refuse(_("No code has been sent to this number yet. Ask for a code first."), "otp_missing")
    if verification.consumed_at is not None:
        return refuse(_("This code has already been used. Ask for a new one."), "otp_used")
    if timezone.now() >= verification.expires_at:
        return refuse(_("This code has expired. Ask for a new one."), "otp_expired")
    if verification.attempts >= CODE_MAX_WRONG:
        return refuse(_("Too many wrong codes. Ask for a new one."), "otp_locked")
    if constant_time_compare(_code_hash(verification.code_salt, code), verification.code_hash):
        return verification, None
    PhoneVerification.objects.filter(pk=verification.pk).update(attempts=F("attempts") + 1)
    left = CODE_MAX_WRONG - verification.attempts - 1
    if left <= 0:
        return refuse(_("Wrong code, and no tries are left. Ask for a new one."), "otp_locked")
    return refuse(ngettext("Wrong code. %(left)d try left.", "Wrong code. %(left)d tries left.", left)
                  % {"left": left}, "otp_wrong")


def otp_consume(*, verification: PhoneVerification) -> PhoneVerification:
    """Use a verified code up. Call inside the transaction of the act it proves; a second use raises Conflict."""
    now = timezone.now()
    used = PhoneVerification.objects.filter(
        pk=verification.pk, consumed_at__isnull=True, attempts__lt=CODE_MAX_WRONG,
    ).update(consumed_at=now)
    if not used:
        raise Conflict(_("This code has already been used. Ask for a new one."), code="otp_used",
                       data={"field": "code"})
    verification.consumed_at = now
    return verification
