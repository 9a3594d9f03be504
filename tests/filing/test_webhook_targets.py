"""Webhook URLs never reach into the court's own network: refused at registration and, after DNS changes, at
delivery; redirects are never followed."""

import http.server
import json
import socket
import threading

import pytest
from django.test import Client

from yunting.kernel.security import egress
from yunting.workflows.filing.models import FilingWebhook, WebhookDelivery
from yunting.workflows.filing.webhooks import http_send, webhook_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(cast):
    from yunting.workflows.filing.batches import institution_key_create

    orgs, _ = cast
    _, raw = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _put(client, url):
    return client.put("/api/v1/filings/webhook", json.dumps({"url": url}), content_type="application/json")


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://localhost/hook", "https://10.1.2.3/hook", "https://192.168.0.10/hook",
    "https://172.16.5.5/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook",
    "https://[fe80::1]/hook", "https://[::ffff:10.0.0.1]/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
    "https://240.0.0.1/hook", "https://user:pw@bank.example/hook",
])
def test_private_loopback_link_local_and_reserved_targets_are_refused_at_registration(bank, url):
    response = _put(bank, url)
    assert response.status_code == 400, url
    assert response.json()["code"] in ("filing_webhook_url_private", "filing_webhook_url")
    assert not FilingWebhook.objects.exists()


def test_a_public_name_is_accepted(bank, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "",
                                                                  ("8.8.4.4", 443))])
    assert _put(bank, "https://hooks.bank.example/yunting").status_code == 200


def _resolving_to(monkeypatch, address):
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 443))])
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a) or 1 / 0)
    return connected


def test_delivery_checks_again_after_dns_changed(bank, submitted, monkeypatch, settings):
    assert _put(bank, "https://hooks.bank.example/yunting").status_code == 200  # unresolvable then: accepted
    connected = _resolving_to(monkeypatch, "10.20.30.40")  # now it points inside
    with pytest.raises(egress.EgressRefused):
        http_send("https://hooks.bank.example/yunting", b"{}", {})
    assert connected == []  # refused before any connection

    settings.YUNTING_WEBHOOK_SENDER = "yunting.workflows.filing.webhooks.http_send"
    hook = FilingWebhook.objects.get()
    delivery = WebhookDelivery.objects.create(webhook=hook, filing=submitted(), event="review", dedupe_key="t:1", body={"a": 1},
                                              next_attempt_at="2026-01-01T00:00:00Z")
    assert webhook_deliver(delivery) == WebhookDelivery.Status.PENDING
    delivery.refresh_from_db()
    assert "non-public address" in delivery.last_error and delivery.attempts == 1 and connected == []


def test_redirects_are_not_followed(settings):
    settings.YUNTING_EGRESS_ALLOW_PRIVATE = True  # a local server stands in for the receiver
    settings.DEBUG = True  # plain http for the local server
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path == "/hook":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status = http_send(f"http://127.0.0.1:{server.server_port}/hook", b'{"x":1}', {"Content-Type": "application/json"})
    finally:
        server.shutdown()
    assert status == 302 and hits == ["/hook"]
