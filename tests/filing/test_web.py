"""The filing pages: a party files step by step with autosave, the filing officer reviews; others see 404."""

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.cases.models import Case
from yunting.kernel.pdf.make import simple_pdf
from yunting.workflows.filing.choices import FilingStatus
from yunting.workflows.filing.models import Filing

pytestmark = [pytest.mark.django_db]

FORM = {
    "court": "粤0306", "case_type": "民初", "cause": "民间借贷纠纷", "procedure": "", "claim_amount": "100000",
    "claims": "判令被告偿还借款本金100000元\n判令被告承担本案诉讼费用",
    "facts": "被告借款十万元，到期未还。",
    "party-0-role": "plaintiff", "party-0-kind": "natural", "party-0-name": "张伟",
    "party-0-id_number": "11010519491231002X", "party-0-phone": "13912345678", "party-0-address": "宝安区",
    "party-1-role": "defendant", "party-1-kind": "natural", "party-1-name": "李娜",
}


def _new(client) -> Filing:
    res = client.post("/filing/new/")
    assert res.status_code == 302
    return Filing.objects.latest("id")


def test_party_files_step_by_step(as_user, users):
    client = as_user("plaintiff")
    assert client.get("/filing/").status_code == 200
    filing = _new(client)
    page = client.get(f"/filing/{filing.pk}/edit/")
    assert page.status_code == 200 and 'hx-trigger="change delay:1s"' in page.content.decode()
    # autosave keeps a half-typed form and answers the fee with its steps
    res = client.post(f"/filing/{filing.pk}/autosave/", {"case_type": "民初", "cause": "民间借贷纠纷",
                                                         "claim_amount": "100000"})
    html = res.content.decode()
    assert res.status_code == 200 and 'data-testid="autosave"' in html and "¥2,300.00" in html and "2.5%" in html
    filing.refresh_from_db()
    assert filing.payload["claim_amount"] == "100000" and filing.status == FilingStatus.DRAFT
    # evidence: checked by content
    res = client.post(f"/filing/{filing.pk}/documents/", {"title": "借条", "kind": "evidence",
                                                          "file": SimpleUploadedFile("借条.pdf", simple_pdf(title="借条"))})
    assert res.status_code == 302 and filing.documents.count() == 1
    client.post(f"/filing/{filing.pk}/documents/", {"title": "病毒", "kind": "evidence",
                                                    "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\0" * 300)})
    assert filing.documents.count() == 1
    # submitting with problems lists them all and loses nothing
    res = client.post(f"/filing/{filing.pk}/submit/", {**FORM, "facts": "", "claims": ""})
    assert res.status_code == 302 and res["Location"] == f"/filing/{filing.pk}/edit/#problems"
    html = client.get(res["Location"]).content.decode()
    assert 'data-testid="problems"' in html and "请填写事实与理由" in html and "请至少填写一项诉讼请求" in html
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT and filing.payload["parties"][1]["name"] == "李娜"
    res = client.post(f"/filing/{filing.pk}/submit/", FORM)
    assert res.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    assert "filing-status" in client.get(f"/filing/{filing.pk}/").content.decode()
    assert sorted(filing.documents.values_list("kind", flat=True)) == ["complaint", "evidence", "evidence_list"]
    for doc in filing.documents.all():
        res = client.get(f"/filing/{filing.pk}/documents/{doc.pk}/content")
        assert res.status_code == 200 and res["Content-Type"] == "application/pdf"


def test_review_queue_sorted_by_deadline_and_accept(as_user, submitted, users):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        early = submitted()
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        later = submitted(claim_amount="5000")
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        client = as_user("filing_officer")
        page = client.get("/filing/review/")
        html = page.content.decode()
        assert page.status_code == 200
        assert html.index(f'href="/filing/{early.pk}/"') < html.index(f'href="/filing/{later.pk}/"')
        assert "2026-03-09" in html and "2026-03-11" in html
    client = as_user("filing_officer")  # the session above was made in 2026-03 and has expired since
    detail = client.get(f"/filing/{later.pk}/").content.decode()
    assert 'data-testid="accept"' in detail
    res = client.post(f"/filing/{early.pk}/accept/")
    assert res.status_code == 302
    assert Filing.objects.get(pk=early.pk).status == FilingStatus.ACCEPTED
    client.post(f"/filing/{early.pk}/accept/")  # a second click
    assert Case.objects.count() == 1
    res = client.post(f"/filing/{later.pk}/reject/", {"reason": ""}, follow=True)
    assert "不予受理须写明理由" in res.content.decode()
    client.post(f"/filing/{later.pk}/supplement/", {"request": "请补充借条", "days": "5"})
    later.refresh_from_db()
    assert later.status == FilingStatus.SUPPLEMENT_REQUESTED
    party = as_user("plaintiff")
    assert "请补充借条" in party.get(f"/filing/{later.pk}/").content.decode()
    res = party.post(f"/filing/{later.pk}/submit/", {**FORM, "claim_amount": "5000", "facts": "补充了借条"})
    assert res.status_code == 302
    later.refresh_from_db()
    assert later.status == FilingStatus.SUBMITTED and later.facts == "补充了借条"


