"""Over-long fields are refused by field with the limit named — the same on the web form and the API — and
never cut silently."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.workflows.filing.models import Filing

from .conftest import good_payload
from .test_web import FORM, _new

pytestmark = pytest.mark.django_db

LONG_ADDRESS = "深圳市宝安区" * 60  # 360 characters


def _problems(response) -> dict[str, dict]:
    return {p["field"]: p for p in response.json()["problems"]}


@pytest.mark.parametrize(("over", "field", "limit"), [
    ({"claims": ["判令被告还款" * 200]}, "claims[0]", "1000"),
    ({"facts": "借" * 50_001}, "facts", "50000"),
    ({"parties": [{"role": "plaintiff", "kind": "natural", "name": "张" * 201},
                  {"role": "defendant", "kind": "natural", "name": "李娜"}]}, "parties[0].name", "200"),
    ({"parties": [{"role": "plaintiff", "kind": "natural", "name": "张伟", "address": LONG_ADDRESS},
                  {"role": "defendant", "kind": "natural", "name": "李娜"}]}, "parties[0].address", "300"),
    ({"documents": [{"sha256": "0" * 64, "title": "证" * 301, "kind": "evidence"}]}, "documents[0].title", "300"),
])
def test_the_api_names_the_field_and_its_limit(cast, bearer, over, field, limit):
    response = bearer("plaintiff").post("/api/v1/filings/check", json.dumps(good_payload(**over)),
                                        content_type="application/json")
    problem = _problems(response)[field]
    assert problem["code"] == "too_long" and limit in problem["message"]


def test_the_web_form_shows_the_same_message_and_keeps_what_was_typed(as_user):
    client = as_user("plaintiff")
    filing = _new(client)
    response = client.post(f"/filing/{filing.pk}/submit/", {**FORM, "party-1-address": LONG_ADDRESS})
    assert response.status_code == 302 and response["Location"].endswith("#problems")
    assert "地址最多 300 字" in client.get(response["Location"]).content.decode()
    filing.refresh_from_db()
    assert filing.status == "draft" and filing.payload["parties"][1]["address"] == LONG_ADDRESS  # not cut


def test_the_policy_publishes_the_limits(cast, client):
    limits = client.get("/api/v1/filing/policy").json()["limits"]
    assert limits["address_chars"] == 300 and limits["claim_chars"] == 1000 and limits["batch_bytes"] > 0


def test_an_efile_title_over_300_characters_is_refused_not_cut(cast, make_case, bearer):
    from yunting.kernel.pdf.make import simple_pdf

    case = make_case()
    client = bearer("lawyer")
    response = client.post(f"/api/v1/cases/{case.pk}/documents",
                           {"title": "代理词" * 101, "kind": "evidence",
                            "file": SimpleUploadedFile("a.pdf", simple_pdf(title="代理词"))})
    assert response.status_code == 400 and response.json()["code"] == "efile_title_too_long"
    assert not Filing.objects.exists() and case.documents.count() == 0
