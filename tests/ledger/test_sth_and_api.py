"""Signed tree heads and the RFC 6962-shaped HTTP API."""

import base64
import os
import stat
import struct

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from yunting.kernel import ledger
from yunting.kernel.ledger import keys, merkle
from yunting.kernel.ledger.models import TreeHead
from yunting.kernel.ledger.sth import SignedTreeHead

pytestmark = pytest.mark.django_db
API = "/api/v1/ledger/"


def test_ensure_signing_key_creates_a_private_0600_file_once(tmp_path):
    path = tmp_path / "k" / "ledger.pem"
    assert keys.ensure_signing_key(path) == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    first = path.read_bytes()
    keys.ensure_signing_key(path)
    assert path.read_bytes() == first and b"PRIVATE KEY" in first


def test_tree_head_signature_covers_exactly_the_rfc_6962_bytes(append_leaves):
    append_leaves(5)
    th = ledger.ledger_sth_issue()
    expected = struct.pack(">BBQQ", 0, 1, th.timestamp, 5) + ledger.ledger_root(5)
    assert th.as_sth().signed_bytes() == expected and len(expected) == 50
    load_pem_public_key(keys.public_key_pem().encode()).verify(bytes(th.signature), expected)
    forged = SignedTreeHead(6, th.timestamp, bytes(th.root_hash), bytes(th.signature))
    assert not forged.verify(keys.public_key_pem())


def test_tree_heads_are_reissued_only_when_stale_and_grown(append_leaves, settings):
    settings.LEDGER_STH_MAX_AGE_S = 3600
    a = ledger.ledger_sth_current()
    append_leaves(2)
    assert ledger.ledger_sth_current().id == a.id  # fresh: no new head yet
    b = ledger.ledger_sth_current(max_age_s=0)
    assert b.id != a.id and b.tree_size == 2 and b.timestamp >= a.timestamp
    assert ledger.ledger_sth_current(max_age_s=0).id == b.id  # stale but not grown
    assert TreeHead.objects.count() == 2


def test_get_sth_and_public_key(client, append_leaves):
    append_leaves(3)
    sth = client.get(API + "get-sth").json()
    assert set(sth) == {"tree_size", "timestamp", "sha256_root_hash", "tree_head_signature"}
    assert sth["tree_size"] == 3
    pem = client.get(API + "public-key").content.decode()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert SignedTreeHead.from_json(sth).verify(pem)


def test_consistency_proof_endpoint(client, append_leaves):
    append_leaves(10)
    r = client.get(API + "get-sth-consistency?first=3&second=10")
    assert r.status_code == 200
    path = [base64.b64decode(x) for x in r.json()["consistency"]]
    assert merkle.verify_consistency(3, 10, ledger.ledger_root(3), ledger.ledger_root(10), path)


def test_proof_by_hash_and_entries(client, append_leaves):
    inputs = append_leaves(12)
    leaf = merkle.leaf_hash(inputs[7])
    r = client.get(API + "get-proof-by-hash", {"hash": base64.b64encode(leaf).decode(), "tree_size": 12})
    assert r.status_code == 200 and r.json()["leaf_index"] == 7
    path = [base64.b64decode(x) for x in r.json()["audit_path"]]
    assert merkle.verify_inclusion(leaf, 7, 12, path, ledger.ledger_root(12))
    entries = client.get(API + "get-entries?start=0&end=11").json()["entries"]
    got = [base64.b64decode(e["leaf_input"]) for e in entries]
    assert got == inputs and merkle.mth([merkle.leaf_hash(x) for x in got]) == ledger.ledger_root(12)


@pytest.mark.parametrize("url", [
    "get-sth-consistency?first=5&second=3",
    "get-sth-consistency?first=1&second=99",
    "get-sth-consistency?first=x&second=3",
    "get-sth-consistency",
    "get-proof-by-hash?hash=AAAA&tree_size=4",
    "get-proof-by-hash?hash=%%%&tree_size=4",
    "get-proof-by-hash?hash=" + base64.b64encode(b"\x01" * 32).decode() + "&tree_size=4",
    "get-proof-by-document?sha256=" + "a" * 64 + "&tree_size=4",
    "get-proof-by-document?sha256=nothex&tree_size=4",
    "get-proof-by-document?sha256=" + "a" * 64 + "&tree_size=40",
    "get-entries?start=3&end=1",
    "get-entries?start=4&end=9",
    "get-entries?start=-1&end=2",
])
def test_bad_requests_are_400_with_a_message(client, append_leaves, url):
    append_leaves(4)
    r = client.get(API + url)
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"].startswith("ledger_") and body["message"]


def test_proof_by_hash_accepts_an_unencoded_plus(client, append_leaves):
    inputs = append_leaves(40)
    for i, li in enumerate(inputs):
        b64 = base64.b64encode(merkle.leaf_hash(li)).decode()
        if "+" in b64:
            r = client.get(API + f"get-proof-by-hash?hash={b64}&tree_size=40")
            assert r.status_code == 200 and r.json()["leaf_index"] == i
            return
    pytest.skip("no leaf hash with a + in its base64")
