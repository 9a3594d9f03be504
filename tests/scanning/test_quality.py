"""Quality rules route problems back to the station's queue with the reason, and file nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.efile.models import Document
from yunting.workflows.scanning.models import ScanDocument
from yunting.workflows.scanning.selectors import station_queue
from yunting.workflows.scanning.services import scan_batch_receive

from .samples import scanner_pdf, text_page

pytestmark = pytest.mark.django_db


def _scan(scanner, images, capture, *, dpi=200):
    with capture(execute=True):
        return scan_batch_receive(user=scanner, streams=[SimpleUploadedFile("b.pdf", scanner_pdf(images, dpi=dpi))])


def test_pages_before_any_cover_and_a_wrong_page_count_go_back(make_case, cover, scanner,
                                                               django_capture_on_commit_callbacks):
    case = make_case()
    _sheet, sheet_image = cover(case, kind="evidence", title="借条", pages=2)
    documents = Document.objects.count()
    batch = _scan(scanner, [text_page(["借条", "今借到张伟"]), sheet_image, text_page(["收条", "今收到李娜"])],
                  django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert batch.status == "done"
    first, second = ScanDocument.objects.filter(batch=batch).order_by("first_page")
    assert (first.status, [p["code"] for p in first.problems]) == ("returned", ["scan_no_cover"])
    assert first.problems[0]["data"] == {"first": 1, "last": 1}
    assert (second.status, [p["code"] for p in second.problems]) == ("returned", ["scan_page_count"])
    assert second.problems[0]["data"] == {"declared": 2, "found": 1}
    assert set(station_queue(scanner)) == {first, second}
    assert Document.objects.count() == documents


def test_low_resolution_batch_is_returned_naming_the_page(scanner, django_capture_on_commit_callbacks):
    batch = _scan(scanner, [text_page(["借条"], size=(300, 420))], django_capture_on_commit_callbacks, dpi=72)
    batch.refresh_from_db()
    from yunting.workflows.scanning.services import scan_batch_sync

    batch = scan_batch_sync(batch)
    assert batch.status == "returned"
    assert [p["code"] for p in batch.problems] == ["scan_low_resolution"]
    assert "72" in batch.problems[0]["message"] and "150" in batch.problems[0]["message"]


def test_pages_below_the_legibility_floor_go_back(make_case, cover, scanner, settings,
                                                  django_capture_on_commit_callbacks):
    settings.YUNTING_SCAN_MIN_LEGIBILITY = 1.01  # no read reaches it: every text page is below the floor
    case = make_case()
    _sheet, sheet_image = cover(case)
    batch = _scan(scanner, [sheet_image, text_page(["借条"])], django_capture_on_commit_callbacks)
    (doc,) = ScanDocument.objects.filter(batch=batch)
    assert (doc.status, [p["code"] for p in doc.problems]) == ("returned", ["scan_illegible"])
    assert doc.problems[0]["data"]["pages"] == [2]


def test_only_station_staff_may_upload(users):
    from yunting.kernel.common.errors import PermissionDenied

    for name in ("judge", "lawyer", "plaintiff"):
        with pytest.raises(PermissionDenied):
            scan_batch_receive(user=users[name], streams=[SimpleUploadedFile("b.pdf", b"%PDF-1.4")])
    from yunting.workflows.scanning.models import ScanBatch

    assert not ScanBatch.objects.exists()
