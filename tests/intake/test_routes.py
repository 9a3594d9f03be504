"""Issue 9 §3: one upload path, fully checked. The routes that take a file in are found from the URLconf and the
OpenAPI document (a new one fails `test_every_upload_route_is_known` until it is added here), and each refuses
every sample of the generated hostile corpus (tests/hostile/corpus.py: decompression bombs, too many objects,
pages or pixels, truncated, unreadable and encrypted PDFs, HTML/ZIP polyglots, JavaScript, launch actions,
embedded files, XFA, plain ZIPs, foreign types) keeping nothing: no document, no filing material, no stored
bytes."""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from tests.hostile import corpus as hostile  # generated: bombs, polyglots, active content, truncated
from yunting.core.efile.models import Document, Upload
from yunting.kernel.blobs.models import Blob
from yunting.workflows.filing.models import Filing, FilingDocument

pytestmark = pytest.mark.django_db
CORPUS = hostile.corpus()


def _web_routes(patterns=None, prefix="") -> set[str]:
    """Web routes whose view reads uploaded files."""
    found = set()
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if "api/v1" in str(p.pattern):
                continue
            found |= _web_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            try:
                source = inspect.getsource(inspect.unwrap(p.callback))
            except (TypeError, OSError):
                continue
            if "request.FILES" in source:
                found.add("/" + prefix + str(p.pattern))
    return found


def _api_routes() -> set[str]:
    """API operations that take a file (multipart with a binary part) or a raw body."""
    from yunting.interfaces.api.router import api

    found = set()
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            content = (op.get("requestBody") or {}).get("content", {})
            if "multipart/form-data" in content and "binary" in json.dumps(content):
                found.add(f"{method.upper()} {path}")
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                source = inspect.getsource(op.view_func)
                if "request.body" in source or "_read_batch_body(request)" in source:  # raw body readers
                    for method in op.methods:
                        found.add(f"{method} /api/v1/{path.lstrip('/')}".replace("{int:", "{"))
    return found


ROUTES = {
    "/filing/<int:filing_id>/documents/": "web_filing",
    "/cases/<int:case_id>/documents/new": "web_efile",
    "POST /api/v1/filings/uploads": "api_upload",
    "POST /api/v1/cases/{id}/documents": "api_case",
    "POST /api/v1/filings/batches": "api_batch_zip",
    "/asynctrial/cases/<int:case_id>/post/": "web_asynctrial",
    "/scanning/": "web_scan",
    "POST /api/v1/scans": "api_scan",
    "/spaces/<int:space_id>/upload/": "web_casespace",
}


# Routes that read an uploaded file to answer about it, storing nothing: the public verification pages.
READ_ONLY = {"/verify/", "/papers/verify/"}


# Routes that read a court staff member's data file (CSV: a bank statement, a staff list) as text, within their own
# size limit, and keep no document: not evidence, so not the intake's. Their parsing is their services' own.
DATA_IMPORTS = {"/fees/statements/", "POST /api/v1/fees/statements", "/court/people/import/"}


# The face photo taken at a room's entry (OLR art 7, only when a face-match adapter is configured): read (at most
# 2 MB) and handed to the adapter, never stored (tests/rooms/test_web.py).
FACE_CHECKS = {"/rooms/<int:room_id>/"}


# A court's appeal transfer (issue 16): another court's e-file, taken in only when every byte is proven by the
# sender's signed ledger (hashes, inclusion proofs, tree head consistent with the sender's public log); anything
# else is refused before a byte is stored (tests/archive/test_transfer.py, and the hostile set below).
COURT_TRANSFERS = {"POST /api/v1/transfers"}


# The ID photo a shared-court point's staff take with the document camera (issue 15): only a JPEG, PNG or WebP by its
# first bytes is taken (anything else is refused before a byte is stored), then the one checked intake decides; the
# hostile set leaves nothing behind (below).
POINT_PHOTOS = {"/sharedcourt/attendances/<int:attendance_id>/identity/"}


def test_every_upload_route_is_known():
    assert _web_routes() | _api_routes() == (set(ROUTES) | READ_ONLY | DATA_IMPORTS | FACE_CHECKS | COURT_TRANSFERS
                                             | POINT_PHOTOS)


