"""The transparency-log API in the shape of RFC 6962 §4 (mounted at /api/v1/ledger/; public, no auth).

Binary values travel as base64. Bad ranges, unknown hashes and malformed parameters answer 400 with
{"code", "message", "data"}.
"""

from __future__ import annotations

import base64
import binascii

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from yunting.kernel.ledger import keys
from yunting.kernel.ledger.errors import LedgerError
from yunting.kernel.ledger.selectors import (
    ledger_consistency_proof,
    ledger_entries,
    ledger_leaf,
    ledger_proof_by_document,
    ledger_proof_by_hash,
)
from yunting.kernel.ledger.services import ledger_sth_current

router = Router(tags=["ledger"])


class ErrorOut(Schema):
    code: str
    message: str
    data: dict


class STHOut(Schema):
    tree_size: int
    timestamp: int
    sha256_root_hash: str
    tree_head_signature: str


class ConsistencyOut(Schema):
    consistency: list[str]


class ProofOut(Schema):
    leaf_index: int
    audit_path: list[str]


class DocumentProofOut(Schema):
    leaf_index: int
    leaf_input: str
    audit_path: list[str]
    issued_by: str | None = Field(None, description='Who put the document on record: "court" | "party" | '
                                  '"institution" (from the journal entry, not from anything the submitter sent); '
                                  'null for a leaf that is not a case record.')
    issued_by_label: str | None = Field(None, description="The same, for people.")
    sealed: bool = Field(False, description="The court's electronic seal is on this version (court papers).")
    statement: str | None = Field(None, description="The plain answer a person reads first.")
    entry_kind: str | None = Field(None, description="The journal entry kind that recorded it.")
    entry_kind_label: str | None = Field(None, description="The entry kind's human label.")
    title: str | None = Field(None, description="The document's title (parties' names masked unless public).")
    case_number: str | None = Field(None, description="The case number, masked unless the case is public.")


class VerifyOut(Schema):
    found: bool = Field(description="The document is in the log.")
    sha256: str
    verified: bool = Field(False, description="Its inclusion proof reaches the signed tree head, whose signature "
                                             "is valid.")
    leaf_index: int | None = None
    tree_size: int | None = None
    issued_by: str | None = Field(None, description='"court" | "party" | "institution": who put it on record.')
    issued_by_label: str | None = None
    sealed: bool = Field(False, description="The court's electronic seal is on this version.")
    statement: str | None = Field(None, description="The plain answer a person reads first.")
    entry_kind: str | None = None
    entry_kind_label: str | None = Field(None, description="The entry kind's human label.")
    title: str | None = None
    document_kind: str | None = None
    document_kind_label: str | None = None
    case_number: str | None = Field(None, description="Masked unless the case is public.")
    case_public: bool | None = None
    recorded_at: str | None = Field(None, description="UTC, ISO 8601.")


class EntryOut(Schema):
    leaf_input: str


class EntriesOut(Schema):
    entries: list[EntryOut]


def _q(name: str, description: str, schema: dict) -> dict:
    return {"in": "query", "name": name, "required": True, "description": description, "schema": schema}


SIZE = {"type": "integer", "minimum": 0}


def _params(*params: dict) -> dict:
    """The parameters as they truly are (required, typed), for OpenAPI; the views parse them themselves so that
    a malformed one answers with a ledger_ code."""
    return {"x-parameters": list(params)}


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def _error(exc: LedgerError):
    return Status(400, exc.as_dict())


def _int(value: str | None, name: str) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise LedgerError(f"{name} must be a non-negative integer", data={name: value}) from None


@router.get("get-sth", response={200: STHOut, 400: ErrorOut}, auth=None, summary="Latest signed tree head")
def get_sth(request):
    return ledger_sth_current().as_sth().as_json()


@router.get("get-sth-consistency", response={200: ConsistencyOut, 400: ErrorOut}, auth=None,
            summary="Consistency proof between two tree sizes (RFC 9162 §2.1.4)",
            openapi_extra=_params(_q("first", "Smaller tree size.", SIZE), _q("second", "Larger tree size.", SIZE)))
def get_sth_consistency(request, first: str | None = None, second: str | None = None):
    try:
        path = ledger_consistency_proof(_int(first, "first"), _int(second, "second"))
    except LedgerError as exc:
        return _error(exc)
    return {"consistency": [_b64(p) for p in path]}


