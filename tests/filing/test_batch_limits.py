"""A batch's bad line fails alone — even one built to crash a JSON parser — and batch bodies may be as large as
the documented limit (YUNTING_BATCH_MAX_MB), with a JSON 413 beyond it."""

import json

import pytest
from django.test import Client

from yunting.workflows.filing.batches import batch_create, batch_process, json_depth_exceeds
from yunting.workflows.filing.choices import BatchStatus

from .test_batches import loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_key(cast):
    from yunting.workflows.filing.batches import institution_key_create

    orgs, _ = cast
    return institution_key_create(institution=orgs["bank"], court=orgs["court"])


def _line(i, **over):
    return json.dumps(loan(i, **over), ensure_ascii=False)


def test_a_line_of_100000_nested_brackets_fails_alone(bank_key, settings):
    settings.BATCH_MAX_LINE_BYTES = 1024 * 1024
    lines = [_line(1), "[" * 100_000, _line(2), '{"a": ' * 40 + "1" + "}" * 40, _line(3)]
    batch = batch_create(key=bank_key[0], body="\n".join(lines).encode())
    batch = batch_process(batch_id=batch.pk)
    assert batch.status == BatchStatus.DONE, batch.error_message
    assert batch.filed == 3 and batch.invalid == 2
    by_line = {r["line"]: r["errors"][0] for r in batch.report}
    assert by_line[2]["code"] == "too_deep" and "32" in by_line[2]["message"]
    assert by_line[4]["code"] == "too_deep"


def test_an_overlong_line_fails_alone(bank_key, settings):
    settings.BATCH_MAX_LINE_BYTES = 4096
    lines = [_line(1), _line(2, facts="借" * 5000), _line(3)]
    batch = batch_process(batch_id=batch_create(key=bank_key[0], body="\n".join(lines).encode()).pk)
    assert batch.status == BatchStatus.DONE and batch.filed == 2
    assert batch.report[0]["line"] == 2 and batch.report[0]["errors"][0]["code"] == "line_too_long"


def test_depth_check_ignores_brackets_inside_strings():
    assert not json_depth_exceeds(json.dumps({"facts": "[" * 500}).encode(), 32)
    assert not json_depth_exceeds(json.dumps({"facts": '\\"' + "{" * 500}).encode(), 32)
    assert json_depth_exceeds(b"[" * 33, 32) and not json_depth_exceeds(b"[" * 32 + b"]" * 32, 32)


def test_batch_bodies_over_the_form_limit_but_within_the_batch_limit_are_taken(bank_key, settings,
                                                                                django_capture_on_commit_callbacks):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024  # ordinary bodies: 8 KB here
    settings.BATCH_MAX_BYTES = 256 * 1024
    body = ("\n".join(_line(i) for i in range(40)) + "\n").encode()
    assert 8 * 1024 < len(body) < 256 * 1024
    bank = Client(headers={"Authorization": f"Bearer {bank_key[1]}"})
    with django_capture_on_commit_callbacks(execute=True):
        response = bank.post("/api/v1/filings/batches", body, content_type="application/x-ndjson")
    assert response.status_code == 202, response.content[:300]
    assert bank.get(f"/api/v1/filings/batches/{response.json()['id']}").json()["filed"] == 40


def test_a_batch_over_its_limit_is_a_json_413_and_nothing_is_stored(bank_key, settings):
    from yunting.workflows.filing.models import FilingBatch

    settings.BATCH_MAX_BYTES = 16 * 1024
    body = ("\n".join(_line(i) for i in range(40)) + "\n").encode()
    bank = Client(headers={"Authorization": f"Bearer {bank_key[1]}"})
    response = bank.post("/api/v1/filings/batches", body, content_type="application/x-ndjson")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert response.json()["data"]["max_bytes"] == 16 * 1024
    assert not FilingBatch.objects.exists()
