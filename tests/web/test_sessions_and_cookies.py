"""Sessions end after the idle limit (court staff 2 hours by default); cookies are HttpOnly, SameSite and —
outside local development — Secure, with HSTS over HTTPS."""

import importlib
import os

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def test_a_judge_is_signed_out_after_two_idle_hours(cast, users, client):
    with time_machine.travel("2026-12-01 09:00:00+08:00", tick=False) as clock:
        client.force_login(users["judge"])
        assert client.get("/").status_code == 200
        clock.move_to("2026-12-01 10:59:00+08:00")
        assert client.get("/").status_code == 200  # activity slides the limit
        clock.move_to("2026-12-01 12:58:00+08:00")
        assert client.get("/").status_code == 200
        clock.move_to("2026-12-01 15:00:00+08:00")
        response = client.get("/")
        assert response.status_code == 302 and "/login/" in response.url


def test_a_party_may_stay_idle_longer_than_staff(cast, users, client, settings):
    assert settings.SESSION_IDLE_OTHERS_S > settings.SESSION_IDLE_STAFF_S == 7200
    with time_machine.travel("2026-12-01 09:00:00+08:00", tick=False) as clock:
        client.force_login(users["plaintiff"])
        assert client.get("/").status_code == 200
        clock.move_to("2026-12-01 12:00:00+08:00")
        assert client.get("/").status_code == 200
        clock.move_to("2026-12-01 16:30:00+08:00")
        assert client.get("/").status_code == 302


def test_session_and_csrf_cookies_are_httponly_and_samesite(cast, users, client):
    response = client.post("/login/", {"username": "judge", "password": "pw-for-tests-123"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def _settings_with(monkeypatch, **env):
    import config.settings as module

    for key in ("YUNTING_SECURE_COOKIES", "YUNTING_PUBLIC_URL", "YUNTING_HSTS_SECONDS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        reloaded = importlib.reload(module)
        return type("S", (), {k: getattr(reloaded, k) for k in dir(reloaded) if k.isupper()})
    finally:
        for key in env:
            monkeypatch.delenv(key)
        importlib.reload(module)


def test_cookies_are_secure_outside_local_development(monkeypatch):
    local = _settings_with(monkeypatch)  # make run: http://127.0.0.1:8000
    assert not local.SESSION_COOKIE_SECURE and local.SECURE_HSTS_SECONDS == 0
    deployed = _settings_with(monkeypatch, YUNTING_PUBLIC_URL="https://court.example.cn")
    assert deployed.SESSION_COOKIE_SECURE and deployed.CSRF_COOKIE_SECURE and deployed.SECURE_HSTS_SECONDS >= 31536000
    forced = _settings_with(monkeypatch, YUNTING_SECURE_COOKIES="1")
    assert forced.SESSION_COOKIE_SECURE
    assert os.environ.get("YUNTING_PUBLIC_URL") is None


def test_hsts_is_sent_over_https(cast, client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