@router.get("get-proof-by-hash", response={200: ProofOut, 400: ErrorOut}, auth=None,
            summary="Inclusion proof for a leaf hash (base64) in the tree of tree_size",
            openapi_extra=_params(_q("hash", "Leaf hash, base64 of 32 bytes.", {"type": "string"}),
                                  _q("tree_size", "Tree size of the proof.", SIZE)))
def get_proof_by_hash(request, hash: str | None = None, tree_size: str | None = None):  # noqa: A002
    try:
        try:
            # A "+" sent unencoded in a query string arrives as a space: put it back.
            leaf = base64.b64decode((hash or "").replace(" ", "+"), validate=True)
        except (binascii.Error, ValueError):
            raise LedgerError("hash must be base64", data={"hash": hash}) from None
        proof = ledger_proof_by_hash(leaf, _int(tree_size, "tree_size"))
    except LedgerError as exc:
        return _error(exc)
    return {"leaf_index": proof.leaf_index, "audit_path": [_b64(p) for p in proof.audit_path]}


@router.get("get-proof-by-document", response={200: DocumentProofOut, 400: ErrorOut}, auth=None,
            summary="Inclusion proof of the leaf listing a document's SHA-256 (hex)",
            openapi_extra=_params(_q("sha256", "The document's SHA-256, 64 hex digits.",
                                     {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}),
                                  _q("tree_size", "Tree size of the proof.", SIZE)))
def get_proof_by_document(request, sha256: str | None = None, tree_size: str | None = None):
    try:
        proof = ledger_proof_by_document(sha256 or "", _int(tree_size, "tree_size"))
    except LedgerError as exc:
        return _error(exc)
    return {
        "leaf_index": proof.leaf_index, "leaf_input": _b64(proof.leaf_input or b""),
        "audit_path": [_b64(p) for p in proof.audit_path], **_provenance(sha256 or "", proof.leaf_index),
    }


def _provenance(sha256: str, leaf_index: int) -> dict:
    """Who put the document on record, derived from the journal entry behind the leaf."""
    from yunting.core.efile.provenance import document_provenance
    from yunting.interfaces.web.labels import entry_kind_label

    _, record_id = ledger_leaf(leaf_index)
    found = document_provenance(sha256.lower(), record_id, entry_label=entry_kind_label)
    if found is None:
        return {}
    out = found.as_json()
    return {k: out[k] for k in ("issued_by", "issued_by_label", "sealed", "statement", "entry_kind",
                                "entry_kind_label", "title", "case_number")}


@router.get("verify", response={200: VerifyOut, 400: ErrorOut}, auth=None,
            summary="The verify page's answer for a document: who put it on record, and whether the proof holds",
            openapi_extra=_params(_q("sha256", "The document's SHA-256, 64 hex digits.",
                                     {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"})))
def verify(request, sha256: str | None = None):
    from yunting.interfaces.web.verify.views import HEX64, lookup

    sha = (sha256 or "").strip().lower()
    if not HEX64.match(sha):
        return _error(LedgerError("sha256 must be 64 hexadecimal digits", data={"sha256": sha256}))
    result = lookup(sha)
    if not result.get("found"):
        return {"found": False, "sha256": sha}
    found = result.get("provenance")
    return {
        "found": True, "sha256": sha, "leaf_index": result["leaf_index"], "tree_size": result["sth"].tree_size,
        "verified": bool(result["proof_ok"] and result["signature_ok"] and result["listed"]),
        **(found.as_json() if found is not None else {}),
    }


@router.get("get-entries", response={200: EntriesOut, 400: ErrorOut}, auth=None,
            summary="Leaves start..end inclusive (at most 1000 per call)",
            openapi_extra=_params(_q("start", "First leaf index.", SIZE), _q("end", "Last leaf index (inclusive).", SIZE)))
def get_entries(request, start: str | None = None, end: str | None = None):
    try:
        items = ledger_entries(_int(start, "start"), _int(end, "end"))
    except LedgerError as exc:
        return _error(exc)
    return {"entries": [{"leaf_input": _b64(x)} for x in items]}


@router.get("public-key", auth=None, summary="The log's Ed25519 public key (PEM)",
            openapi_extra={"responses": {200: {"description": "PEM (SubjectPublicKeyInfo).",
                                               "content": {"application/x-pem-file": {"schema": {"type": "string"}}}}}})
def public_key(request):
    return HttpResponse(keys.public_key_pem(), content_type="application/x-pem-file")
