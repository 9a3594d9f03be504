"""The web shell as a clerk, a judge, a lawyer and an outsider see it."""

import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from yunting.kernel.security.models import ReadLog

pytestmark = pytest.mark.django_db


def case_numbers(response) -> list[str]:
    return re.findall(r"（\d{4}）粤0306[^<\s]*?号", response.content.decode())


# --- workbench -------------------------------------------------------------------------------------------------

def test_login_page_and_redirect(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
    page = client.get(reverse("web:login"))
    assert page.status_code == 200 and "云庭" in page.content.decode()


def test_login_with_password(client, users):
    response = client.post(reverse("web:login"), {"username": "judge", "password": "pw-for-tests-123"})
    assert response.status_code == 302 and response.url == reverse("web:workbench")
    client.logout()
    bad = client.post(reverse("web:login"), {"username": "judge", "password": "wrong"})
    assert "用户名或密码错误" in bad.content.decode()


def test_workbench_lists_only_visible_cases(make_case, users, login):
    mine = make_case()
    other = make_case(participants=("assistant",), plaintiff="defendant", defendant_name="王五")
    page = login(users["lawyer"]).get("/")
    html = page.content.decode()
    assert mine.number in html and other.number not in html
    assert "诉讼代理人" in html or "律师" in html  # the lawyer's role in the case is shown


def test_workbench_empty_state(users, login, cast):
    html = login(users["mediator"]).get("/").content.decode()
    assert "暂无案件" in html


def test_workbench_search(make_case, users, login):
    loan = make_case()
    lease = make_case(cause="房屋租赁合同纠纷", defendant_name="赵六")
    client = login(users["judge"])
    assert case_numbers(client.get("/", {"q": "借贷"})) == [loan.number]
    assert case_numbers(client.get("/", {"q": "赵六"})) == [lease.number]
    fragment = lease.number[-4:]  # e.g. 民初2号
    assert lease.number in case_numbers(client.get("/", {"q": fragment}))
    nothing = client.get("/", {"q": "不存在的词"}).content.decode()
    assert "没有符合条件的案件" in nothing


def test_workbench_filters_and_bad_input(make_case, users, login):
    loan = make_case()
    client = login(users["judge"])
    assert case_numbers(client.get("/", {"status": "registered", "year": loan.year, "type": "民初"})) == [loan.number]
    assert case_numbers(client.get("/", {"status": "closed"})) == []
    assert client.get("/", {"year": "abc", "status": "nonsense"}).status_code == 200


def test_workbench_pagination(make_case, users, login):
    cases = [make_case() for _ in range(23)]
    client = login(users["judge"])
    first = case_numbers(client.get("/"))
    second = case_numbers(client.get("/", {"page": 2}))
    assert len(first) == 20 and len(second) == 3
    assert set(first) | set(second) == {c.number for c in cases}


def test_htmx_search_request(make_case, users, login):
    loan = make_case()
    response = login(users["judge"]).get("/", {"q": "借贷"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and loan.number in response.content.decode()


# --- case page -------------------------------------------------------------------------------------------------

PLAINTIFF_ID = "11010519491231002X"


def test_case_page_masks_personal_data_for_outside_roles(make_case, users, login):
    case = make_case()
    html = login(users["lawyer"]).get(reverse("web:case", args=[case.pk])).content.decode()
    assert case.number in html and "民间借贷纠纷" in html
    assert PLAINTIFF_ID not in html and "1101**********002X" in html
    assert "13912345678" not in html and "139****5678" in html
    assert not ReadLog.objects.filter(action="party.personal_data").exists()


def test_case_page_party_sees_masked_too(make_case, users, login):
    case = make_case()
    html = login(users["plaintiff"]).get(reverse("web:case", args=[case.pk])).content.decode()
    assert PLAINTIFF_ID not in html


def test_case_page_judge_sees_personal_data_and_it_is_logged(make_case, users, login):
    case = make_case()
    html = login(users["judge"]).get(reverse("web:case", args=[case.pk])).content.decode()
    assert PLAINTIFF_ID in html and "13912345678" in html
    assert ReadLog.objects.filter(action="case.view", case_id=case.pk, username="judge", channel="web").exists()
    assert ReadLog.objects.filter(action="party.personal_data", case_id=case.pk, object_type="party").exists()


def test_case_page_shows_journal_newest_first_in_shanghai_time(make_case, users, login, add_document):
    case = make_case()
    add_document(case, users["lawyer"])
    html = login(users["judge"]).get(reverse("web:case", args=[case.pk])).content.decode()
    assert html.index("提交起诉材料") < html.index("立案登记")
    entry = case.journal.get(seq=1)
    local = entry.recorded_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") in html
    assert f'data-ws-path="/ws/cases/{case.pk}/"' in html


def test_case_of_others_is_404_like_a_missing_one(make_case, users, login):
    case = make_case()
    client = login(users["defendant"])  # not a party on the platform in this case
    for url in (reverse("web:case", args=[case.pk]), reverse("web:efile", args=[case.pk]),
                reverse("web:efile_pdf", args=[case.pk])):
        assert client.get(url).status_code == 404
    missing = client.get(reverse("web:case", args=[999999]))
    assert missing.status_code == 404
    assert "不存在" in missing.content.decode()


def test_anonymous_is_sent_to_login(make_case, client):
    case = make_case()
    response = client.get(reverse("web:case", args=[case.pk]))
    assert response.status_code == 302 and reverse("web:login") in response.url


# --- e-file ----------------------------------------------------------------------------------------------------

@pytest.fixture
def filed_case(make_case, users, add_document):
    case = make_case()
    complaint = add_document(case, users["lawyer"], title="起诉状", body="原告张伟诉被告李娜民间借贷纠纷。")
    evidence = add_document(case, users["lawyer"], title="借条", body="今借到张伟人民币十万元。", kind="evidence", pages=2)
    report = add_document(case, users["judge"], title="审理报告", body="合议庭评议意见。", kind="trial_report",
                          entry_kind="efile.document_added")
    return case, complaint, evidence, report


def test_efile_tree_for_judge_includes_secondary(filed_case, users, login):
    case, complaint, evidence, report = filed_case
    html = login(users["judge"]).get(reverse("web:efile", args=[case.pk])).content.decode()
    for text in ("正卷", "起诉与受理", "证据材料", "起诉状", "借条", "副卷", "审理报告", "2 页"):
        assert text in html, text


def test_efile_secondary_volume_hidden_from_lawyer(filed_case, users, login):
    case, complaint, evidence, report = filed_case
    client = login(users["lawyer"])
    html = client.get(reverse("web:efile", args=[case.pk])).content.decode()
    assert "起诉状" in html and "审理报告" not in html and "副卷" not in html
    assert client.get(reverse("web:document_content", args=[report.pk])).status_code == 404
    assert client.get(reverse("web:efile", args=[case.pk]), {"doc": report.pk}).status_code == 404


def test_efile_search(filed_case, users, login):
    case, complaint, evidence, report = filed_case
    html = login(users["judge"]).get(reverse("web:efile", args=[case.pk]), {"q": "借到"}).content.decode()
    assert "借条" in html and f'data-doc-id="{complaint.pk}"' not in html


def test_document_viewer_partial_and_redirect(filed_case, users, login):
    case, complaint, *_ = filed_case
    client = login(users["lawyer"])
    partial = client.get(reverse("web:document", args=[complaint.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "data-pdf-url" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    full = client.get(reverse("web:document", args=[complaint.pk]))
    assert full.status_code == 302 and full.url.endswith(f"?doc={complaint.pk}")
    page = client.get(full.url).content.decode()
    assert "data-pdf-url" in page and "vendor/pdfjs/cmaps/" in page


def test_document_content_streams_blob(filed_case, users, login):
    case, complaint, *_ = filed_case
    response = login(users["lawyer"]).get(reverse("web:document_content", args=[complaint.pk]))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == complaint.blob.size
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ReadLog.objects.filter(action="document.read", object_id=str(complaint.pk), username="lawyer").exists()


def test_document_content_404_for_outsiders(filed_case, users, login):
    case, complaint, *_ = filed_case
    client = login(users["defendant"])
    assert client.get(reverse("web:document_content", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("web:document_content", args=[987654])).status_code == 404
    assert not ReadLog.objects.filter(action="document.read").exists()


def test_media_documents_use_html_elements(make_case, users, login, add_document):
    case = make_case()
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
           b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    photo = add_document(case, users["lawyer"], title="现场照片", kind="evidence", data=png)
    html = login(users["judge"]).get(reverse("web:efile", args=[case.pk]), {"doc": photo.pk}).content.decode()
    assert f'<img src="{reverse("web:document_content", args=[photo.pk])}"' in html


def outline_titles(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    top = [item for item in reader.outline if not isinstance(item, list)]
    return reader, [item.title for item in top]


def test_merged_efile_pdf_has_one_bookmark_per_section(filed_case, users, login):
    case, *_ = filed_case
    response = login(users["judge"]).get(reverse("web:efile_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader, titles = outline_titles(b"".join(response.streaming_content))
    assert titles == ["正卷 · 01 起诉与受理", "正卷 · 03 证据材料", "副卷 · 51 审理报告与合议"]
    assert len(reader.pages) == 4
    assert ReadLog.objects.filter(action="efile.download", case_id=case.pk).exists()


def test_merged_efile_pdf_for_lawyer_leaves_out_secondary(filed_case, users, login):
    case, *_ = filed_case
    response = login(users["lawyer"]).get(reverse("web:efile_pdf", args=[case.pk]))
    reader, titles = outline_titles(b"".join(response.streaming_content))
    assert titles == ["正卷 · 01 起诉与受理", "正卷 · 03 证据材料"] and len(reader.pages) == 3


# --- read log --------------------------------------------------------------------------------------------------

def test_read_log_page_only_for_court_admin(filed_case, users, login, client):
    case, complaint, *_ = filed_case
    login(users["lawyer"]).get(reverse("web:case", args=[case.pk]))
    for name in ("judge", "lawyer", "clerk"):
        client.force_login(users[name])
        assert client.get(reverse("web:read_log")).status_code == 403
    client.force_login(users["court_admin"])
    html = client.get(reverse("web:read_log")).content.decode()
    assert "阅卷日志" in html and "lawyer" in html and "case.view" in html
    filtered = client.get(reverse("web:read_log"), {"username": "lawyer", "case_id": case.pk, "action": "case.view"})
    assert "lawyer" in filtered.content.decode()
    empty = client.get(reverse("web:read_log"), {"username": "nobody"}).content.decode()
    assert "没有符合条件的阅卷记录" in empty


def test_read_log_date_range(filed_case, users, login):
    case, *_ = filed_case
    client = login(users["court_admin"])
    client.get(reverse("web:case", args=[case.pk]))
    assert "case.view" in client.get(reverse("web:read_log"), {"date_from": "2000-01-01", "action": "case.view"}).content.decode()
    later = client.get(reverse("web:read_log"), {"date_from": "2999-01-01", "action": "case.view"}).content.decode()
    assert "没有符合条件的阅卷记录" in later


def test_navbar_shows_roles_and_read_log_link(users, login):
    html = login(users["court_admin"]).get("/").content.decode()
    assert "吴国栋" in html and "法院管理员" in html and reverse("web:read_log") in html
    assert reverse("web:read_log") not in login(users["judge"]).get("/").content.decode()


# --- language --------------------------------------------------------------------------------------------------

def test_english_rendering(make_case, users, login):
    case = make_case()
    client = login(users["judge"])
    zh = client.get("/").content.decode()
    assert "我的案件" in zh and "立案" in zh
    assert "我的案件" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()  # a browser's wish is not enough
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    en = client.get("/").content.decode()
    assert "My cases" in en and "Registered" in en and "我的案件" not in en
    assert case.number in en


def test_language_switch_sets_cookie(users, login):
    client = login(users["judge"])
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "My cases" in client.get("/").content.decode()


def test_document_content_byte_ranges(filed_case, users, login):
    case, complaint, *_ = filed_case
    client = login(users["lawyer"])
    url = reverse("web:document_content", args=[complaint.pk])
    whole = b"".join(client.get(url).streaming_content)
    part = client.get(url, HTTP_RANGE="bytes=5-14")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 5-14/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[5:15]
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert b"".join(tail.streaming_content) == whole[-4:]
    assert client.get(url, HTTP_RANGE="bytes=abc").status_code == 200
    assert ReadLog.objects.filter(action="document.read", object_id=str(complaint.pk)).count() == 2  # whole + abc


def test_document_of_another_case_is_not_shown_on_this_efile(make_case, filed_case, users, login):
    case, complaint, *_ = filed_case
    other = make_case()
    response = login(users["judge"]).get(reverse("web:efile", args=[other.pk]), {"doc": complaint.pk})
    assert response.status_code == 404
