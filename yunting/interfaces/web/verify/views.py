"""The public "verify a document" page: no login. Drop a PDF (hashed in the browser when it can, so the file
never leaves the visitor's machine; otherwise hashed here and discarded) or paste a SHA-256."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import UTC, datetime

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yunting.core.efile.provenance import document_provenance
from yunting.core.journal.ledger_glue import document_record
from yunting.interfaces.web.labels import entry_kind_label
from yunting.kernel.ledger import keys, merkle
from yunting.kernel.ledger.bundle import make_bundle
from yunting.kernel.ledger.errors import LedgerError
from yunting.kernel.ledger.selectors import ledger_leaf, ledger_proof_by_document, ledger_size
from yunting.kernel.ledger.services import ledger_sth_current, ledger_sth_issue
from yunting.kernel.ledger.sth import verify_tree_head

HEX64 = re.compile(r"^[0-9a-f]{64}$")
def _hash_upload(f) -> str:
    digest = hashlib.sha256()
    for chunk in f.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def lookup(sha256: str) -> dict:
    """Everything the page shows for one document hash; `found` False when the log does not list it."""
    sth_row = ledger_sth_current()
    try:
        proof = ledger_proof_by_document(sha256, sth_row.tree_size)
    except LedgerError:
        # Recorded since the newest tree head? Then sign a fresh head rather than say "not found".
        try:
            ledger_proof_by_document(sha256, ledger_size())
        except LedgerError:
            from yunting.kernel.ledger import sequencer

            queued = sequencer.queued_document(sha256)
            if queued is not None:  # committed, its leaf still queued for the sequencer: say so, never an error
                return {"found": False, "queued": True, "eta_s": sequencer.eta_s(queued), "sha256": sha256}
            return {"found": False, "sha256": sha256}
        sth_row = ledger_sth_issue()
        proof = ledger_proof_by_document(sha256, sth_row.tree_size)
    sth = sth_row.as_sth()
    leaf = merkle.leaf_hash(proof.leaf_input)
    root = merkle.root_from_inclusion_proof(leaf, proof.leaf_index, sth.tree_size, proof.audit_path)
    pem = keys.public_key_pem()
    _, record_id = ledger_leaf(proof.leaf_index)
    return {
        "found": True,
        "sha256": sha256,
        "sth": sth,
        "sth_json": sth.as_json(),
        "sth_time": datetime.fromtimestamp(sth.timestamp / 1000, tz=UTC),
        "root_hex": sth.root_hash.hex(),
        "signature_ok": verify_tree_head(sth, pem),
        "leaf_index": proof.leaf_index,
        "leaf_input": proof.leaf_input.decode(),
        "leaf_hash": leaf.hex(),
        "listed": sha256 in json.loads(proof.leaf_input)["documents"],
        "audit_path": [p.hex() for p in proof.audit_path],
        "steps": merkle.inclusion_steps(leaf, proof.leaf_index, sth.tree_size, proof.audit_path),
        "computed_root": root.hex(),
        "proof_ok": root == sth.root_hash,
        "record": document_record(proof.leaf_index, record_id),
        "provenance": document_provenance(sha256, record_id, entry_label=entry_kind_label),
        "public_key": pem,
        "browser_data": {
            "sha256": sha256,
            "leaf_index": proof.leaf_index,
            "tree_size": sth.tree_size,
            "leaf_input_b64": base64.b64encode(proof.leaf_input).decode(),
            "audit_path_b64": [base64.b64encode(p).decode() for p in proof.audit_path],
            "sth": sth.as_json(),
            "public_key": pem,
        },
    }


@require_http_methods(["GET", "POST"])
def verify_page(request):
    sha256 = ""
    error = ""
    signatures_html = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        pasted = (request.POST.get("sha256") or "").strip().lower()
        if upload is not None:
            sha256 = _hash_upload(upload)
            error = _parse_problem(upload)
            signatures_html = "" if error else _signatures(upload)
        elif pasted:
            sha256 = pasted
        else:
            error = _("Choose a file, or paste its SHA-256 hash.")
    else:
        sha256 = (request.GET.get("sha256") or "").strip().lower()
    if sha256 and not HEX64.match(sha256):
        error = _("A SHA-256 hash is 64 hexadecimal characters (0–9, a–f).")
        sha256 = ""
    result = lookup(sha256) if sha256 else None
    return render(request, "verify/page.html",
                   {"result": result, "error": error, "sha256": sha256, "signatures_html": signatures_html},
                   status=400 if error else 200)


def _parse_problem(upload) -> str:
    """The intake's work bounds, checked in the sandbox before pyHanko reads the visitor's PDF in this request
    (a decompression bomb is answered with the limit it passed, never parsed here)."""
    from yunting.core.efile.intake import pdf_read_problem
    from yunting.interfaces.web.papers.views import MAX_VERIFY_BYTES

    if upload.size > MAX_VERIFY_BYTES:
        return ""
    upload.seek(0)
    return pdf_read_problem(upload.read())


def _signatures(upload) -> str:
    """The signature report (signer, time, integrity, chain to the court root) of an uploaded signed PDF."""
    from yunting.interfaces.web.papers.embed import signature_report_html
    from yunting.interfaces.web.papers.views import MAX_VERIFY_BYTES

    if upload.size > MAX_VERIFY_BYTES:
        return ""
    upload.seek(0)
    return signature_report_html(upload.read(), name=upload.name or "")


def verify_proof_bundle(request, sha256: str):
    """The offline proof file for `yunting verify FILE --proof …`."""
    sha256 = sha256.lower()
    if not HEX64.match(sha256):
        return JsonResponse({"code": "ledger_param", "message": "sha256 must be 64 hexadecimal digits", "data": {}},
                            status=400)
    result = lookup(sha256)
    if result.get("queued"):
        return JsonResponse({"code": "ledger_queued", "message": f"已登记，正在写入账本（约 {result['eta_s']} 秒）",
                             "data": {"sha256": sha256, "retry_after_s": result["eta_s"]}},
                            status=202, headers={"Retry-After": str(result["eta_s"])})
    if not result["found"]:
        return JsonResponse({"code": "ledger_unknown_document", "message": "this document is not in the log",
                             "data": {"sha256": sha256}}, status=404)
    bundle = make_bundle(
        sha256_hex=sha256, leaf_index=result["leaf_index"], leaf_input=result["leaf_input"].encode(),
        audit_path=[bytes.fromhex(p) for p in result["audit_path"]], sth=result["sth"],
        public_key_pem=result["public_key"],
    )
    if result["provenance"] is not None:  # who put it on record: read by `yunting verify` and checked against the leaf
        bundle["record"] = result["provenance"].as_json()
    response = JsonResponse(bundle, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="yunting-proof-{sha256[:16]}.json"'
    return response
