"""The public verify page also reports a signed court paper's signatures (issue 4 on the issue-3 page)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.mark.django_db
def test_uploaded_signed_paper_shows_ledger_record_and_signatures(make_case, users, client):
    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal

    case = make_case(security_level="public")
    paper = paper_issue(paper=paper_draft(case=case, template_code="response_notice", actor=users["clerk"]),
                        actor=users["clerk"])
    paper = paper_seal(paper=paper, actor=users["court_admin"])
    from yunting.kernel.blobs.store import blob_read

    data = blob_read(paper.pdf_sha256)
    page = client.post("/verify/", {"file": SimpleUploadedFile("notice.pdf", data), "signatures": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html  # the ledger found the case the paper belongs to
    signatures = html.split("电子签名 / Electronic signatures", 1)[1]
    assert "深圳市宝安区人民法院" in signatures  # the court seal is listed with its signer
