"""Repeated failed sign-ins lock the account and the address — on the web form, with API tokens and with
institutions' filing keys — with a message saying when to retry; an administrator's unlock is recorded."""

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from yunting.kernel.security.models import SecurityEvent

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-123"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _sign_in(client, username, password, ip="203.0.113.9"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_is_refused_once_the_account_is_locked(cast, users, limit):
    client = Client()
    for _ in range(limit - 1):
        assert _sign_in(client, "judge", "wrong").status_code == 200  # the ordinary "wrong password"
    assert _sign_in(client, "judge", "wrong").status_code == 429  # the limit-th failure locks
    locked = _sign_in(client, "judge", PASSWORD)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录失败次数过多" in html and "分钟后" in html and "sessionid" not in locked.cookies
    # from another address too: the account is locked, not only the address
    assert _sign_in(Client(), "judge", PASSWORD, ip="198.51.100.4").status_code == 429
    # another account from a clean address is untouched
    assert _sign_in(Client(), "clerk", PASSWORD, ip="198.51.100.5").status_code == 302


def test_an_address_trying_many_accounts_is_locked(cast, users, limit):
    client = Client()
    for name in ("judge", "clerk", "assistant"):
        _sign_in(client, name, "wrong", ip="192.0.2.77")
    assert _sign_in(client, "lawyer", PASSWORD, ip="192.0.2.77").status_code == 429


def test_the_lock_ends_after_the_cool_off(cast, users, limit, settings):
    client = Client()
    with time_machine.travel("2026-12-01 09:00:00+08:00", tick=False):
        for _ in range(limit):
            _sign_in(client, "judge", "wrong")
        response = _sign_in(client, "judge", PASSWORD)
        assert response.status_code == 429 and "09:15" in response.content.decode()
        assert response["Retry-After"] == "900"
    with time_machine.travel("2026-12-01 09:16:00+08:00", tick=False):
        assert _sign_in(Client(), "judge", PASSWORD).status_code == 302


def test_wrong_api_tokens_lock_the_address_even_for_a_right_token(cast, users, limit):
    from yunting.interfaces.api.models import ApiToken

    _, good = ApiToken.issue(user=users["judge"])
    for i in range(limit - 1):
        response = Client(headers={"Authorization": f"Bearer yt_guess{i}"}).get("/api/v1/me", REMOTE_ADDR="203.0.113.50")
        assert response.status_code == 401
    Client(headers={"Authorization": "Bearer yt_last"}).get("/api/v1/me", REMOTE_ADDR="203.0.113.50")
    locked = Client(headers={"Authorization": f"Bearer {good}"}).get("/api/v1/me", REMOTE_ADDR="203.0.113.50")
    assert locked.status_code == 429 and locked.json()["code"] == "login_locked"
    assert "分钟后" in locked.json()["message"] and int(locked["Retry-After"]) > 0
    assert Client(headers={"Authorization": f"Bearer {good}"}).get("/api/v1/me", REMOTE_ADDR="203.0.113.51").status_code == 200


def test_wrong_filing_keys_lock_the_address(cast, limit):
    for i in range(limit):
        Client(headers={"Authorization": f"Bearer ytk_guess{i}"}).get("/api/v1/filings/batches/1",
                                                                      REMOTE_ADDR="203.0.113.60")
    response = Client(headers={"Authorization": "Bearer ytk_another"}).get("/api/v1/filings/batches/1",
                                                                           REMOTE_ADDR="203.0.113.60")
    assert response.status_code == 429 and response.json()["code"] == "login_locked"


def test_an_administrator_unlocks_and_it_is_recorded(cast, users, limit, capsys):
    client = Client()
    for _ in range(limit):
        _sign_in(client, "judge", "wrong")
    assert _sign_in(client, "judge", PASSWORD).status_code == 429
    call_command("unlock", "judge", "--by", "admin", "--reason", "本人电话核实")
    call_command("unlock", "203.0.113.9", "--by", "admin")
    assert "unlocked judge" in capsys.readouterr().out
    assert _sign_in(Client(), "judge", PASSWORD).status_code == 302
    events = list(SecurityEvent.objects.order_by("seq"))
    assert [(e.kind, e.subject, e.actor) for e in events] == [("login.unlocked", "judge", "admin"),
                                                              ("login.unlocked", "203.0.113.9", "admin")]
    assert events[0].details["reason"] == "本人电话核实" and events[0].details["cleared"] >= 1
    assert events[1].seq == events[0].seq + 1 and events[0].chain and events[1].chain
