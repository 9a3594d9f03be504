"""`yunting demo` gives the filing workflow something to show: the people's filings in every state, a lawyer's
filing for a client, an accepted one, and a bank batch with its report; run twice, it adds nothing."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from yunting.core.cases.models import Case
from yunting.interfaces.cli.demo import DEMO_CASES
from yunting.workflows.filing.choices import BatchStatus, FilingStatus
from yunting.workflows.filing.demo import BATCH_RECORDS, filing_demo
from yunting.workflows.filing.models import Filing, FilingBatch, FilingDocument, InstitutionApiKey
from yunting.workflows.filing.selectors import filings_of, review_queue

pytestmark = pytest.mark.django_db


def _snapshot():
    return (Filing.objects.count(), FilingBatch.objects.count(), FilingDocument.objects.count(),
            InstitutionApiKey.objects.count(), Case.objects.count(),
            sorted(Filing.objects.values_list("status", flat=True)))


def test_demo_loads_filings_once_and_the_officer_and_plaintiff_see_them(client, users):
    out = io.StringIO()
    call_command("demo", "--password", "demo-pass-123", stdout=out)
    assert "filings: 24 online filings (24 new), 20 awaiting review; bank batch 18 filed, 2 refused" in out.getvalue()
    assert Case.objects.count() == DEMO_CASES  # the accepted filing's case is one of the demo's cases
    first = _snapshot()
    call_command("demo", "--password", "demo-pass-123", stdout=(again := io.StringIO()))
    # 25 on the second run: the shared-court demo (after the filing demo) adds one filing made at a service point
    assert "filings: 25 online filings (0 new)" in again.getvalue()
    assert _snapshot() == first  # the second run adds nothing

    plaintiff, lawyer, officer = users["plaintiff"], users["lawyer"], users["filing_officer"]
    mine = Counter(filings_of(plaintiff).values_list("status", flat=True))
    assert mine == {FilingStatus.DRAFT: 1, FilingStatus.SUBMITTED: 2, FilingStatus.SUPPLEMENT_REQUESTED: 1,
                    FilingStatus.REJECTED: 1, FilingStatus.ACCEPTED: 1}  # the lawyer's filing is theirs too
    submitted = Filing.objects.get(filer=plaintiff, status=FilingStatus.SUBMITTED)
    assert submitted.questionnaire["principal"] == "50000" and "借款本金" in submitted.facts
    assert submitted.documents.filter(kind="evidence", generated=False, page_count=1).exists()
    assert Filing.objects.get(status=FilingStatus.REJECTED).decision_reason
    assert "借条" in Filing.objects.get(status=FilingStatus.SUPPLEMENT_REQUESTED).supplement_request
    # the mediation demo's converted dispute is a second accepted filing (issue 14): not this demo's own
    accepted = Filing.objects.exclude(payload__has_key="from_mediation").get(status=FilingStatus.ACCEPTED)
    assert accepted.case is not None and accepted.case.documents.exists()

    for_client = Filing.objects.get(filer=lawyer)
    assert for_client.on_behalf_of == plaintiff and for_client.status == FilingStatus.SUBMITTED
    assert for_client.documents.filter(kind="power_of_attorney").exists()

    queue = list(review_queue(officer))
    # 20 of this demo's own and the filing the shared-court demo submits at a service point for a villager
    assert len(queue) == 21 and {f.pk for f in queue} >= {submitted.pk, for_client.pk}
    assert sum(1 for f in queue if f.institution_id) == BATCH_RECORDS - 2

    batch = FilingBatch.objects.get()
    assert (batch.status, batch.total_lines, batch.filed, batch.invalid, batch.duplicates) == (
        BatchStatus.DONE, BATCH_RECORDS, BATCH_RECORDS - 2, 2, 0)
    fields = {r["external_id"]: {e["field"] for e in r["errors"]} for r in batch.report}
    assert fields == {"BRCB-2026-0007": {"claim_amount"}, "BRCB-2026-0014": {"claims", "parties[1].id_number"}}

    client.force_login(officer)
    page = client.get("/filing/review/").content.decode()
    assert "深圳市宝安农商银行" in page
    for f in queue:
        assert f"/filing/{f.pk}/" in page
    client.force_login(plaintiff)
    page = client.get("/filing/").content.decode()
    for f in filings_of(plaintiff):
        assert f"/filing/{f.pk}/" in page


def test_filing_demo_survives_tasks_run_on_commit(cast, django_capture_on_commit_callbacks):
    """As under `make run` (a worker) or YUNTING_TASKS_IMMEDIATE: the notice and the batch task run on commit."""
    orgs, users = cast
    with django_capture_on_commit_callbacks(execute=True):
        counts = filing_demo(orgs=orgs, users=users)
    assert counts == {"created": 24, "filings": 24, "awaiting_review": 20, "batch_filed": 18, "batch_invalid": 2}
    assert Filing.objects.get(status=FilingStatus.ACCEPTED).notice_status == "done"
    with django_capture_on_commit_callbacks(execute=True):
        assert filing_demo(orgs=orgs, users=users)["created"] == 0
    assert Filing.objects.count() == 24 and FilingBatch.objects.count() == 1