@pytest.mark.parametrize("who", ["defendant", "lawyer", "judge", "clerk"])
def test_others_get_404(as_user, submitted, who):
    filing = submitted()
    client = as_user(who)
    for url in (f"/filing/{filing.pk}/", f"/filing/{filing.pk}/edit/"):
        assert client.get(url).status_code == 404
    for url in (f"/filing/{filing.pk}/accept/", f"/filing/{filing.pk}/autosave/", f"/filing/{filing.pk}/submit/"):
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.SUBMITTED


def test_review_queue_is_for_filing_staff_only(as_user):
    assert as_user("judge").get("/filing/review/").status_code == 404
    assert as_user("court_admin").get("/filing/review/").status_code == 200


def test_filing_officer_cannot_see_drafts(as_user, users):
    draft = _new(as_user("plaintiff"))
    assert as_user("filing_officer").get(f"/filing/{draft.pk}/").status_code == 404


def test_the_officer_sees_suggestions_with_reasons(as_user, submitted):
    filing = submitted(parties=[
        {"role": "plaintiff", "kind": "natural", "name": "张伟"},
        {"role": "defendant", "kind": "natural", "name": "李娜", "address": "广州市天河区体育西路"},
    ])
    html = as_user("filing_officer").get(f"/filing/{filing.pk}/").content.decode()
    assert 'data-testid="suggestions"' in html and "建议" in html and "天河区" in html
    assert 'data-testid="suggestions"' not in as_user("plaintiff").get(f"/filing/{filing.pk}/").content.decode()


def test_the_questionnaire_follows_the_cause(as_user):
    client = as_user("plaintiff")
    filing = _new(client)
    res = client.post(f"/filing/{filing.pk}/autosave/", {"cause": "机动车交通事故责任纠纷"})
    html = res.content.decode()
    assert 'id="questionnaire" hx-swap-oob="true"' in html.replace('hx-swap-oob="outerHTML"', 'hx-swap-oob="true"')
    assert "事故日期" in html and "事故责任认定" in html
    res = client.post(f"/filing/{filing.pk}/autosave/", {"cause": "机动车交通事故责任纠纷", "q-place": "宝安大道"})
    assert 'id="questionnaire"' not in res.content.decode()  # same cause: the block is not replaced
    filing.refresh_from_db()
    assert filing.payload["questionnaire"] == {"place": "宝安大道"}
    page = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert 'name="q-place"' in page and 'value="宝安大道"' in page


def test_pages_render_once_the_package_is_an_installed_app(as_user, submitted):
    from django.test import modify_settings

    filing = submitted()
    with modify_settings(INSTALLED_APPS={"append": "yunting.interfaces.web.filing"}):
        html = as_user("filing_officer").get(f"/filing/{filing.pk}/").content.decode()
    assert 'data-testid="accept"' in html


def test_upload_and_remove_save_what_was_typed_first(as_user):
    """Upload and Remove reload the page: the form's fields travel with them and are saved before anything else,
    so text typed since the last autosave survives."""
    client = as_user("plaintiff")
    filing = _new(client)
    page = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert f'form="filing-form" formaction="/filing/{filing.pk}/documents/" formenctype="multipart/form-data"' in page
    client.post(f"/filing/{filing.pk}/autosave/", {**FORM, "facts": "被告借款十万元"})  # the last autosave
    iou = SimpleUploadedFile("借条.pdf", simple_pdf(title="借条"))
    res = client.post(f"/filing/{filing.pk}/documents/", {**FORM, "facts": "被告借款十万元，到期未还。",
                                                          "title": "借条", "kind": "evidence", "file": iou})
    assert res.status_code == 302 and res["Location"].endswith("#step-evidence")
    filing.refresh_from_db()
    assert filing.payload["facts"] == "被告借款十万元，到期未还。" and filing.documents.count() == 1
    assert "被告借款十万元，到期未还。</textarea>" in client.get(f"/filing/{filing.pk}/edit/").content.decode()
    # a refused upload (no file) still keeps the typing, and says why
    res = client.post(f"/filing/{filing.pk}/documents/", {**FORM, "facts": "又补了一句。", "title": "借条"},
                      follow=True)
    assert "请选择要上传的文件。" in res.content.decode()
    filing.refresh_from_db()
    assert filing.payload["facts"] == "又补了一句。" and filing.documents.count() == 1
    # removing a document likewise
    doc = filing.documents.get()
    client.post(f"/filing/{filing.pk}/documents/{doc.pk}/remove/", {**FORM, "facts": "改为口头借款。"})
    filing.refresh_from_db()
    assert filing.payload["facts"] == "改为口头借款。" and filing.documents.count() == 0
    # the older form posts (file fields only) change nothing else
    client.post(f"/filing/{filing.pk}/documents/", {"title": "借条", "kind": "evidence",
                                                    "file": SimpleUploadedFile("借条.pdf", simple_pdf(title="借条"))})
    filing.refresh_from_db()
    assert filing.payload["facts"] == "改为口头借款。" and filing.payload["parties"][1]["name"] == "李娜"


