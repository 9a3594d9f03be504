"""Issue 9 §2–§3: refused content leaves nothing behind, nothing referenced is ever swept, quotas hold, a filing
waits for its checks, and ZIP batches are read within their limits."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from tests.filing.test_batches import loan
from tests.intake import hostile
from yunting.core.efile.intake import upload_check, upload_receive
from yunting.core.efile.models import Upload, UploadStatus
from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.references import blob_references, blob_sweep
from yunting.kernel.blobs.store import blob_key, blob_put_bytes, storage
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.make import simple_pdf

pytestmark = pytest.mark.django_db

# Columns that hold a SHA-256 without naming a stored blob of their own, and why.
NOT_BLOB_REFERENCES = {
    "efile.Upload.sha256": "the upload's first part, held by UploadPart.blob",
    "threads.Item.sha256": "a digest of the item's text for its journal entry, not stored bytes",
    "asynctrial.Pledge.text_sha256": "a digest of the pledge text signed, not stored bytes",
}


def test_every_column_naming_a_blob_is_registered():
    """A new table that names stored bytes (a foreign key to Blob, or a *sha256 column) fails here until it is
    registered, so the sweep can never delete what it references."""
    registered = {(r.model.lower(), r.field) for r in blob_references()}
    missing = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False):
                continue
            names_blob = isinstance(field, models.ForeignKey) and field.related_model is Blob
            names_blob |= "sha256" in field.name and not field.primary_key and model is not Blob
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if names_blob and (model._meta.label_lower, field.name) not in registered \
                    and name not in NOT_BLOB_REFERENCES:
                missing.append(name)
    assert missing == []
    assert {"efile.document", "filing.filingdocument", "filing.filingbatch", "papers.paper",
            "papers.papersignature", "efile.upload", "efile.uploadpart", "ledger.documentindex",
            "journal.journalentry"} <= {m for m, _f in registered}


def _age(*hashes, days=2):
    Blob.objects.filter(sha256__in=hashes).update(created_at=timezone.now() - timedelta(days=days))


def test_the_sweep_deletes_only_old_unreferenced_bytes(make_case, add_document, users):
    orphan = blob_put_bytes(simple_pdf(title="没人要的"))
    recent = blob_put_bytes(simple_pdf(title="刚上传的"))
    filed = add_document(make_case())
    upload = upload_receive(streams=[io.BytesIO(simple_pdf(title="借条"))], purpose="filing", user=users["plaintiff"])
    strokes = blob_put_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, allowed={"image/png", "application/octet-stream"})
    from yunting.core.journal.services import journal_append

    journal_append(case=filed.case, kind="papers.handsigned", actor=users["plaintiff"],
                   payload={"strokes_sha256": strokes.sha256})
    _age(orphan.sha256, filed.blob_id, upload.sha256, strokes.sha256)
    assert blob_sweep() == 1
    assert not Blob.objects.filter(pk=orphan.sha256).exists() and not storage().exists(blob_key(orphan.sha256))
    for kept in (recent.sha256, filed.blob_id, upload.sha256, strokes.sha256):
        assert Blob.objects.filter(pk=kept).exists() and storage().exists(blob_key(kept))


def test_a_refused_upload_keeps_no_bytes_unless_shared(users, make_case, add_document):
    bad = hostile.encrypted_pdf()
    upload = upload_receive(streams=[io.BytesIO(bad)], purpose="filing", user=users["plaintiff"])
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED and upload.problems[0]["code"] in ("pdf_encrypted",
                                                                                    "pdf_password_protected")
    assert not Blob.objects.filter(pk=hashlib.sha256(bad).hexdigest()).exists()
    # the same bytes already in a case's file are another's: refusing this upload never deletes them
    doc = add_document(make_case(), data=bad)
    again = upload_receive(streams=[io.BytesIO(bad)], purpose="filing", user=users["defendant"])
    again.refresh_from_db()
    assert again.status == UploadStatus.REFUSED and Blob.objects.filter(pk=doc.blob_id).exists()


def test_quota_is_clear_and_stores_nothing(users, settings):
    settings.YUNTING_QUOTA_USER_MB = 1
    first = simple_pdf(title="一", body="字" * 200)
    assert upload_receive(streams=[io.BytesIO(first)], purpose="filing", user=users["plaintiff"]).size == len(first)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - len(first))  # one byte more than what is left
    with pytest.raises(ValidationFailed) as err:
        upload_receive(streams=[io.BytesIO(big)], purpose="filing", user=users["plaintiff"])
    assert err.value.code == "upload_quota" and "1.0 MB" in err.value.message, err.value.message
    assert not Blob.objects.filter(pk=hashlib.sha256(big).hexdigest()).exists()
    assert not Upload.objects.filter(sha256=hashlib.sha256(big).hexdigest()).exists()
    # another person's quota is their own
    assert upload_receive(streams=[io.BytesIO(big)], purpose="filing", user=users["defendant"]).size == len(big)


def test_a_filing_waits_for_its_checks(users, payload, monkeypatch):
    from yunting.core.efile import intake
    from yunting.workflows.filing.errors import FilingInvalid
    from yunting.workflows.filing.services import filing_add_document, filing_save_draft, filing_submit

    monkeypatch.setattr(intake, "_enqueue_check", lambda upload_id: None)  # the worker has not got to it yet
    filing = filing_save_draft(filer=users["plaintiff"], data=payload())
    upload = filing_add_document(filing=filing, actor=users["plaintiff"], stream=io.BytesIO(simple_pdf(title="借条")),
                                 title="借条", kind="evidence")
    with pytest.raises(FilingInvalid) as err:
        filing_submit(filing=filing, actor=users["plaintiff"])
    assert [p["code"] for p in err.value.data["problems"]] == ["upload_checking"]
    assert "借条" in err.value.data["problems"][0]["message"]
    assert upload_check(upload_id=upload.pk).status == UploadStatus.ACCEPTED
    assert filing_submit(filing=filing, actor=users["plaintiff"]).status == "submitted"
    assert filing.documents.filter(upload=upload, title="借条").exists()


def test_the_page_shows_checking_then_the_result(as_user, monkeypatch):
    from tests.filing.test_web import FORM
    from yunting.core.efile import intake
    from yunting.workflows.filing.models import Filing

    monkeypatch.setattr(intake, "_enqueue_check", lambda upload_id: None)
    client = as_user("plaintiff")
    client.post("/filing/new/")
    filing = Filing.objects.latest("id")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/filing/{filing.pk}/documents/", {**FORM, "title": "借条", "kind": "evidence",
                                                    "file": SimpleUploadedFile("a.pdf", hostile.encrypted_pdf())})
    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert "检查中" in html and f'hx-get="/filing/{filing.pk}/uploads/"' in html
    upload_check(upload_id=Upload.objects.get(subject=f"filing:{filing.pk}").pk)
    res = client.get(f"/filing/{filing.pk}/uploads/", HTTP_HX_REQUEST="true")
    assert res["HX-Refresh"] == "true"
    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert "检查中" not in html and "“借条”未上传" in html and 'data-code="pdf_password_protected"' in html


def _zip(members: dict[str, bytes], records: list[dict], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("records.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def key(cast):
    from yunting.workflows.filing.batches import institution_key_create

    orgs, _ = cast
    return institution_key_create(institution=orgs["bank"], court=orgs["court"])[0]


def test_zip_limits_name_the_limit(key, settings, django_capture_on_commit_callbacks):
    from yunting.workflows.filing.batches import batch_create

    settings.YUNTING_BATCH_ZIP_MAX_MEMBERS = 3
    with pytest.raises(ValidationFailed) as err:
        batch_create(key=key, body=_zip({f"{i}.pdf": b"%PDF-1.4" for i in range(3)}, [loan(1)]))
    assert err.value.code == "zip_members" and "YUNTING_BATCH_ZIP_MAX_MEMBERS" in err.value.message
    settings.YUNTING_BATCH_ZIP_MAX_MEMBERS = 100
    settings.YUNTING_BATCH_ZIP_MAX_TOTAL_MB = 4
    with pytest.raises(ValidationFailed) as err:  # declared sizes: refused before anything is inflated
        batch_create(key=key, body=_zip({"big.bin": b"\0" * (5 * 1024 * 1024)}, [loan(1)]))
    assert err.value.code == "zip_total_size"
    settings.YUNTING_BATCH_ZIP_MAX_TOTAL_MB = 4096
    # a compression bomb among the documents: its record alone is refused, naming the ratio
    records = [loan(1, documents=[{"path": "bomb.pdf", "title": "借据", "kind": "evidence"}]), loan(2)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=_zip({"bomb.pdf": b"%PDF-1.4\n" + b" " * (30 * 1024 * 1024)}, records))
    batch.refresh_from_db()
    assert (batch.filed, batch.invalid) == (1, 1)
    assert batch.report[0]["errors"][0]["code"] == "zip_ratio"
    assert "YUNTING_BATCH_ZIP_MAX_RATIO" in batch.report[0]["errors"][0]["message"]


def test_a_lying_member_is_stopped_while_inflating(key, settings):
    """A member that declares a small size but inflates to more is cut off by the running count, whatever its
    header says."""
    from yunting.kernel.scan.safezip import SafeZip, ZipLimitExceeded

    settings.YUNTING_BATCH_ZIP_MAX_MEMBER_MB = 1
    data = _zip({"lie.pdf": b" " * (3 * 1024 * 1024)}, [], compression=zipfile.ZIP_DEFLATED)
    archive = SafeZip(io.BytesIO(data))
    info = archive.getinfo("lie.pdf")
    info.file_size = 1000  # the header lies
    with pytest.raises(ZipLimitExceeded) as err:
        archive.read_small(info)
    assert err.value.code in ("zip_member_size", "zip_damaged")


def test_records_are_read_line_by_line_with_a_bound(key, settings, django_capture_on_commit_callbacks):
    from yunting.workflows.filing.batches import batch_create

    settings.BATCH_MAX_LINE_BYTES = 4 * 1024
    long_line = json.dumps(loan(2, facts="很长的事实" * 2000), ensure_ascii=False)
    body = "\n".join([json.dumps(loan(1), ensure_ascii=False), long_line, json.dumps(loan(3), ensure_ascii=False)])
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body=body.encode())
    batch.refresh_from_db()
    assert (batch.total_lines, batch.filed, batch.invalid) == (3, 2, 1)
    assert batch.report[0]["line"] == 2 and batch.report[0]["errors"][0]["code"] == "line_too_long"
