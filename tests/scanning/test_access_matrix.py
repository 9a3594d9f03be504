"""扫描 asked by everyone who should not get it (tests/hardening/matrix.py): the station and its batches, the
clerk's queue and decisions, a scan's PDF, a case's cover sheets and originals, the store, full-text search, and
the scans API (an upload route). Strangers get a refusal or an empty answer naming nothing; search never finds
another case's text, nor a 副卷 document for a party or lawyer."""

import pytest

from tests.hardening.matrix import STRANGERS, Req, make_strangers, run
from yunting.core.efile.models import Document, Upload
from yunting.core.journal.models import JournalEntry
from yunting.workflows.scanning.models import Original, ScanBatch, ScanDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_case, add_document, users, clerk_access):
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf
    from yunting.workflows.scanning.services import original_register

    case = make_case()
    add_document(case, title="借条", body="今借到张伟人民币十万元，约定一年内归还。", kind="evidence")
    add_document(case, "clerk", title="合议笔录", body="合议庭认为借款事实清楚，应予归还。",
                 kind="deliberation_record", entry_kind="papers.issued")
    scanner = users["scanner"]
    blob = blob_put_bytes(simple_pdf(title="民事答辩状", body="答辩人不予认可"))
    upload = Upload.objects.create(user=scanner, purpose="scan", sha256=blob.sha256, size=blob.size,
                                   mime_type="application/pdf", status="accepted")
    batch = ScanBatch.objects.create(court=case.court, station_user=scanner, upload=upload, status="done")
    doc = ScanDocument.objects.create(batch=batch, case=case, first_page=1, last_page=1, page_count=1, blob=blob,
                                      title="民事答辩状", suggested_kind="defence", confidence=0.98)
    original = original_register(access=clerk_access(case), actor=users["clerk"], description="借条原件",
                                 location="A-01-02", barcode="")
    people = {"anonymous": None, **{k: v for k, v in make_strangers(make_case, users).items() if k != "other_case"},
              **{k: users[k] for k in ("judge", "clerk", "lawyer", "plaintiff", "scanner")}}
    ids = {"case": case.pk, "batch": batch.pk, "doc": doc.pk, "original": original.pk}
    leaks = [case.number, "民事答辩状", "借条原件", "A-01-02", "今借到张伟", "合议庭认为", "%PDF",
             users["plaintiff"].id_number]

    def state():
        return (JournalEntry.objects.count(), Document.objects.count(), ScanBatch.objects.count(),
                list(ScanDocument.objects.values_list("status", "document_id")),
                list(Original.objects.values_list("status", "location", "holder_id")), Upload.objects.count())

    return {"people": people, "ids": ids, "leaks": leaks, "state": state}


REFUSED = [
    ("GET", "/scanning/"),
    ("POST", "/scanning/"),
    ("GET", "/scanning/batches/{batch}/"),
    ("POST", "/scanning/documents/{doc}/decide/"),
    ("GET", "/scanning/documents/{doc}/pdf"),
    ("GET", "/scanning/cases/{case}/"),
    ("POST", "/scanning/cases/{case}/cover/"),
    ("POST", "/scanning/cases/{case}/originals/"),
    ("POST", "/scanning/cases/{case}/originals/{original}/move/"),
]
ANSWERED_EMPTY = [
    ("GET", "/scanning/review/"),
    ("GET", "/scanning/search/?q=借条"),
    ("GET", "/scanning/search/?q=合议"),
    ("GET", "/scanning/search/?q=答辩"),
]


def _body(req, ids):
    if req.method != "POST":
        return {}
    if req.path == "/scanning/":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from yunting.kernel.pdf.make import simple_pdf

        return {"files": [SimpleUploadedFile("s.pdf", simple_pdf(title="x", body="x"))]}
    return {"kind": "defence", "title": "x", "description": "x", "location": "B-1", "action": "lend",
            "reason": "x", "declared_pages": "1"}


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_nothing(world, who):
    anon = who == "anonymous"
    reqs = [Req(who, m, t, ok=() if anon else (404,)) for m, t in REFUSED]
    reqs += [Req(who, m, t, ok=() if anon else (200,)) for m, t in ANSWERED_EMPTY]
    # the store: court staff only (another court's judge gets an empty list)
    reqs.append(Req(who, "GET", "/scanning/originals/?q=借条", ok=() if anon else (200,) if who == "other_judge"
                    else (404,)))
    reqs += [Req(who, "GET", "/api/v1/scans/queue", api=True, ok=(401,) if anon else (403,)),
             Req(who, "GET", "/api/v1/scans/{batch}", api=True, ok=(401,) if anon else (404,))]
    run(reqs, people=world["people"], ids=world["ids"], leaks=world["leaks"], state=world["state"],
        body_for=_body)


@pytest.mark.parametrize("who", ["lawyer", "plaintiff"])
def test_the_cases_own_lawyer_and_party_get_no_scanning_work_and_no_secondary_text(world, who):
    reqs = [Req(who, m, t, ok=(404,)) for m, t in REFUSED]
    reqs += [Req(who, "GET", "/scanning/search/?q=合议", ok=(200,)),
             Req(who, "GET", "/scanning/review/", ok=(200,)),
             Req(who, "GET", "/scanning/originals/", ok=(404,))]
    run(reqs, people=world["people"], ids=world["ids"],
        leaks=["民事答辩状", "借条原件", "A-01-02", "合议庭认为", "合议笔录", "%PDF"], state=world["state"],
        body_for=_body)


def test_the_station_sees_its_batches_but_not_the_cases_efile(world):
    """The scanner works the station of the court: its scans, never the case's e-file text through search."""
    reqs = [Req("scanner", "GET", "/scanning/search/?q=借条", ok=(200,)),
            Req("scanner", "GET", "/scanning/cases/{case}/", ok=(404,)),
            Req("scanner", "POST", "/scanning/cases/{case}/cover/", ok=(404,))]
    run(reqs, people=world["people"], ids=world["ids"], leaks=["今借到张伟", "合议庭认为"], state=world["state"],
        body_for=_body)
