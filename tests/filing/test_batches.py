"""Institution batches: stored first, validated record by record, idempotent on the institution's ids,
resumable after a crash; then 一键立案."""

import json

import pytest

from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import PermissionDenied
from yunting.workflows.filing.acceptance import filing_accept_batch
from yunting.workflows.filing.batches import (
    batch_create,
    batch_process,
    institution_key_authenticate,
    institution_key_create,
    institution_key_revoke,
)
from yunting.workflows.filing.choices import BatchStatus, FilingStatus
from yunting.workflows.filing.models import Filing, FilingBatch

pytestmark = pytest.mark.django_db
BANK_CODE = "914403001922115675"  # a made-up code with a correct GB 32100 check character


def loan(i: int, **over) -> dict:
    record = {
        "external_id": f"LN-2026-{i:05d}",
        "case_type": "民初",
        "cause": "金融借款合同纠纷",
        "procedure": "simple",
        "claim_amount": f"{20000 + i * 37}.50",
        "claims": [f"判令被告偿还借款本金{20000 + i * 37}.50元及利息", "判令被告承担本案诉讼费用"],
        "facts": f"被告于2024年向原告借款，合同编号JK{i:06d}，逾期未还。",
        "parties": [
            {"role": "plaintiff", "kind": "legal", "name": "深圳市宝安农商银行", "credit_code": BANK_CODE},
            {"role": "defendant", "kind": "natural", "name": f"借款人{i}", "address": "深圳市宝安区"},
        ],
    }
    record.update(over)
    return record


BAD = {
    3: {"claim_amount": "abc"},
    17: {"parties": [{"role": "plaintiff", "kind": "legal", "name": "深圳市宝安农商银行"}]},
    42: {"external_id": ""},
    77: {"cause": "不存在"},
    101: {"claims": []},
    150: {"parties": [{"role": "plaintiff", "kind": "legal", "name": "银行"},
                      {"role": "defendant", "kind": "natural", "name": "某", "id_number": "123"}]},
}


def body(n=200, bad=BAD, garbage_line=True) -> bytes:
    lines = [json.dumps(loan(i, **bad.get(i, {})), ensure_ascii=False) for i in range(n)]
    if garbage_line:
        lines[190] = "{not json"
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def key(cast):
    orgs, _ = cast
    assert orgs["bank"].kind == "bank"
    return institution_key_create(institution=orgs["bank"], court=orgs["court"])[0]


def test_key_is_hashed_rotated_and_revoked(cast, users):
    orgs, _ = cast
    key, raw = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    assert raw.startswith("ytk_") and raw not in key.key_hash
    assert institution_key_authenticate(raw) == key
    _, raw2 = institution_key_create(institution=orgs["bank"], court=orgs["court"], actor=users["court_admin"],
                                     rotate=True)
    assert institution_key_authenticate(raw) is None and institution_key_authenticate(raw2) is not None
    institution_key_revoke(prefix_or_id=raw2[:12])
    assert institution_key_authenticate(raw2) is None
    with pytest.raises(PermissionDenied):
        institution_key_create(institution=orgs["bank"], court=orgs["court"], actor=users["filing_officer"])


def test_a_batch_files_the_good_records_and_reports_the_bad(key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=body())
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert (batch.total_lines, batch.filed, batch.invalid, batch.duplicates) == (200, 193, 7, 0)
    by_line = {r["line"]: r for r in batch.report}
    assert sorted(by_line) == [4, 18, 43, 78, 102, 151, 191]
    assert by_line[4]["errors"][0]["field"] == "claim_amount"
    assert by_line[4]["external_id"] == "LN-2026-00003"
    assert by_line[18]["errors"][0]["code"] == "no_defendant"
    assert by_line[43]["errors"][0] == {"field": "external_id", "code": "required",
                                        "message": "请填写本机构的案件编号（external_id）"}
    assert {e["field"] for e in by_line[151]["errors"]} == {"parties[1].id_number"}
    assert by_line[191]["errors"][0]["code"] == "invalid_json"
    assert Filing.objects.filter(batch=batch, status=FilingStatus.SUBMITTED).count() == 193
    assert Filing.objects.get(external_id="LN-2026-00000").fee["fee"]  # the fee is known before review


