"""The public verify page, the ledger API and the offline proof say first who put a document on record and in
what capacity — the court (sealed or not), a party, an institution — derived from the journal, never from what
a submitter sent; the page is in one language, with the proof folded under 技术细节."""

import hashlib
import re

import pytest

from yunting.kernel.blobs.store import blob_read

pytestmark = pytest.mark.django_db

PARTY_ZH = "当事人提交的材料，本院仅证明其于"
COURT_ZH = "本院签发的文书（已加盖本院电子印章）"


@pytest.fixture
def sealed_ruling(make_case, users):
    """A 准许撤诉 ruling issued by the judge, signed by the clerk and sealed: every version's PDF."""
    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal, paper_sign, paper_update

    case = make_case()
    paper = paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    paper_update(paper=paper, actor=users["judge"], values={
        "withdraw_date": "2026-03-01", "fee": "25.00", "reasoning": "原告申请撤诉，应予准许。"})
    paper = paper_issue(paper=paper, actor=users["judge"])
    paper = paper_sign(paper=paper, actor=users["clerk"])
    paper = paper_seal(paper=paper, actor=users["court_admin"])
    return case, paper


def _sha(doc) -> str:
    return doc.blob_id


def test_a_forged_judgment_filed_by_a_party_is_called_a_partys_material(make_case, users, add_document, client):
    case = make_case()
    # even if a party's judgment somehow got in (an old record, a court clerk misfiling it), the page says whose it is
    doc = add_document(case, "lawyer", title="民事判决书", kind="judgment", entry_kind="efile.document_submitted")
    html = client.get("/verify/", {"sha256": _sha(doc)}).content.decode()
    assert 'data-issued-by="party"' in html
    issuer = re.search(r'id="issuer"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert PARTY_ZH in issuer and "不证明其内容真实" in issuer and COURT_ZH not in html
    # plainly first: the issuer sentence comes before the ledger verdict and the technical details
    assert html.index('id="issuer"') < html.index('id="verdict"') < html.index('id="tech"')
    assert "民事判决书" in html and "***号" in html and case.number not in html


def test_a_sealed_court_ruling_is_the_courts(sealed_ruling, client):
    case, paper = sealed_ruling
    html = client.get("/verify/", {"sha256": paper.pdf_sha256}).content.decode()
    assert 'data-issued-by="court"' in html and COURT_ZH in html
    assert "民事裁定书" in html and "已加盖本院电子印章" in html
    # an earlier (unsealed) version is the court's, and says it carries no seal
    first = paper.signatures.order_by("signed_at").first().pdf_sha256
    html = client.get("/verify/", {"sha256": first}).content.decode()
    assert 'data-issued-by="court"' in html and "未加盖本院电子印章" in html and COURT_ZH not in html


def test_one_language_and_technical_details_folded(make_case, users, add_document, client):
    case = make_case()
    doc = add_document(case, "lawyer", title="借条", kind="evidence", entry_kind="efile.document_submitted")
    zh = client.get("/verify/", {"sha256": _sha(doc)}).content.decode()
    main = zh[zh.index("<main"):zh.index("</main>")]
    for english in ("The document is", "Verify a document", "How it was checked", "Case number"):
        assert english not in main, english
    assert "<details" in main and "技术细节" in main and "SHA-256(0x01" in main
    tech = main[main.index('id="tech"'):]
    assert "RFC 9162" in tech and "Ed25519" in tech and "leaf_input" in tech
    before = main[:main.index('id="tech"')]
    for word in ("RFC", "Ed25519", "leaf_input", "Merkle"):
        assert word not in before, word
    client.post("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    en = client.get("/verify/", {"sha256": _sha(doc)}).content.decode()
    main = en[en.index("<main"):en.index("</main>")]
    assert "Material submitted by a party" in main and "does not prove" not in main
    assert "Evidence" in main  # the document kind, in English too
    data = re.sub(r"（\d{4}）粤\d+民初\*\*\*号", "", main).replace("借条", "")  # the case number and the title are data
    assert not re.search(r"[\u4e00-\u9fff]", data), re.search(r".{40}[\u4e00-\u9fff].{40}", data).group(0)


def test_the_public_can_switch_language_and_find_the_way_back(client):
    html = client.get("/verify/").content.decode()
    assert 'data-testid="language-switch"' in html and 'value="en"' in html
    assert 'data-testid="way-back"' in html and "yt-navbar" in html


def test_the_ledger_api_and_the_proof_bundle_say_who_issued_it(sealed_ruling, make_case, add_document, client):
    from yunting.kernel.ledger.services import ledger_sth_issue

    case, paper = sealed_ruling
    size = ledger_sth_issue().tree_size
    body = client.get("/api/v1/ledger/get-proof-by-document", {"sha256": paper.pdf_sha256, "tree_size": size}).json()
    assert body["issued_by"] == "court" and body["sealed"] is True
    assert body["entry_kind"] == "papers.sealed" and body["entry_kind_label"] == "加盖院印"
    party_doc = add_document(case, "lawyer", title="答辩状", kind="defence", entry_kind="efile.document_submitted")
    size = ledger_sth_issue().tree_size
    body = client.get("/api/v1/ledger/get-proof-by-document", {"sha256": party_doc.blob_id, "tree_size": size}).json()
    assert body["issued_by"] == "party" and body["sealed"] is False and body["entry_kind_label"] == "提交材料"
    bundle = client.get(f"/verify/proof/{party_doc.blob_id}.json").json()
    assert bundle["record"]["issued_by"] == "party" and "不证明其内容真实" in bundle["record"]["statement"]
    assert bundle["record"]["title"] == "答辩状"


def test_an_institutions_filing_is_the_institutions(make_case, add_document, users, client):
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    case = make_case()
    blob = blob_put_bytes(simple_pdf(title="起诉状", body="银行批量立案"))
    journal_append(case=case, kind="filing.accepted", actor=users["filing_officer"],
                   payload={"institution": "深圳市宝安农商银行"},
                   documents=[DocumentInput(sha256=blob.sha256, title="起诉状", kind="complaint")])
    html = client.get("/verify/", {"sha256": blob.sha256}).content.decode()
    assert 'data-issued-by="institution"' in html and "机构提交的材料" in html


def test_issuer_rule_table():
    from yunting.core.efile.provenance import issuer_of

    rows = [
        ("papers.sealed", "court", "ruling", False, "court"),
        ("papers.handsigned", "party", "hearing_transcript", False, "court"),
        ("efile.document_submitted", "party", "judgment", False, "party"),
        ("efile.document_submitted", "institution", "appraisal_report", False, "institution"),
        ("efile.document_submitted", "court", "defence", False, "party"),  # a clerk scanning a party's paper
        ("efile.document_submitted", "court", "judgment", False, "court"),
        ("filing.accepted", "court", "complaint", False, "party"),
        ("filing.accepted", "court", "complaint", True, "institution"),
        ("decision.issued", "court", "judgment", False, "court"),
    ]
    for entry_kind, capacity, kind, inst, expected in rows:
        assert issuer_of(entry_kind=entry_kind, capacity=capacity, document_kind=kind,
                         filer_institution=inst) == expected, (entry_kind, capacity, kind)


def test_hash_of_the_pdf_is_what_the_page_takes(sealed_ruling, client):
    _, paper = sealed_ruling
    pdf = blob_read(paper.pdf_sha256)
    assert hashlib.sha256(pdf).hexdigest() == paper.pdf_sha256


def _offline(tmp_path, client, sha: str, pdf: bytes, *, alter=None):
    import io
    import json

    from django.core.management import call_command

    from yunting.kernel.ledger import keys

    doc, proof, pem = tmp_path / "doc.pdf", tmp_path / "proof.json", tmp_path / "ledger.pem"
    doc.write_bytes(pdf)
    bundle = client.get(f"/verify/proof/{sha}.json").json()
    if alter:
        alter(bundle)
    proof.write_text(json.dumps(bundle, ensure_ascii=False))
    pem.write_text(keys.public_key_pem())
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", str(doc), "--proof", str(proof), "--public-key", str(pem), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_yunting_verify_says_first_who_put_it_on_record(sealed_ruling, add_document, tmp_path, client):
    case, paper = sealed_ruling
    code, out, _ = _offline(tmp_path, client, paper.pdf_sha256, blob_read(paper.pdf_sha256))
    assert code == 0 and out.splitlines()[0] == COURT_ZH + "。"
    assert "民事裁定书" in out and "***号" in out and "VERIFIED" in out
    doc = add_document(case, "lawyer", title="民事判决书", kind="judgment", entry_kind="efile.document_submitted")
    code, out, _ = _offline(tmp_path, client, doc.blob_id, blob_read(doc.blob_id))
    assert code == 0 and out.splitlines()[0].startswith(PARTY_ZH) and "不证明其内容真实" in out.splitlines()[0]
    # a proof file edited to claim the court issued it: the leaf's signed entry kind gives it away
    def forge(bundle):
        bundle["record"].update(issued_by="court", entry_kind="papers.sealed")
    code, out, err = _offline(tmp_path, client, doc.blob_id, blob_read(doc.blob_id), alter=forge)
    assert code == 1 and COURT_ZH not in out and "已被改动" in err


def test_the_verify_api_answers_like_the_page(sealed_ruling, add_document, client):
    case, paper = sealed_ruling
    body = client.get("/api/v1/ledger/verify", {"sha256": paper.pdf_sha256}).json()
    assert body["found"] and body["verified"] and body["issued_by"] == "court" and body["sealed"]
    assert body["statement"] == COURT_ZH + "。" and body["entry_kind_label"] == "加盖院印"
    assert body["title"] == "民事裁定书" and "***号" in body["case_number"]
    doc = add_document(case, "lawyer", title="民事判决书", kind="judgment", entry_kind="efile.document_submitted")
    body = client.get("/api/v1/ledger/verify", {"sha256": doc.blob_id}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["issued_by"] == "party" and not body["sealed"]
    assert body["statement"].startswith("Material submitted by a party") and body["document_kind_label"] == "Judgment"
    assert client.get("/api/v1/ledger/verify", {"sha256": "ab" * 32}).json()["found"] is False
    assert client.get("/api/v1/ledger/verify", {"sha256": "nothex"}).status_code == 400
