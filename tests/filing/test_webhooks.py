"""Institutions hear about review and docketing through signed callbacks, retried with backoff."""

import json

import pytest
import time_machine
from django.test import Client

from yunting.workflows.filing.acceptance import filing_accept, filing_accept_batch
from yunting.workflows.filing.models import WebhookDelivery
from yunting.workflows.filing.services import filing_reject
from yunting.workflows.filing.webhooks import backoff, verify, webhook_deliver_due

from .test_batches import body as batch_body

pytestmark = [pytest.mark.django_db]


class Receiver:
    """The fake at the edge: records what was sent and answers with the statuses it is told to."""

    sent: list = []
    answers: list = []

    @classmethod
    def send(cls, url, body, headers):
        cls.sent.append({"url": url, "body": body, "headers": headers})
        status = cls.answers.pop(0) if cls.answers else 200
        if status == "down":
            raise ConnectionError("connection refused")
        return status


def receiver_send(url, body, headers):
    return Receiver.send(url, body, headers)


@pytest.fixture
def receiver(settings):
    settings.YUNTING_WEBHOOK_SENDER = "tests.filing.test_webhooks.receiver_send"
    Receiver.sent, Receiver.answers = [], []
    return Receiver


@pytest.fixture
def bank(cast, django_capture_on_commit_callbacks):
    """The bank's API client with a webhook registered, and 5 of its filings submitted."""
    from yunting.workflows.filing.batches import institution_key_create

    orgs, _ = cast
    _, raw = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    res = client.put("/api/v1/filings/webhook", json.dumps({"url": "https://bank.example/yunting"}),
                     content_type="application/json")
    assert res.status_code == 200, res.content
    client.secret = res.json()["secret"]
    with django_capture_on_commit_callbacks(execute=True):
        client.batch_id = client.post("/api/v1/filings/batches", batch_body(n=5, bad={}, garbage_line=False),
                                      content_type="application/x-ndjson").json()["id"]
    return client


def test_webhook_url_must_be_https(cast, bank):
    res = bank.put("/api/v1/filings/webhook", json.dumps({"url": "ftp://x"}), content_type="application/json")
    assert res.status_code == 400 and res.json()["code"] == "filing_webhook_url"


def test_acceptance_sends_signed_review_and_docketing(bank, receiver, users, django_capture_on_commit_callbacks):
    from yunting.workflows.filing.models import Filing

    filing = Filing.objects.filter(external_id="LN-2026-00001").get()
    with django_capture_on_commit_callbacks(execute=True):
        case = filing_accept(filing=filing, actor=users["filing_officer"], notify=False)
    assert [json.loads(m["body"])["messageType"] for m in receiver.sent] == [
        "ReviewFilingCallbackMessage", "NotifyDocketingCompleteMessage"]
    review, docketing = (json.loads(m["body"]) for m in receiver.sent)
    assert review["filingStatus"]["code"] == "accepted" and review["externalId"] == "LN-2026-00001"
    assert docketing["caseTrackingId"] == case.number and docketing["fee"]["currency"] == "CNY"
    for message in receiver.sent:
        assert verify(bank.secret, message["body"], message["headers"]["X-Yunting-Signature"])
        assert not verify("whsec_wrong", message["body"], message["headers"]["X-Yunting-Signature"])
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


def test_a_rolled_back_decision_sends_nothing(bank, receiver, users, django_capture_on_commit_callbacks):
    from django.db import transaction

    from yunting.workflows.filing.models import Filing

    filing = Filing.objects.get(external_id="LN-2026-00002")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        filing_reject(filing=filing, actor=users["filing_officer"], reason="不属于本院管辖")
        raise RuntimeError("crash before commit")
    assert receiver.sent == [] and not WebhookDelivery.objects.exists()


def test_failures_are_retried_with_backoff(bank, receiver, users, django_capture_on_commit_callbacks):
    from yunting.workflows.filing.models import Filing

    receiver.answers = ["down", 500]
    filing = Filing.objects.get(external_id="LN-2026-00003")
    with time_machine.travel("2026-12-01 10:00:00 +0800", tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            filing_reject(filing=filing, actor=users["filing_officer"], reason="材料不全")
        d = WebhookDelivery.objects.get()
        assert (d.status, d.attempts, d.last_error) == ("pending", 1, "ConnectionError: connection refused")
        assert webhook_deliver_due() == 0  # not yet due
        clock.shift(backoff(1).total_seconds())
        assert webhook_deliver_due() == 1
        d.refresh_from_db()
        assert (d.status, d.attempts, d.last_status) == ("pending", 2, 500)
        clock.shift(backoff(2).total_seconds())
        webhook_deliver_due()
        d.refresh_from_db()
        assert (d.status, d.attempts) == ("delivered", 3)
    assert len(receiver.sent) == 3
    assert len({m["headers"]["X-Yunting-Delivery"] for m in receiver.sent}) == 1  # the same message each time


def test_gives_up_after_max_attempts(bank, receiver, users, django_capture_on_commit_callbacks):
    from yunting.workflows.filing.models import Filing
    from yunting.workflows.filing.webhooks import MAX_ATTEMPTS

    receiver.answers = [503] * 20
    with time_machine.travel("2026-12-01 10:00:00 +0800", tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            filing_reject(filing=Filing.objects.get(external_id="LN-2026-00004"), actor=users["filing_officer"],
                          reason="材料不全")
        for n in range(1, MAX_ATTEMPTS + 2):
            clock.shift(backoff(n).total_seconds())
            webhook_deliver_due()
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_error) == ("failed", MAX_ATTEMPTS, "HTTP 503")


def test_bulk_acceptance_reports_each_filing_once(bank, receiver, users, django_capture_on_commit_callbacks):
    from yunting.workflows.filing.models import FilingBatch

    batch = FilingBatch.objects.get(pk=bank.batch_id)
    with django_capture_on_commit_callbacks(execute=True):
        filing_accept_batch(actor=users["filing_officer"], court=batch.court, batch=batch)
    assert WebhookDelivery.objects.filter(event="docketing", status="delivered").count() == 5
    assert WebhookDelivery.objects.filter(event="review", status="delivered").count() == 5


def test_backoff_doubles_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30).total_seconds() == 6 * 3600