def test_the_report_is_in_the_courts_language_whatever_the_worker_last_served(key, django_capture_on_commit_callbacks):
    from django.utils import translation

    translation.activate("en")  # what an English API request leaves on a worker thread
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=body(n=50, garbage_line=False))
    batch.refresh_from_db()
    by_line = {r["line"]: r for r in batch.report}
    assert by_line[43]["errors"][0]["message"] == "请填写本机构的案件编号（external_id）"


def test_resending_creates_no_duplicates(key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = batch_create(key=key, body=body())
    again = batch_create(key=key, body=body())
    assert again.pk == first.pk  # the same bytes: the same batch
    changed = body(bad={}, garbage_line=False)  # the institution fixed its 7 records and resent everything
    with django_capture_on_commit_callbacks(execute=True):
        second = batch_create(key=key, body=changed)
    second.refresh_from_db()
    assert (second.filed, second.duplicates, second.invalid) == (7, 193, 0)
    assert Filing.objects.filter(institution=key.institution).count() == 200


def test_a_crashed_batch_resumes_without_duplicates(key, monkeypatch):
    from yunting.workflows.filing import batches

    batch = batch_create(key=key, body=body(n=120, bad={}, garbage_line=False))
    real = batches._finish_chunk  # files one chunk (the next one's documents are already being checked)
    calls = {"n": 0}

    def crash_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(batches, "_finish_chunk", crash_on_third)
    batch = batch_process(batch_id=batch.pk, chunk=25)
    assert batch.status == BatchStatus.FAILED and batch.processed_lines == 50
    monkeypatch.setattr(batches, "_finish_chunk", real)
    FilingBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.PROCESSING)
    batch = batch_process(batch_id=batch.pk, chunk=25)
    assert batch.status == BatchStatus.DONE
    assert (batch.processed_lines, batch.filed, batch.duplicates) == (120, 120, 0)
    assert Filing.objects.filter(institution=key.institution).count() == 120


def test_a_dead_workers_batch_is_resumed_once_its_lease_runs_out(key, monkeypatch):
    """A worker killed mid-batch leaves its lease behind: nobody else touches the batch while the lease lives,
    the periodic job resumes it once it has run out, and every record is filed exactly once."""
    from datetime import timedelta

    from django.utils import timezone

    from yunting.workflows.filing import batches

    monkeypatch.setattr(batches, "_enqueue", lambda batch_id: None)
    batch = batch_create(key=key, body=body(n=60, bad={}, garbage_line=False))
    token = batches._claim(batch.pk)  # the worker that will "die"
    import io

    lookups = batches.Lookups(institution=key.institution)
    records = list(batches._records(batches._lines_of(io.BytesIO(body(n=60, bad={}, garbage_line=False)))[0]))
    batches._process_chunk(FilingBatch.objects.get(pk=batch.pk), records[:25], lookups, token=token)
    # ... killed here: no cleanup, the lease stays
    assert batch_process(batch_id=batch.pk).processed_lines == 25  # a second worker leaves it alone
    enqueued = []
    monkeypatch.setattr(batches, "_enqueue", enqueued.append)
    assert batches.batch_resume_all() == 0
    FilingBatch.objects.filter(pk=batch.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert batches.batch_resume_all() == 1 and enqueued == [batch.pk]
    batch = batch_process(batch_id=batch.pk)
    assert (batch.status, batch.processed_lines, batch.filed, batch.duplicates) == (BatchStatus.DONE, 60, 60, 0)
    assert Filing.objects.filter(batch=batch).count() == 60
    with pytest.raises(batches.LeaseLost):  # the "dead" worker wakes up: it may no longer write
        batches._process_chunk(batch, records[25:30], lookups, token=token)


def test_one_click_acceptance_of_a_batch(key, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=body(n=30, bad={3: {"claims": []}}, garbage_line=False))
    with pytest.raises(PermissionDenied):
        filing_accept_batch(actor=users["judge"], court=key.court, batch=batch)
    with django_capture_on_commit_callbacks(execute=True):
        result = filing_accept_batch(actor=users["filing_officer"], court=key.court, batch=batch, chunk=10)
    assert result == {"accepted": 29, "failed": []}
    assert Case.objects.count() == 29
    numbers = sorted(Case.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 30))
    assert JournalEntry.objects.filter(kind="filing.accepted").count() == 29
    assert Filing.objects.filter(batch=batch, notice_status="done").count() == 29
    again = filing_accept_batch(actor=users["filing_officer"], court=key.court, batch=batch)
    assert again == {"accepted": 0, "failed": []}


