"""The read log is for court administrators; the OpenAPI document describes every path."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import HttpError

from yunting.interfaces.api.auth import API_AUTH


def test_only_court_admins_can_query_the_read_log(make_case, bearer):
    case = make_case()
    other = make_case()
    bearer("lawyer").get(f"/api/v1/cases/{case.pk}")
    bearer("judge").get(f"/api/v1/cases/{other.pk}/efile")

    admin = bearer("court_admin")
    body = admin.get("/api/v1/readlog").json()
    assert body["count"] == 2 and body["page_size"] == 20
    assert {(e["username"], e["action"], e["case_id"]) for e in body["items"]} >= {
        ("lawyer", "case.view", case.pk), ("judge", "efile.view", other.pk)
    }
    assert [e["username"] for e in admin.get("/api/v1/readlog", {"username": "lawyer"}).json()["items"]] == ["lawyer"]
    assert admin.get("/api/v1/readlog", {"case_id": other.pk}).json()["count"] == 1
    assert admin.get("/api/v1/readlog", {"action": "efile.view"}).json()["count"] == 1
    later = (timezone.now() + timedelta(minutes=5)).isoformat()
    earlier = (timezone.now() - timedelta(minutes=5)).isoformat()
    assert admin.get("/api/v1/readlog", {"since": later}).json()["count"] == 0
    assert admin.get("/api/v1/readlog", {"since": earlier, "until": later}).json()["count"] == 2
    assert admin.get("/api/v1/readlog", {"until": earlier}).json()["count"] == 0

    for who in ("judge", "lawyer", "clerk", "filing_officer"):
        r = bearer(who).get("/api/v1/readlog")
        assert r.status_code == 403
        assert r.json()["code"] == "readlog_forbidden"


def test_the_read_log_stays_within_the_admins_court(make_case, bearer, users):
    from yunting.kernel.security.audit import read_log

    case = make_case()
    read_log(user=users["judge"], action="case.view", channel="web", case_id=case.pk)
    read_log(user=users["judge"], action="case.view", channel="web", case_id=case.pk + 1000)  # no case of ours
    read_log(user=users["judge"], action="user.view", channel="web", object_type="user", object_id=1)
    body = bearer("court_admin").get("/api/v1/readlog").json()
    assert {(e["case_id"], e["action"]) for e in body["items"]} == {(case.pk, "case.view"), (None, "user.view")}


def test_me(bearer):
    body = bearer("court_admin").get("/api/v1/me").json()
    assert body["username"] == "court_admin" and body["real_name"] == "吴国栋"
    assert body["roles"] == ["court_admin"] and body["is_court_admin"] is True
    assert body["memberships"][0]["organisation"] == "深圳市宝安区人民法院"
    assert bearer("plaintiff").get("/api/v1/me").json()["memberships"] == []


def test_openapi_lists_every_path(db):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    schema = r.json()
    assert {
        "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/journal", "/api/v1/cases/{id}/efile",
        "/api/v1/documents/{id}/content", "/api/v1/me", "/api/v1/readlog",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_session_auth_demands_csrf_for_unsafe_methods(users):
    """No endpoint of ours writes yet, so the session auth itself is asked about a POST."""
    _, session_auth = API_AUTH
    factory = RequestFactory()
    request = factory.post("/api/v1/anything", HTTP_COOKIE="sessionid=abc")
    request.user = users["judge"]
    request.COOKIES["sessionid"] = "abc"
    with pytest.raises(HttpError) as exc:
        session_auth(request)
    assert exc.value.status_code == 403
    safe = factory.get("/api/v1/me")
    safe.user = users["judge"]
    safe.COOKIES["sessionid"] = "abc"
    assert session_auth(safe) == users["judge"]
