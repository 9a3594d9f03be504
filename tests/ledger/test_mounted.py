"""The project's own URLconf serves the ledger API at /api/v1/ledger/, public, with 400s for bad input."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_is_mounted_and_public(client, append_leaves):
    append_leaves(2)
    r = client.get("/api/v1/ledger/get-sth")
    assert r.status_code == 200 and r.json()["tree_size"] == 2
    r = client.get("/api/v1/ledger/get-entries?start=5&end=1")
    assert r.status_code == 400 and r.json()["code"] == "ledger_range"
    assert client.get("/api/v1/ledger/public-key")["Content-Type"] == "application/x-pem-file"
