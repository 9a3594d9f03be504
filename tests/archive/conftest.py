import pytest


@pytest.fixture
def add_document():
    """add_document(case, title, kind, pages=1, actor=None) → the e-file Document (a real PDF, journaled)."""
    from yunting.core.efile.models import Document
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    def add(case, title, kind, *, pages=1, actor=None, body=""):
        blob = blob_put_bytes(simple_pdf(title=title, subtitle=case.number, body=body or title, pages=pages))
        journal_append(case=case, kind="efile.submitted", actor=actor,
                       documents=[DocumentInput(sha256=blob.sha256, title=title, kind=kind)])
        return Document.objects.filter(case=case, blob_id=blob.sha256).latest("id")

    return add


@pytest.fixture
def closed_case(make_case, add_document, users, settings, tmp_path):
    """A closed 民初 case with a complaint, evidence, a judgment (正卷) and a trial report (副卷)."""
    from datetime import date

    from yunting.core.courts.services import case_close

    settings.DATA_DIR = tmp_path / "data"
    case = make_case()
    add_document(case, "民事起诉状", "complaint", pages=2, actor=users["lawyer"])
    add_document(case, "借条（证据一）", "evidence", actor=users["lawyer"])
    add_document(case, "民事判决书", "judgment", pages=3, actor=users["judge"])
    add_document(case, "审理报告", "trial_report", actor=users["judge"])
    case_close(case=case, actor=users["judge"], outcome="judgment", closed_on=date(2026, 11, 20), document=None,
               title="民事判决书")
    case.refresh_from_db()
    return case
