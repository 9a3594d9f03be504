"""Bearer tokens: issued by `yunting token create`, stored hashed, refused once revoked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from yunting.interfaces.api.models import ApiToken


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue()


def as_bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_create_prints_only_a_working_token(users):
    out = run("create", "judge", "--name", "bank integration")
    assert out.count("\n") == 1
    raw = out.strip()
    assert raw.startswith("yt_") and " " not in raw
    token = ApiToken.objects.get(user=users["judge"])
    assert token.name == "bank integration"
    assert token.key_hash == ApiToken.hash(raw) and raw not in (token.key_hash, token.key_prefix)
    assert token.last_used_at is None

    r = as_bearer(raw).get("/api/v1/me")
    assert r.status_code == 200
    assert r.json()["username"] == "judge" and r.json()["auth"] == "token"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused(users):
    raw = run("create", "lawyer").strip()
    client = as_bearer(raw)
    assert client.get("/api/v1/me").status_code == 200

    out = run("revoke", raw[:10])
    assert "已吊销" in out
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"
    assert r["WWW-Authenticate"].startswith("Bearer")
    assert "已于" in run("revoke", raw[:10])  # revoking twice changes nothing


def test_revoke_by_id_and_unknown_reference(users):
    raw = run("create", "lawyer").strip()
    token = ApiToken.objects.get(key_hash=ApiToken.hash(raw))
    run("revoke", str(token.pk))
    assert as_bearer(raw).get("/api/v1/cases").status_code == 401
    with pytest.raises(CommandError):
        run("revoke", "yt_nothere")
    with pytest.raises(CommandError):
        run("create", "nobody")


def test_unknown_and_malformed_tokens_are_401_even_with_a_session(users):
    client = Client(headers={"Authorization": "Bearer yt_not-a-real-token"})
    client.force_login(users["judge"])
    assert client.get("/api/v1/me").status_code == 401
    assert Client(headers={"Authorization": "Bearer "}).get("/api/v1/me").status_code == 401
    r = Client().get("/api/v1/me")
    assert r.status_code == 401
    assert set(r.json()) == {"code", "message", "data"}


def test_token_of_inactive_user_is_refused(users):
    raw = run("create", "clerk").strip()
    users["clerk"].is_active = False
    users["clerk"].save(update_fields=["is_active"])
    assert as_bearer(raw).get("/api/v1/me").status_code == 401


def test_list_shows_prefix_and_dates_never_the_token(users):
    first = run("create", "judge", "--name", "first").strip()
    second = run("create", "judge", "--name", "second").strip()
    run("revoke", second[:10])
    as_bearer(first).get("/api/v1/me")
    lines = run("list", "judge").splitlines()
    assert lines[0].split() == ["id", "prefix", "name", "created", "last", "used", "revoked"]
    assert len(lines) == 3
    text = "\n".join(lines)
    assert first not in text and second not in text
    assert first[:10] in text and second[:10] in text
    first_row = next(line for line in lines if first[:10] in line)
    second_row = next(line for line in lines if second[:10] in line)
    assert first_row.rstrip().endswith("-")  # not revoked
    assert not second_row.rstrip().endswith("-")
