"""Remote reading (远程阅卷): parties and lawyers read and download what they may see — never the 副卷 —, each
download stamped with the reader's name and the time, every read logged; the court lists who read what."""

from __future__ import annotations

import subprocess
import tempfile

import pytest

from yunting.core.efile.models import Document
from yunting.kernel.security.models import ReadLog

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        return subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout


def _fonts_embedded(pdf: bytes) -> bool:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        lines = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return bool(lines) and all(" yes " in line for line in lines)


def _download(client, doc):
    res = client.get(f"/archive/documents/{doc.pk}/download")
    return res, b"".join(res.streaming_content) if res.status_code == 200 else b""


def test_the_lawyer_downloads_with_a_watermark_naming_them(client, closed_case, users):
    doc = Document.objects.get(case=closed_case, title="民事判决书")
    client.force_login(users["lawyer"])
    res, pdf = _download(client, doc)
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    text = _text(pdf)
    assert text.count("黄志强 阅卷") >= 3  # on each of the 3 pages
    assert "民事判决书" in text  # the document itself is still there
    assert _fonts_embedded(pdf)
    log = ReadLog.objects.filter(user_id=users["lawyer"].pk, action="document.download_watermarked").get()
    assert (log.case_id, log.object_id) == (closed_case.pk, str(doc.pk))


def test_a_name_outside_the_bundled_font_is_still_stamped(client, closed_case, users):
    user = users["lawyer"]
    user.real_name = "黄䶮"  # 䶮: not in GB 2312, laid out with the system CJK font
    user.save(update_fields=["real_name"])
    client.force_login(user)
    _res, pdf = _download(client, Document.objects.get(case=closed_case, title="借条（证据一）"))
    assert "黄䶮 阅卷" in _text(pdf) and _fonts_embedded(pdf)


def test_parties_never_reach_the_secondary_volume(client, closed_case, users):
    report = Document.objects.get(case=closed_case, title="审理报告")
    for who in ("lawyer", "plaintiff"):
        client.force_login(users[who])
        res, _pdf = _download(client, report)
        assert res.status_code == 404
        page = client.get(f"/archive/cases/{closed_case.pk}/reading/").content.decode()
        assert "民事判决书" in page and "审理报告" not in page
    assert not ReadLog.objects.filter(action="document.download_watermarked").exists()
    client.force_login(users["judge"])  # the court sees both volumes
    page = client.get(f"/archive/cases/{closed_case.pk}/reading/").content.decode()
    assert "审理报告" in page


def test_someone_outside_the_case_sees_nothing(client, closed_case, users):
    client.force_login(users["defendant"])  # a registered user who is not on this case
    assert client.get(f"/archive/cases/{closed_case.pk}/reading/").status_code == 404
    doc = Document.objects.get(case=closed_case, title="民事判决书")
    assert client.get(f"/archive/documents/{doc.pk}/download").status_code == 404


def test_the_court_lists_who_read_what(client, closed_case, users):
    doc = Document.objects.get(case=closed_case, title="民事判决书")
    client.force_login(users["lawyer"])
    _download(client, doc)
    assert client.get(f"/archive/cases/{closed_case.pk}/reads/").status_code == 404  # not for parties' side
    client.force_login(users["clerk"])
    page = client.get(f"/archive/cases/{closed_case.pk}/reads/").content.decode()
    assert "黄志强" in page and "民事判决书" in page


def test_the_read_list_pages(client, closed_case, users):
    from yunting.kernel.security.audit import read_log

    for _ in range(30):
        read_log(user=users["lawyer"], action="efile.view", channel="web", case_id=closed_case.pk,
                 object_type="case", object_id=closed_case.pk)
    client.force_login(users["judge"])
    first = client.get(f"/archive/cases/{closed_case.pk}/reads/").content.decode()
    second = client.get(f"/archive/cases/{closed_case.pk}/reads/?page=2").content.decode()
    assert "page=2" in first and "黄志强" in second
