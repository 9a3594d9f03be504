"""The filing policy an institution codes against (`GET /api/v1/filing/policy`), versioned by content hash:
the version changes exactly when something in it does."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings

from yunting.core.cases.choices import PartyKind, Procedure
from yunting.core.cases.models import CaseType, Cause

from . import validation
from .fees import KINDS
from .questionnaires import MAX_ANSWER_CHARS
from .questionnaires import policy as questionnaire_policy
from .validation import DOCUMENT_KINDS, FILING_PARTY_ROLES, MAX_CLAIMS, MAX_PARTIES

POLICY_SCHEMA = "yunting-filing-policy/1"


def filing_policy() -> dict:
    body = {
        "schema": POLICY_SCHEMA,
        "case_types": [{"code": t.code, "name": t.name, "category": t.category,
                        "default_procedure": t.default_procedure} for t in CaseType.objects.order_by("code")],
        "causes": [{"code": c.code, "name": c.name, "category": c.category} for c in Cause.objects.order_by("code")],
        "procedures": [{"code": v, "label": str(label)} for v, label in Procedure.choices],
        "document_kinds": [{"code": k, "label": v} for k, v in DOCUMENT_KINDS.items()],
        "party_kinds": [{"code": v, "label": str(label)} for v, label in PartyKind.choices],
        "party_roles": [str(r) for r in FILING_PARTY_ROLES],
        "fee_kinds": [{"code": k.code, "label": k.label, "basis": k.basis, "amount": k.amount,
                       "halvable": k.halvable} for k in KINDS.values()],
        "questionnaires": questionnaire_policy(),
        "limits": {"claims": MAX_CLAIMS, "parties": MAX_PARTIES, "review_days": 7,
                   "claim_chars": validation.MAX_CLAIM_CHARS, "facts_chars": validation.MAX_FACTS,
                   "name_chars": validation.MAX_NAME_CHARS, "address_chars": validation.MAX_ADDRESS_CHARS,
                   "title_chars": validation.MAX_TITLE_CHARS, "filename_chars": validation.MAX_FILENAME_CHARS,
                   "answer_chars": MAX_ANSWER_CHARS, "batch_bytes": settings.BATCH_MAX_BYTES,
                   "batch_line_bytes": settings.BATCH_MAX_LINE_BYTES,
                   "batch_json_depth": settings.BATCH_MAX_JSON_DEPTH},
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"version": f"1.{digest[:12]}", **body}