def test_bulk_acceptance_isolates_a_filing_that_cannot_make_a_case(key, users, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    """A filing whose stored data core refuses is reported, the rest accepted; and if the bulk write of a chunk
    fails anyway, the chunk is redone one by one and still only the bad filing is left out."""
    from yunting.workflows.filing import acceptance
    from yunting.workflows.filing.models import FilingParty

    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=body(n=12, bad={}, garbage_line=False))
    bad = Filing.objects.get(external_id="LN-2026-00004")
    FilingParty.objects.filter(filing=bad, role="defendant").update(kind="alien")  # refused by core
    result = filing_accept_batch(actor=users["filing_officer"], court=key.court, batch=batch, chunk=5)
    assert result["accepted"] == 11
    assert [(f["filing_id"], f["code"]) for f in result["failed"]] == [(bad.pk, "party_kind")]
    bad.refresh_from_db()
    assert bad.status == FilingStatus.SUBMITTED and bad.case is None

    FilingParty.objects.filter(filing=bad, role="defendant").update(kind="natural")
    with django_capture_on_commit_callbacks(execute=True):
        batch2 = batch_create(key=key, body=body(n=16, bad={}, garbage_line=False) + b"\n")
    real = acceptance.case_open_many

    def fail_on_bulk(*, items, **kwargs):
        if len(items) > 1:
            raise RuntimeError("bulk insert failed")
        return real(items=items, **kwargs)

    monkeypatch.setattr(acceptance, "case_open_many", fail_on_bulk)
    result = filing_accept_batch(actor=users["filing_officer"], court=key.court, chunk=5)
    assert result == {"accepted": 5, "failed": []}  # 4 left of batch 2 (12 were filed before) and the mended one
    assert Filing.objects.filter(status=FilingStatus.SUBMITTED).count() == 0
    assert sorted(Case.objects.values_list("sequence", flat=True)) == list(range(1, 17))
    batch2.refresh_from_db()
    assert (batch2.filed, batch2.duplicates) == (4, 12)


def _zip(records: list[dict], files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("records.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_zip_batch_carries_documents(key, users, django_capture_on_commit_callbacks):
    from yunting.core.efile.models import Document
    from yunting.kernel.pdf.make import simple_pdf

    contract = simple_pdf(title="个人借款合同", body="合同编号JK000001")
    records = [
        loan(1, documents=[{"path": "LN-1/借款合同.pdf", "title": "个人借款合同", "kind": "evidence"}]),
        loan(2, documents=[{"path": "LN-2/不存在.pdf", "title": "借据", "kind": "evidence"}]),
        loan(3, documents=[{"path": "LN-3/程序.pdf", "title": "借据", "kind": "evidence"}]),
    ]
    body = _zip(records, {"LN-1/借款合同.pdf": contract, "LN-3/程序.pdf": b"MZ\x90\x00" + b"\0" * 500})
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=body)
    batch.refresh_from_db()
    assert (batch.total_lines, batch.filed, batch.invalid) == (3, 1, 2)
    reasons = {r["external_id"]: r["errors"] for r in batch.report}
    assert reasons["LN-2026-00002"] == [{"field": "documents[0].path", "code": "not_in_zip",
                                        "message": "ZIP 中没有文件“LN-2/不存在.pdf”"}]
    assert reasons["LN-2026-00003"][0]["code"] == "upload_type" and len(reasons["LN-2026-00003"]) == 1
    filing = Filing.objects.get(external_id="LN-2026-00001")
    assert list(filing.documents.values_list("title", "filename")) == [("个人借款合同", "借款合同.pdf")]
    with django_capture_on_commit_callbacks(execute=False):
        filing_accept_batch(actor=users["filing_officer"], court=key.court, batch=batch)
    assert Document.objects.filter(case=Filing.objects.get(pk=filing.pk).case, kind="evidence").count() == 1


def test_a_broken_zip_is_refused_at_once(key):
    from yunting.kernel.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        batch_create(key=key, body=b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationFailed) as err:
        batch_create(key=key, body=_zip([], {"a.jsonl": b"", "b.jsonl": b""}))
    assert "records.jsonl" in str(err.value.message)
    assert not FilingBatch.objects.exists()
