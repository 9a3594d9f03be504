"""Every answer under /api/ is JSON {"code", "message", "data"} — also Django's own 404, 405, 413 and 500."""

import json

import pytest

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "data"} and body["code"] == code and body["message"]
    return body


def test_a_page_far_past_the_end_is_empty_not_a_server_error(cast, bearer):
    response = bearer("judge").get("/api/v1/cases", {"page": 922337203685477580})
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["page"] == 922337203685477580


def test_non_integer_id_on_an_int_route_is_a_json_404(cast, bearer):
    _error(bearer("lawyer").get("/api/v1/filings/abc"), 404, "not_found")
    _error(bearer("lawyer").get("/api/v1/filings/batches/x1"), 404, "not_found")


def test_unknown_route_and_wrong_method_are_json(cast, bearer):
    _error(bearer("judge").get("/api/v1/no-such-thing"), 404, "not_found")
    body = _error(bearer("judge").delete("/api/v1/me"), 405, "method_not_allowed")
    assert body["data"]["allow"] == ["GET"]


def test_web_pages_keep_their_html_error_pages(cast, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_body_over_the_request_limit_is_a_json_413_naming_the_limit(cast, bearer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    big = json.dumps({"facts": "事" * 40_000})
    body = _error(bearer("plaintiff").post("/api/v1/filings", big, content_type="application/json"),
                  413, "request_too_large")
    assert body["data"]["max_bytes"] == 64 * 1024


def test_a_server_error_under_the_api_is_json(cast, bearer, monkeypatch):
    from yunting.interfaces.api import cases

    def boom(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(cases, "case_list_for", boom)
    client = bearer("judge")
    client.raise_request_exception = False
    body = _error(client.get("/api/v1/cases"), 500, "server_error")
    assert "database" not in body["message"]  # no internals leak
