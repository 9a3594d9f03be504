"""Signed callbacks to institutions when their filings are reviewed and docketed.

Messages follow the OASIS ECF 5 callback shapes (ReviewFilingCallbackMessage, NotifyDocketingCompleteMessage),
in JSON. Each is written as a WebhookDelivery in the same transaction as the decision (so none is lost and
none is sent for a decision that rolled back), sent after commit, and retried with exponential backoff by the
periodic job `filing.webhooks` (`yunting tick`) until a 2xx comes back or MAX_ATTEMPTS is reached.

Signature: `X-Yunting-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; the
receiver recomputes it with its secret and rejects stale timestamps (replays).

Sending goes through a narrow adapter (settings.YUNTING_WEBHOOK_SENDER, a dotted path to
`send(url, body: bytes, headers: dict) -> int`): `http_send` in production, a recording fake in tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.security import egress

from .models import Filing, FilingWebhook, WebhookDelivery

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=6)
ECF_VERSION = "5.01"


# --- registration ----------------------------------------------------------------------------------------------
@transaction.atomic
def webhook_set(*, institution, court, url: str) -> tuple[FilingWebhook, str]:
    """Register (or change) the institution's callback URL; a fresh secret is returned, shown once."""
    url = (url or "").strip()
    if not (url.startswith("https://") or (settings.DEBUG and url.startswith("http://"))) or len(url) > 500:
        raise ValidationFailed(_("The callback address must be a URL starting with https://."),
                               code="filing_webhook_url", data={"field": "url"})
    try:
        egress.check_url(url, schemes=_schemes())
    except egress.EgressRefused as exc:
        raise ValidationFailed(
            _("The callback address must be on the public internet, not a private, loopback, link-local or "
              "reserved address."), code="filing_webhook_url_private", data={"field": "url", "reason": exc.reason},
        ) from None
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook, _created = FilingWebhook.objects.update_or_create(institution=institution, court=court,
                                                     defaults={"url": url, "secret": secret, "active": True})
    return hook, secret


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, tolerance_s: int = 300, now: int | None = None) -> bool:
    """What a receiver does (and the tests): recompute the HMAC, refuse stale timestamps."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or int(time.time())) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, body, ts), header)


# --- messages --------------------------------------------------------------------------------------------------
def _review_body(filing: Filing, status: str) -> dict:
    descriptions = {"accepted": "准予立案", "rejected": filing.decision_reason,
                    "supplement_requested": filing.supplement_request}
    return {
        "messageType": "ReviewFilingCallbackMessage", "ecfVersion": ECF_VERSION,
        "court": filing.court.court_code, "filingId": str(filing.pk), "externalId": filing.external_id,
        "filingStatus": {"code": status, "description": descriptions.get(status, "")},
        "supplementDeadline": filing.supplement_deadline.isoformat() if filing.supplement_deadline else None,
        "reviewedAt": timezone.now().isoformat(),
        "caseTrackingId": filing.case.number if filing.case_id else None,
    }


def _docketing_body(filing: Filing) -> dict:
    case = filing.case
    return {
        "messageType": "NotifyDocketingCompleteMessage", "ecfVersion": ECF_VERSION,
        "court": filing.court.court_code, "filingId": str(filing.pk), "externalId": filing.external_id,
        "caseTrackingId": case.number, "caseDocketId": case.number, "caseId": case.pk,
        "caseType": case.case_type_id, "cause": case.cause.name if case.cause_id else None,
        "docketedAt": case.registered_at.isoformat(), "fee": {"amount": filing.fee.get("fee"), "currency": "CNY"},
    }


def webhooks_of(court_id: int) -> dict[int, FilingWebhook]:
    """The active webhooks of a court's institutions, by institution id (bulk acceptance reads them once)."""
    return {h.institution_id: h for h in FilingWebhook.objects.filter(court_id=court_id, active=True)}


def webhook_queue(filing: Filing, status: str, *, hooks: dict[int, FilingWebhook] | None = None) -> int:
    """Call inside the decision's transaction: write the review (and, on acceptance, docketing) messages for an
    institution's filing; they are sent after commit. Returns how many were queued."""
    if not filing.institution_id:
        return 0
    if hooks is not None:
        hook = hooks.get(filing.institution_id)
    else:
        hook = FilingWebhook.objects.filter(institution_id=filing.institution_id, court_id=filing.court_id,
                                            active=True).first()
    if hook is None:
        return 0
    messages = [("review", status, _review_body(filing, status))]
    if status == "accepted":
        messages.append(("docketing", "docketed", _docketing_body(filing)))
    now = timezone.now()
    rows = [WebhookDelivery(webhook=hook, filing=filing, event=event, dedupe_key=f"{filing.pk}:{event}:{key}",
                            body=body, next_attempt_at=now) for event, key, body in messages]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_enqueue_due)
    return len(rows)


def _enqueue_due() -> None:
    from .tasks import filing_webhooks_deliver

    try:
        filing_webhooks_deliver.enqueue()
    except Exception:  # they stay pending; the periodic job sends them
        log.exception("could not enqueue webhook delivery")


# --- sending ---------------------------------------------------------------------------------------------------
def _schemes() -> tuple[str, ...]:
    return ("https", "http") if settings.DEBUG else ("https",)


def http_send(url: str, body: bytes, headers: dict[str, str]) -> int:
    """The real sender: one POST, 10 s timeout; the HTTP status (a network failure raises). The host is resolved
    and checked again now (kernel.security.egress) and the request goes to that checked address; a redirect is
    an answer like any other non-2xx, never followed."""
    return egress.post(url, body, headers, timeout=10, schemes=_schemes())


def _sender():
    return import_string(getattr(settings, "YUNTING_WEBHOOK_SENDER",
                                 "yunting.workflows.filing.webhooks.http_send"))


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at 6 h."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def webhook_deliver(delivery: WebhookDelivery) -> str:
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status
    body = json.dumps(delivery.body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ts = int(time.time())
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Yunting-Webhooks/1",
               "X-Yunting-Event": delivery.event, "X-Yunting-Delivery": str(delivery.pk),
               "X-Yunting-Signature": sign(delivery.webhook.secret, body, ts)}
    status, error = None, ""
    try:
        status = _sender()(delivery.webhook.url, body, headers)
    except Exception as exc:  # network trouble is the receiver's side; recorded and retried
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
    now = timezone.now()
    attempts = delivery.attempts + 1
    if status is not None and 200 <= status < 300:
        fields = {"status": WebhookDelivery.Status.DELIVERED, "delivered_at": now, "last_error": ""}
    elif attempts >= MAX_ATTEMPTS:
        fields = {"status": WebhookDelivery.Status.FAILED, "last_error": error or f"HTTP {status}"}
    else:
        fields = {"next_attempt_at": now + backoff(attempts), "last_error": error or f"HTTP {status}"}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=attempts, last_status=status, **fields)
    return fields.get("status", WebhookDelivery.Status.PENDING)


def webhook_deliver_due(limit: int = 500) -> int:
    """Send every pending message whose time has come; the periodic job. Returns how many were tried."""
    due = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING,
                                              next_attempt_at__lte=timezone.now())
               .select_related("webhook").order_by("next_attempt_at", "id")[:limit])
    for delivery in due:
        webhook_deliver(delivery)
    return len(due)
