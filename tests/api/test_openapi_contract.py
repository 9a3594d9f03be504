"""The OpenAPI document is true: it is valid (openapi-spec-validator, no duplicated keys — /api/v1/docs renders)
and schemathesis, driving every operation through the app with a fixed seed and few examples, finds the
answers match it: documented statuses, content types and shapes, no server error.

Bounded: 4 examples per operation, a fixed seed (derandomize), each example capped at 30 s (deadline); about a
minute for the whole API on the dev box."""

import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    duplicated = {k for k in keys if keys.count(k) > 1}
    assert not duplicated, f"duplicated mapping keys {duplicated}"
    return dict(pairs)


def test_the_openapi_document_is_valid_and_has_no_duplicated_keys(client):
    raw = client.get("/api/v1/openapi.json").content.decode()
    spec = json.loads(raw, object_pairs_hook=_no_duplicate_keys)
    validate(spec)
    content = spec["paths"]["/api/v1/documents/{id}/content"]["get"]["responses"]
    assert list(content) == ["200", "304", "401", "404"] or set(content) >= {"200", "404"}


def test_the_docs_page_renders(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and b"openapi.json" in response.content


def _schema():
    import schemathesis
    from django.conf import settings as dj

    from config.wsgi import application

    assert dj.configured
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()


@pytest.fixture
def token(cast, users, make_case, add_document, settings):
    """A judge's token, with a case and a document to find. Django closes the database connection when a WSGI
    request finishes; the test's transaction lives on that connection, so (as Django's test client does) that
    signal is held back while schemathesis calls the app."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from yunting.interfaces.api.models import ApiToken

    settings.AXES_FAILURE_LIMIT = 100_000  # schemathesis tries wrong credentials on purpose, from one address
    case = make_case()
    add_document(case)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield ApiToken.issue(user=users["judge"], name="schemathesis")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Operations where a request can match the schema and still be refused 400, because acceptance depends on what no
# schema can state: file content checks (uploads), reference data and cross-field rules (a filing's court, cause
# and parties; a fee kind that needs an amount), or the log's current size and contents (RFC 6962 answers 400
# for a range past the end or an unknown hash). For these only `positive_data_acceptance` is left out; every
# other check (status codes, content types, response shapes, no server error, negative data refused) runs.
CONTENT_DEPENDENT = {
    "POST /api/v1/cases/{id}/documents", "POST /api/v1/filings/uploads", "POST /api/v1/filings",
    "GET /api/v1/fees/estimate", "GET /api/v1/ledger/get-sth-consistency", "GET /api/v1/ledger/get-proof-by-hash",
    "GET /api/v1/ledger/get-proof-by-document", "GET /api/v1/ledger/get-entries",
    "GET /api/v1/deadlines/compute",  # an excluded interval must not end before it starts
    # the documents and parties must be the case's; the outcome must fit the channel and the task's state
    "POST /api/v1/cases/{id}/service", "POST /api/v1/service/tasks/{id}/attempts",
    # a dispute is a filing's body (court, cause, parties) plus its type; the estimate needs a court and a cause
    "POST /api/v1/mediation/disputes", "GET /api/v1/mediation/estimate",
    "POST /api/v1/scans",  # the scanned pages go through the intake's content checks
    # the person must be a member of the space (not the court side); minutes 1–43,200 and a reason of 1–200
    "POST /api/v1/spaces/{id}/mute", "POST /api/v1/spaces/{id}/unmute",
    "GET /api/v1/sharedcourt/stats",  # a day must be a real date (2026-02-30 matches the pattern)
    # every field is checked by the evaluator itself (choices, flags, counts), answering 422 with the field
    "POST /api/v1/witness-eligibility",
}


@schema.parametrize()
@settings(max_examples=4, derandomize=True, deadline=timedelta(seconds=30), database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, token):
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    label = f"{case.method.upper()} {case.operation.path}"
    excluded = [positive_data_acceptance] if label in CONTENT_DEPENDENT else []
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)


