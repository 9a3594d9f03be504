"""The public leaf format: a known answer (docs/LEDGER.md), canonical form only, and tree-head bytes."""

import hashlib

import pytest

from yunting.kernel.ledger.leaves import (
    LeafFormatError,
    commitment,
    leaf_input_for,
    leaf_mentions_document,
    parse_leaf_input,
)
from yunting.kernel.ledger.merkle import leaf_hash


def test_known_answer_from_the_docs():
    doc = hashlib.sha256(b"%PDF-1.7 example").hexdigest()
    c = commitment("00112233445566778899aabbccddeeff", bytes(32) + b'{"v":1}')
    assert c == "8332dff0a833f35d1633b881a5b2905bfc961b176f063c2b175fe5d3ac505379"
    li = leaf_input_for(kind="evidence.submitted", time="2026-11-21T02:15:09.123456Z", commitment_hex=c, documents=[doc])
    assert li == (
        b'{"commitment":"8332dff0a833f35d1633b881a5b2905bfc961b176f063c2b175fe5d3ac505379","documents":'
        b'["7b90830743ea12df73f6631d1437ab6d80f6f972b642bb6dc6bfda3c203fcc0f"],"kind":"evidence.submitted",'
        b'"time":"2026-11-21T02:15:09.123456Z","v":1}'
    )
    assert leaf_hash(li).hex() == "6ef6db632a3ae3945aaecf6b4b63017f737a18321cd7faba6e205398d4f1be0f"
    assert parse_leaf_input(li)["documents"] == [doc] and leaf_mentions_document(li, doc.upper())


@pytest.mark.parametrize("bad", [
    dict(kind="Bad Kind"), dict(time="2026-11-21 02:15:09"), dict(commitment_hex="xyz"),
    dict(documents=["not a hash"]),
])
def test_malformed_leaves_are_refused(bad):
    args = dict(kind="case.registered", time="2026-11-21T02:15:09.123456Z", commitment_hex="a" * 64, documents=[])
    with pytest.raises(LeafFormatError):
        leaf_input_for(**{**args, **bad})


def test_only_the_canonical_form_parses():
    li = leaf_input_for(kind="case.registered", time="2026-11-21T02:15:09.123456Z", commitment_hex="a" * 64)
    assert parse_leaf_input(li)["kind"] == "case.registered"
    for variant in (li.replace(b",", b", "), li + b"\n", b'{"v":2}', b"\xff", li.replace(b'"v":1', b'"v":1,"x":1')):
        with pytest.raises(LeafFormatError):
            parse_leaf_input(variant)
    assert not leaf_mentions_document(b"garbage", "a" * 64)


def test_short_salts_are_refused():
    with pytest.raises(LeafFormatError):
        commitment("00ff", b"x")
