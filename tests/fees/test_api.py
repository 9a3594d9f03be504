"""The fee API: participants read a case's fees (404 for others), fee staff reconcile statements, parties apply
for relief and the judge decides, the judge's unpaid list."""

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.fees.models import Payment, ReliefApplication

pytestmark = pytest.mark.django_db


def test_participants_read_the_case_fees_and_others_get_404(fee_case, bearer):
    case, notice = fee_case
    with time_machine.travel("2026-11-24 10:00 +08:00", tick=False):
        body = bearer("lawyer").get(f"/api/v1/cases/{case.pk}/fees").json()
    assert body["case_id"] == case.pk and body["state"] == "unpaid"
    (item,) = body["items"]
    assert item["amount"] == "2300.00" and item["due_on"] == "2026-11-27" and item["state"] == "unpaid"
    assert item["reference"] == notice.reference and item["outstanding"] == "2300.00"
    response = bearer("defendant").get(f"/api/v1/cases/{case.pk}/fees")
    assert response.status_code == 404 and response.json()["code"] == "case_not_found"


def test_fee_staff_import_a_statement_and_a_judge_is_refused(fee_case, bearer):
    case, notice = fee_case
    csv = f"reference,amount,date\n{notice.reference},2300,2026-11-21\n".encode()
    refused = bearer("judge").post("/api/v1/fees/statements", {"file": SimpleUploadedFile("s.csv", csv)})
    assert refused.status_code == 403 and not Payment.objects.exists()
    response = bearer("filing_officer").post("/api/v1/fees/statements", {"file": SimpleUploadedFile("s.csv", csv)})
    assert response.status_code == 201
    body = response.json()
    assert (body["line_count"], body["matched_count"], body["matched_total"]) == (1, 1, "2300.00")
    assert body["report"][0]["outcome"] == "matched" and body["report"][0]["case_id"] == case.pk


def test_relief_through_the_api(fee_case, bearer):
    case, notice = fee_case
    post = lambda who, url, data: bearer(who).post(url, json.dumps(data), content_type="application/json")  # noqa: E731
    bad = post("lawyer", f"/api/v1/fees/notices/{notice.pk}/relief", {"kind": "waive", "reason": ""})
    assert bad.status_code == 400 and bad.json()["code"] == "fee_relief_reason"
    assert post("defendant", f"/api/v1/fees/notices/{notice.pk}/relief",
                {"kind": "waive", "reason": "享受最低生活保障"}).status_code == 404
    ok = post("lawyer", f"/api/v1/fees/notices/{notice.pk}/relief", {"kind": "waive", "reason": "享受最低生活保障"})
    assert ok.status_code == 201
    rid = ok.json()["id"]
    assert post("clerk", f"/api/v1/fees/relief/{rid}/decision", {"approved": True}).status_code == 403
    decided = post("judge", f"/api/v1/fees/relief/{rid}/decision", {"approved": True, "reason": "符合条件"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert ReliefApplication.objects.get().status == "approved"
    assert bearer("lawyer").get(f"/api/v1/cases/{case.pk}/fees").json()["state"] == "waived"


def test_the_unpaid_list_is_the_judges(fee_case, bearer):
    case, _notice = fee_case
    with time_machine.travel("2026-11-30 10:00 +08:00", tick=False):
        items = bearer("judge").get("/api/v1/fees/unpaid").json()["items"]
        assert [(i["case_id"], i["days_overdue"]) for i in items] == [(case.pk, 3)]
        assert bearer("lawyer").get("/api/v1/fees/unpaid").status_code == 404
