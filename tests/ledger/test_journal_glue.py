"""Every journal entry becomes one leaf, in the same transaction, committing to the entry without revealing it."""

import base64
import hashlib
import json

import pytest
from django.db import transaction

from yunting.core.journal import ledger_glue
from yunting.core.journal.models import JournalEntry
from yunting.kernel import ledger
from yunting.kernel.ledger import merkle
from yunting.kernel.ledger.leaves import commitment, parse_leaf_input

from .helpers import add_document

pytestmark = pytest.mark.django_db


def test_each_entry_appends_one_leaf_with_its_documents(make_case, users):
    case = make_case()
    assert ledger.ledger_size() == 1  # case.registered
    entry, pdf = add_document(case, users["lawyer"])
    assert ledger.ledger_size() == 2
    index, leaf_input = ledger.ledger_leaf_for_record(entry.pk)
    leaf = parse_leaf_input(leaf_input)
    sha = hashlib.sha256(pdf).hexdigest()
    assert leaf["documents"] == [sha] and leaf["kind"] == "evidence.submitted"
    assert leaf["time"].endswith("Z")
    # The commitment is the salted hash of the chain preimage: an auditor with the row recomputes it.
    stored = JournalEntry.objects.get(pk=entry.pk)
    assert leaf["commitment"] == commitment(stored.salt, ledger_glue.entry_preimage(stored, case.number))
    # The document's bytes alone find the leaf and its proof.
    proof = ledger.ledger_proof_by_document(sha, 2)
    assert proof.leaf_index == index and proof.leaf_input == leaf_input
    assert merkle.verify_inclusion(merkle.leaf_hash(leaf_input), index, 2, proof.audit_path, ledger.ledger_root(2))


def test_leaf_carries_no_personal_data_or_case_content(make_case, users):
    case = make_case(defendant_name="李娜")
    entry, _ = add_document(case, users["lawyer"], title="张三的身份证", body="身份证号 110101199003077777")
    for i in range(ledger.ledger_size()):
        text = ledger.ledger_leaf(i)[0].decode()
        for secret in (case.number, "李娜", "张三", users["plaintiff"].id_number, "110101199003077777", "借",
                       case.title, entry.entry_hash, entry.salt):
            assert secret not in text
    # and no unsalted hash of the ID number either
    assert hashlib.sha256(users["plaintiff"].id_number.encode()).hexdigest() not in text


def test_a_failed_entry_leaves_no_leaf(make_case, users):
    case = make_case()
    size = ledger.ledger_size()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 — the efile recorder refuses a missing blob
        from yunting.core.journal.services import DocumentInput, journal_append

        journal_append(case=case, kind="evidence.submitted", actor=users["lawyer"],
                       documents=[DocumentInput(sha256="ab" * 32, title="x", kind="evidence")])
    assert ledger.ledger_size() == size


def test_masking_of_case_numbers():
    assert ledger_glue.mask_case_number("（2026）粤0306民初123号") == "（2026）粤0306民初***号"
    assert ledger_glue.mask_case_number("odd") == "***"


def test_document_record_masks_non_public_cases(make_case, users):
    secret = make_case(security_level="internal")
    public = make_case(security_level="public")
    e1, _ = add_document(secret, users["lawyer"], body="a")
    e2, _ = add_document(public, users["lawyer"], body="b")
    r1 = ledger_glue.document_record(*ledger.ledger_leaf_for_record(e1.pk)[:1], e1.pk)
    r2 = ledger_glue.document_record(*ledger.ledger_leaf_for_record(e2.pk)[:1], e2.pk)
    assert r1.case_number.endswith("***号") and not r1.case_public
    assert r2.case_number == public.number and r2.entry_kind == "evidence.submitted"


def test_api_round_trip_for_a_document(make_case, users, client):
    case = make_case()
    _, pdf = add_document(case, users["lawyer"])
    sth = client.get("/api/v1/ledger/get-sth").json()
    sha = hashlib.sha256(pdf).hexdigest()
    got = client.get(f"/api/v1/ledger/get-proof-by-document?sha256={sha}&tree_size={sth['tree_size']}").json()
    leaf_input = base64.b64decode(got["leaf_input"])
    assert sha in json.loads(leaf_input)["documents"]
    path = [base64.b64decode(p) for p in got["audit_path"]]
    assert merkle.verify_inclusion(
        merkle.leaf_hash(leaf_input), got["leaf_index"], sth["tree_size"], path,
        base64.b64decode(sth["sha256_root_hash"]),
    )
