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
    signatures = html.split("电子签名与印章", 1)[1]
    assert "深圳市宝安区人民法院" in signatures  # the court seal is listed with its signer


@pytest.mark.django_db
def test_yunting_verify_checks_ledger_proof_and_signatures_offline(make_case, users, tmp_path, client):
    """`yunting verify FILE --proof P --root R`: both checks from files alone; a flipped byte fails both."""
    import io

    from django.core.management import call_command

    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal
    from yunting.kernel.blobs.store import blob_read

    case = make_case(security_level="public")
    paper = paper_issue(paper=paper_draft(case=case, template_code="response_notice", actor=users["clerk"]),
                        actor=users["clerk"])
    paper = paper_seal(paper=paper, actor=users["court_admin"])
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(blob_read(paper.pdf_sha256))
    bundle = client.get(f"/verify/proof/{paper.pdf_sha256}.json")
    assert bundle.status_code == 200
    (tmp_path / "proof.json").write_bytes(bundle.content)
    call_command("pki", "export", str(tmp_path / "pki"), stdout=io.StringIO())
    args = [str(pdf), "--proof", str(tmp_path / "proof.json"), "--root", str(tmp_path / "pki/root.pem"),
            "--intermediate", str(tmp_path / "pki/issuing.pem"), "--crl", str(tmp_path / "pki/issuing.crl")]
    out = io.StringIO()
    call_command("verify", *args, stdout=out, stderr=io.StringIO())
    assert "VERIFIED" in out.getvalue() and "SIGNATURES VALID: 1" in out.getvalue()

    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x01
    pdf.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as exc:
        call_command("verify", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.code == 1