@pytest.mark.slow
def test_point_photos_refuse_the_hostile_set_keeping_nothing(client, users, small_limits):
    from tests.sharedcourt.conftest import approved_attendance

    a = approved_attendance(users)
    client.force_login(users["point_staff"])
    for name, data, _codes in CORPUS:
        res = client.post(f"/sharedcourt/attendances/{a.pk}/identity/",
                          {"id_number": users["defendant"].id_number, "photo": SimpleUploadedFile(name, data)},
                          follow=True)
        assert "alert-danger" in res.content.decode(), name
        a.refresh_from_db()
        assert a.id_checked_at is None and a.photo_sha256 == "", name
        assert not Blob.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists(), name


@pytest.mark.slow
def test_court_transfers_refuse_the_hostile_set_keeping_nothing(cast):
    from django.test import Client

    from yunting.workflows.archive.services import transfer_key_create

    orgs, _users = cast
    _key, raw = transfer_key_create(court=orgs["court"], sender_name="某法院")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for name, data, _codes in CORPUS:
        documents = Document.objects.count()
        res = client.post("/api/v1/transfers", {"package": SimpleUploadedFile(name, data)})
        assert res.status_code == 400 and res.json()["code"].startswith("transfer_"), (name, res.content[:200])
        assert Document.objects.count() == documents, name
        assert not Blob.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists(), name


@pytest.mark.slow
@pytest.mark.parametrize("route", sorted(READ_ONLY))
def test_verification_pages_store_nothing(route, client, cast):
    for name, data, _codes in CORPUS:
        res = client.post(route, {"file": SimpleUploadedFile(name, data)})
        assert res.status_code < 500, (route, name)
        assert not Blob.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists(), (route, name)


@pytest.fixture
def small_limits(settings):
    """A bomb is refused on a limit quickly when the limits are small (the defaults hold it the same way)."""
    settings.YUNTING_SCAN_MEMORY_MB = 700
    settings.YUNTING_SCAN_CPU_SECONDS = 20
    settings.YUNTING_SCAN_TIMEOUT_SECONDS = 40


