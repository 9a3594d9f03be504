"""Batch sealing: every good paper is sealed, each failure is isolated, named, and changes nothing."""

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.core.papers import services
from yunting.core.papers.batch import seal_job_create, seal_job_process
from yunting.core.papers.models import Paper, PaperStatus, SealJob, SealJobItem
from yunting.core.papers.selectors import papers_awaiting_seal
from yunting.kernel.blobs.store import blob_put_bytes, blob_read
from yunting.kernel.common.errors import PermissionDenied, ValidationFailed
from yunting.kernel.documents.signing import pki
from yunting.kernel.documents.signing.validate import pdf_validate

from .test_papers import drafted_ruling, strokes_png

pytestmark = pytest.mark.django_db


def ready_ruling(case, users, *, clerk_signs=True):
    paper = services.paper_issue(paper=drafted_ruling(case, users), actor=users["judge"])
    return services.paper_sign(paper=paper, actor=users["clerk"]) if clerk_signs else paper


def test_batch_seals_all_and_isolates_failures(make_case, users, court, django_capture_on_commit_callbacks):
    cases = [make_case() for _ in range(2)]
    good = [ready_ruling(cases[i % 2], users) for i in range(4)]
    out_of_order = ready_ruling(cases[0], users, clerk_signs=False)
    broken = ready_ruling(cases[1], users)
    # the stored PDF of one paper is unreadable (a PNG where the PDF should be)
    Paper.objects.filter(pk=broken.pk).update(pdf_sha256=blob_put_bytes(strokes_png(), allowed={"image/png"}).sha256)
    assert {p.pk for p in papers_awaiting_seal(court)} == {p.pk for p in [*good, broken]}
    entries_before = {p.pk: JournalEntry.objects.filter(payload__paper_id=p.pk).count() for p in [out_of_order, broken]}

    ids = [good[0].pk, broken.pk, good[1].pk, out_of_order.pk, good[2].pk, good[3].pk]
    with django_capture_on_commit_callbacks(execute=True):
        job = seal_job_create(actor=users["court_admin"], court=court, paper_ids=ids)
    job.refresh_from_db()
    assert job.status == SealJob.Status.DONE and job.total == 6 and job.sealed == 4 and job.failed == 2
    assert job.percent == 100

    failed = {i.paper_id: i.error_message for i in job.items.filter(status=SealJobItem.Status.FAILED)}
    assert set(failed) == {broken.pk, out_of_order.pk}
    assert "民事裁定书" in failed[broken.pk] and broken.case.number in failed[broken.pk]
    assert "不是有效的 PDF" in failed[broken.pk]
    assert "书记员签名" in failed[out_of_order.pk]  # says what must come first

    trust = pki.pki_trust()
    for paper in good:
        paper.refresh_from_db()
        assert paper.status == PaperStatus.SEALED
        report = pdf_validate(blob_read(paper.pdf_sha256), trust=trust)
        assert report.ok and report.signatures[-1].field == "seal"
    for paper in (out_of_order, broken):  # failures changed nothing
        paper.refresh_from_db()
        assert paper.status == PaperStatus.ISSUED and "seal" not in paper.signed_slots
        assert JournalEntry.objects.filter(payload__paper_id=paper.pk).count() == entries_before[paper.pk]

    # running the job again is harmless: nothing pending, nothing sealed twice
    again = seal_job_process(job.pk)
    assert again.sealed == 4 and again.failed == 2


def test_batch_needs_seal_authority_and_own_court_papers(make_case, users, court):
    paper = ready_ruling(make_case(), users)
    with pytest.raises(PermissionDenied):
        seal_job_create(actor=users["judge"], court=court, paper_ids=[paper.pk])
    with pytest.raises(ValidationFailed):
        seal_job_create(actor=users["court_admin"], court=court, paper_ids=[paper.pk, 999999])
    with pytest.raises(ValidationFailed):
        seal_job_create(actor=users["court_admin"], court=court, paper_ids=[])
    assert not SealJob.objects.exists()
