"""The papers pages, as a judge, a clerk, a court administrator, a party and the public use them."""

import base64

import pytest
from django.urls import reverse

from yunting.core.journal.models import JournalEntry
from yunting.core.papers.models import Paper, PaperStatus, SealJob

from .test_papers import strokes_png

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def case(make_case):
    return make_case()


def login(client, user):
    client.force_login(user)
    return client


def test_judge_drafts_edits_previews_and_issues(client, users, case):
    c = login(client, users["judge"])
    page = c.get(reverse("papers:case", args=[case.pk]))
    assert page.status_code == 200 and "受理案件通知书" in page.content.decode()
    r = c.post(reverse("papers:new", args=[case.pk]), {"template": "withdrawal_ruling"})
    paper = Paper.objects.get()
    assert r.status_code == 302 and r.url == reverse("papers:edit", args=[paper.pk])
    form = c.get(r.url).content.decode()
    assert 'name="reasoning"' in form and 'name="case_number"' not in form

    preview = c.get(reverse("papers:pdf", args=[paper.pk]))  # incomplete: says what is missing
    assert preview.status_code == 400 and "本院认为" in preview.content.decode()

    bad = c.post(r.url, {"reasoning": "符合法律规定。", "fee": "两千", "withdraw_date": "2026-11-25", "action": "issue"})
    assert bad.status_code == 400 and "格式不正确" in bad.content.decode()
    paper.refresh_from_db()
    assert paper.status == PaperStatus.DRAFT

    ok = c.post(r.url, {"reasoning": "符合法律规定。", "fee": "2300", "withdraw_date": "2026-11-25",
                        "fee_payer": "原告张伟", "action": "issue"})
    assert ok.status_code == 302
    paper.refresh_from_db()
    assert paper.status == PaperStatus.ISSUED and paper.signed_slots == ["judge"]
    pdf = c.get(reverse("papers:pdf", args=[paper.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    login(client, users["clerk"]).post(reverse("papers:sign", args=[paper.pk]))
    login(client, users["court_admin"]).post(reverse("papers:sign", args=[paper.pk]))
    paper.refresh_from_db()
    assert paper.status == PaperStatus.SEALED


def test_outsiders_get_404(client, users, case):
    from yunting.core.papers.services import paper_draft

    paper = paper_draft(case=case, template_code="judgment", actor=users["judge"])
    for who in ("defendant", "mediator", "lawyer"):
        c = login(client, users[who])
        assert c.get(reverse("papers:edit", args=[paper.pk])).status_code == 404
        assert c.get(reverse("papers:pdf", args=[paper.pk])).status_code == 404  # a draft is court-only
        assert c.post(reverse("papers:new", args=[case.pk]), {"template": "judgment"}).status_code == 404
    assert Paper.objects.count() == 1


def test_party_hand_signs_on_a_tablet(client, users, case):
    from yunting.core.papers.services import paper_draft, paper_issue

    paper = paper_issue(paper=paper_draft(case=case, template_code="hearing_transcript", actor=users["clerk"],
                                          values={"held_at": "2026-12-15T09:30", "record": "审判员：现在开庭。"}),
                        actor=users["clerk"])
    c = login(client, users["plaintiff"])
    page = c.get(reverse("papers:handsign", args=[paper.pk]))
    assert page.status_code == 200 and "pointerdown" in page.content.decode()
    data_url = "data:image/png;base64," + base64.b64encode(strokes_png()).decode()
    r = c.post(reverse("papers:handsign", args=[paper.pk]), {"strokes": data_url},
               HTTP_USER_AGENT="Mozilla/5.0 (iPad; CPU OS 17_0)")
    assert r.status_code == 200 and "签名完成" in r.content.decode()
    entry = JournalEntry.objects.get(kind="papers.handsigned")
    assert entry.payload["device"].startswith("Mozilla/5.0 (iPad") and entry.payload["on_behalf_of"] == "张伟"
    again = c.post(reverse("papers:handsign", args=[paper.pk]), {"strokes": data_url})
    assert again.status_code == 409


def test_batch_seal_page_and_progress(client, users, case, django_capture_on_commit_callbacks):
    from yunting.core.papers.services import paper_draft, paper_issue

    papers = [paper_issue(paper=paper_draft(case=case, template_code="response_notice", actor=users["clerk"]),
                          actor=users["clerk"]) for _ in range(2)]
    assert login(client, users["judge"]).get(reverse("papers:seal_batch")).status_code == 404
    c = login(client, users["court_admin"])
    listing = c.get(reverse("papers:seal_batch")).content.decode()
    assert listing.count('name="paper"') == 2
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("papers:seal_batch"), {"paper": [p.pk for p in papers]})
    job = SealJob.objects.get()
    assert r.url == reverse("papers:seal_job", args=[job.pk])
    progress = c.get(r.url, HTTP_HX_REQUEST="true").content.decode()
    assert "100%" in progress and "已盖章 2 份" in progress and "hx-trigger" not in progress


def test_public_verify_page_and_crl(client, users, case):
    from cryptography import x509

    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal
    from yunting.kernel.blobs.store import blob_read

    paper = paper_seal(paper=paper_issue(paper=paper_draft(case=case, template_code="evidence_notice",
                                                           actor=users["clerk"]), actor=users["clerk"]),
                       actor=users["court_admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = blob_read(paper.pdf_sha256)
    r = client.post(reverse("papers:verify"), {"file": SimpleUploadedFile("n.pdf", pdf, "application/pdf")})
    body = r.content.decode()
    assert r.status_code == 200 and "全部 1 个签名有效" in body and "深圳市宝安区人民法院" in body
    tampered = bytearray(pdf)
    tampered[pdf.index(b"stream", 2000) + 20] ^= 0x01  # one bit inside the signed page content
    r = client.post(reverse("papers:verify"), {"file": SimpleUploadedFile("t.pdf", bytes(tampered), "application/pdf")})
    assert "签名验证未通过" in r.content.decode() and "签名后内容被修改" in r.content.decode()

    crl = client.get(reverse("papers:crl", args=["issuing"]))
    assert crl["Content-Type"] == "application/pkix-crl"
    x509.load_der_x509_crl(crl.content)
    assert client.get(reverse("papers:ca_cert", args=["root"])).content.startswith(b"-----BEGIN CERTIFICATE")
    assert client.get(reverse("papers:crl", args=["nope"])).status_code == 404


def test_parties_see_issued_main_volume_papers_but_never_secondary_ones(client, users, case):
    from yunting.core.papers.services import paper_draft, paper_issue

    notice = paper_issue(paper=paper_draft(case=case, template_code="evidence_notice", actor=users["clerk"]),
                         actor=users["clerk"])
    report = paper_draft(case=case, template_code="trial_report", actor=users["judge"], values={
        "summary": "立案。", "claims": "请求还款。", "facts": "借款属实。", "issues": "无。", "opinion": "支持。"})
    report = paper_issue(paper=report, actor=users["judge"])
    c = login(client, users["plaintiff"])
    assert c.get(reverse("papers:pdf", args=[notice.pk])).status_code == 200
    assert c.get(reverse("papers:pdf", args=[report.pk])).status_code == 404  # 审理报告 is 副卷
    assert login(client, users["judge"]).get(reverse("papers:pdf", args=[report.pk])).status_code == 200


def test_templates_cannot_reach_the_network_or_other_files():
    from yunting.kernel.documents.render import html_to_pdf

    html = ('<html><body><p>正文</p><img src="file:///etc/passwd"><img src="http://example.invalid/x.png">'
            '<link rel="stylesheet" href="file:///etc/hostname"></body></html>')
    pdf, _, pages = html_to_pdf(html)  # the resources are refused (logged), the paper still renders
    assert pdf.startswith(b"%PDF") and pages == 1


def test_url_fetcher_allows_only_template_files():
    from yunting.kernel.documents.render import BUILTIN_DIR, _local_only

    fetcher = _local_only()
    for url in ("file:///etc/passwd", "http://example.invalid/x.png", "https://example.invalid/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((BUILTIN_DIR / "_base.html").as_uri())
    assert b"<html" in response.read()


def test_signature_report_html_for_the_ledger_verify_page(users, case):
    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal
    from yunting.interfaces.web.papers.embed import signature_report_html
    from yunting.kernel.blobs.store import blob_read

    paper = paper_seal(paper=paper_issue(paper=paper_draft(case=case, template_code="summons", actor=users["clerk"],
                                                           values={"appear_at": "2026-12-15T09:30"}),
                                         actor=users["clerk"]), actor=users["court_admin"])
    html = signature_report_html(blob_read(paper.pdf_sha256), name="传票.pdf")
    assert "全部 1 个签名有效" in html and "到达本院根证书" in html
    assert signature_report_html(b"\x89PNG not a pdf") == ""