@pytest.fixture
def post(users, make_case, bearer, client, cast, django_capture_on_commit_callbacks):
    """post(route, name, data) → the refusal codes seen (from the answer or the upload's final state)."""
    from yunting.workflows.filing.batches import batch_create, institution_key_create

    case = make_case()
    orgs, _ = cast
    key, _raw = institution_key_create(institution=orgs["bank"], court=orgs["court"])

    def web_filing(name, data):
        client.force_login(users["plaintiff"])
        client.post("/filing/new/")
        filing = Filing.objects.latest("id")
        res = client.post(f"/filing/{filing.pk}/documents/", {"title": "证据", "kind": "evidence",
                                                              "file": SimpleUploadedFile(name, data)}, follow=True)
        assert "alert-danger" in res.content.decode()
        assert not FilingDocument.objects.filter(filing=filing).exists()
        return _codes(filing_subject=f"filing:{filing.pk}", answer_text=res.content.decode())

    def web_efile(name, data):
        before = set(Upload.objects.values_list("pk", flat=True))
        client.force_login(users["lawyer"])
        res = client.post(f"/cases/{case.pk}/documents/new", {"title": "证据", "kind": "evidence",
                                                             "file": SimpleUploadedFile(name, data)}, follow=True)
        assert "alert-danger" in res.content.decode()
        return _codes(filing_subject=f"case:{case.pk}", answer_text=res.content.decode(), before=before)

    def web_asynctrial(name, data):  # evidence posted with a file in the asynchronous exchange: the same intake
        before = set(Upload.objects.values_list("pk", flat=True))
        client.force_login(users["lawyer"])
        res = client.post(f"/asynctrial/cases/{case.pk}/post/", {"kind": "evidence", "title": "证据", "text": "证据",
                                                                 "file": SimpleUploadedFile(name, data)}, follow=True)
        assert "alert-danger" in res.content.decode()
        return _codes(filing_subject=f"case:{case.pk}", answer_text=res.content.decode(), before=before)

    def api_upload(name, data):
        res = bearer("plaintiff").post("/api/v1/filings/uploads", {"file": SimpleUploadedFile(name, data)})
        if res.status_code == 400:
            return {res.json()["code"]}
        assert res.status_code == 201 and res.json()["status"] == "refused", res.content
        return {p["code"] for p in res.json()["problems"]}

    def api_case(name, data):
        res = bearer("lawyer").post(f"/api/v1/cases/{case.pk}/documents",
                                    {"file": SimpleUploadedFile(name, data), "title": "证据", "kind": "evidence"})
        assert res.status_code == 400, res.content
        return {res.json()["code"]} | {p["code"] for p in res.json()["data"].get("problems", [])}

    def api_batch_zip(name, data):
        from tests.filing.test_batches import loan

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr("records.jsonl", json.dumps(loan(1, documents=[{"path": f"LN-1/{name}", "title": "借据",
                                                                        "kind": "evidence"}]), ensure_ascii=False))
            zf.writestr(f"LN-1/{name}", data)
        with django_capture_on_commit_callbacks(execute=True):
            batch = batch_create(key=key, body=buf.getvalue())
        batch.refresh_from_db()
        assert (batch.status, batch.filed, batch.invalid) == ("done", 0, 1), batch.report
        return {e["code"] for r in batch.report for e in r["errors"]}

    def _scanner():
        from yunting.core.people.choices import Role
        from yunting.core.people.models import Membership

        Membership.objects.get_or_create(user=users["archivist"], organisation=orgs["court"], role=Role.SCANNER)
        return users["archivist"]

    def web_scan(name, data):  # a scanning station's batch: the same intake, the batch returned with the reasons
        from yunting.workflows.scanning.models import ScanBatch

        client.force_login(_scanner())
        before = set(Upload.objects.values_list("pk", flat=True))
        res = client.post("/scanning/", {"files": SimpleUploadedFile(name, data)}, follow=True)
        assert "alert-danger" in res.content.decode()
        assert not ScanBatch.objects.filter(status__in=["processing", "done"]).exists()
        return _codes(filing_subject="scan:", answer_text=res.content.decode(), before=before)

    def api_scan(name, data):
        res = bearer("archivist").post("/api/v1/scans", {"files": SimpleUploadedFile(name, data)}) if _scanner() else None
        if res.status_code == 400:
            return {res.json()["code"]}
        assert res.status_code == 202 and res.json()["status"] == "returned", res.content
        return {p["code"] for p in res.json()["problems"]}

    def web_casespace(name, data):  # a file or voice message in a case space: the same intake, then an item
        from yunting.workflows.casespace.services import space_ensure

        space = space_ensure(case=case)
        before = set(Upload.objects.values_list("pk", flat=True))
        client.force_login(users["lawyer"])
        res = client.post(f"/spaces/{space.pk}/upload/", {"kind": "file", "file": SimpleUploadedFile(name, data)},
                          follow=True)
        assert "alert-danger" in res.content.decode()
        return _codes(filing_subject=f"space:{space.pk}", answer_text=res.content.decode(), before=before)

    fns = {"web_casespace": web_casespace, "web_scan": web_scan, "api_scan": api_scan, "web_filing": web_filing, "web_efile": web_efile, "api_upload": api_upload, "api_case": api_case,
           "api_batch_zip": api_batch_zip, "web_asynctrial": web_asynctrial}
    return lambda route, name, data: fns[ROUTES[route]](name, data)


def _codes(*, filing_subject: str, answer_text: str = "", before=()) -> set[str]:
    upload = Upload.objects.filter(subject__startswith=filing_subject).exclude(pk__in=before).first()
    if upload is None:  # refused before anything was stored (type, size): the page says so
        return {"upload_type"} if "不支持的文件类型" in answer_text else set()
    return {p["code"] for p in upload.problems}


@pytest.mark.slow
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_each_upload_route_refuses_the_hostile_set(route, post, small_limits):
    for name, data, acceptable in CORPUS:
        documents, filing_docs = Document.objects.count(), FilingDocument.objects.count()
        codes = post(route, name, data)
        assert codes & acceptable, (route, name, codes)
        assert (Document.objects.count(), FilingDocument.objects.count()) == (documents, filing_docs), (route, name)
        assert not Blob.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists(), (route, name)