def _lit(html: str) -> set[str]:
    """The hrefs of the navbar entries shown as the current section."""
    return set(re.findall(r'<a class="nav-link active" href="([^"]+)"', html))


def test_the_navbar_lights_the_section_the_person_is_working_in(as_user, submitted):
    filing = submitted()
    officer = as_user("filing_officer")
    assert _lit(officer.get("/filing/review/").content.decode()) == {"/filing/review/"}
    assert _lit(officer.get(f"/filing/{filing.pk}/").content.decode()) == {"/filing/review/"}  # reviewing it
    assert _lit(officer.get("/filing/").content.decode()) == {"/filing/"}  # their own filings
    party = as_user("plaintiff")
    assert _lit(party.get(f"/filing/{filing.pk}/").content.decode()) == {"/filing/"}
    assert _lit(party.get("/filing/").content.decode()) == {"/filing/"}
    assert _lit(party.get("/").content.decode()) == {"/"}


def _png() -> bytes:
    """A phone screenshot of a bank transfer: 1080×1920, a few dark lines of "text" on white."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1080, 1920), "white")
    draw = ImageDraw.Draw(image)
    for y in range(200, 1400, 120):
        draw.rectangle((80, y, 1000, y + 40), fill="black")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def test_documents_open_in_the_page_for_whoever_may_see_the_filing(as_user, users):
    client = as_user("plaintiff")
    filing = _new(client)
    for title, name, data in (("借条", "借条.pdf", simple_pdf(title="借条")), ("转账截图", "转账.png", _png())):
        client.post(f"/filing/{filing.pk}/documents/", {"title": title, "kind": "evidence",
                                                        "file": SimpleUploadedFile(name, data)})
    pdf, image = filing.documents.get(title="借条"), filing.documents.get(title="转账截图")
    page = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert f'hx-get="/filing/{filing.pk}/documents/{pdf.pk}/view/" hx-target="#filing-viewer"' in page
    assert 'id="filing-viewer"' in page and "yunting/viewer.mjs" in page
    html = client.get(f"/filing/{filing.pk}/documents/{pdf.pk}/view/").content.decode()
    assert f'data-pdf-url="/filing/{filing.pk}/documents/{pdf.pk}/content"' in html and "vendor/pdfjs/cmaps/" in html
    html = client.get(f"/filing/{filing.pk}/documents/{image.pk}/view/").content.decode()
    assert f'<img src="/filing/{filing.pk}/documents/{image.pk}/content"' in html and "data-pdf-url" not in html
    assert client.get(f"/filing/{filing.pk}/documents/{image.pk}/content")["Content-Type"] == "image/png"
    # a draft is its filer's alone; once submitted the court's filing staff read it too, others never
    for who in ("filing_officer", "defendant", "judge"):
        assert as_user(who).get(f"/filing/{filing.pk}/documents/{pdf.pk}/view/").status_code == 404
    client = as_user("plaintiff")
    assert client.post(f"/filing/{filing.pk}/submit/", FORM).status_code == 302
    officer = as_user("filing_officer")
    assert 'hx-target="#filing-viewer"' in officer.get(f"/filing/{filing.pk}/").content.decode()
    assert officer.get(f"/filing/{filing.pk}/documents/{pdf.pk}/view/").status_code == 200
    for who in ("defendant", "judge", "lawyer"):
        assert as_user(who).get(f"/filing/{filing.pk}/documents/{pdf.pk}/view/").status_code == 404
    assert as_user("filing_officer").get(f"/filing/{filing.pk}/documents/999999/view/").status_code == 404
