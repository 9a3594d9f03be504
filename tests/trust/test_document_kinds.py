"""Only the court issues court papers: a party or lawyer submits party kinds only, a court kind from outside the
court is refused (API 422 `document_kind_not_allowed`), and the submission form starts on the kind the
submitter's standing suggests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.efile.models import Document, Upload
from yunting.kernel.ledger.models import Leaf as LedgerLeaf
from yunting.kernel.pdf.make import simple_pdf

pytestmark = pytest.mark.django_db

COURT_KINDS = ["judgment", "ruling", "mediation_statement", "summons", "payment_order"]


def _post(client, case, *, kind, title="民事判决书"):
    pdf = simple_pdf(title=title, body="本院认为，原告的诉讼请求成立。判决如下：被告于十日内偿还借款。")
    return client.post(f"/api/v1/cases/{case.pk}/documents",
                       {"file": SimpleUploadedFile("判决书.pdf", pdf), "title": title, "kind": kind})


@pytest.mark.parametrize("who", ["defendant", "lawyer"])
def test_a_party_filing_a_judgment_gets_422_and_nothing_changes(defended_case, bearer, who):
    case = defended_case()
    entries, leaves, uploads = case.journal.count(), LedgerLeaf.objects.count(), Upload.objects.count()
    for kind in COURT_KINDS:
        res = _post(bearer(who), case, kind=kind)
        assert res.status_code == 422, res.content
        body = res.json()
        assert body["code"] == "document_kind_not_allowed"
        assert body["data"]["kind"] == kind and body["data"]["issued_by"] == "court"
        assert "法院" in body["message"]  # says who issues it, in Chinese
    assert case.journal.count() == entries and LedgerLeaf.objects.count() == leaves
    assert Upload.objects.count() == uploads and not Document.objects.filter(case=case).exists()


def test_the_refusal_is_in_english_for_an_english_caller(defended_case, bearer):
    case = defended_case()
    pdf = simple_pdf(title="判决书")
    res = bearer("defendant").post(f"/api/v1/cases/{case.pk}/documents",
                                   {"file": SimpleUploadedFile("x.pdf", pdf), "title": "判决书", "kind": "judgment"},
                                   HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 422 and "issued by the court only" in res.json()["message"]


def test_party_kinds_still_go_in_and_the_court_may_file_a_court_kind(defended_case, bearer):
    case = defended_case()
    res = _post(bearer("defendant"), case, kind="defence", title="民事答辩状")
    assert res.status_code == 201, res.content
    assert res.json()["section"] == "04"
    assert _post(bearer("judge"), case, kind="judgment").status_code == 201


def test_the_web_form_offers_party_kinds_only_and_starts_on_the_defence(defended_case, client, users):
    case = defended_case()
    client.force_login(users["defendant"])
    html = client.get(f"/cases/{case.pk}/efile/").content.decode()
    form = html[html.index('data-testid="submit-kind"'):]
    form = form[:form.index("</select>")]
    for label in ("答辩状", "证据", "起诉状", "反诉状", "代理词", "申请书"):
        assert f">{label}</option>" in form
    for label in ("判决书", "裁定书", "调解书", "传票", "支付令", "受理通知书"):
        assert f">{label}</option>" not in form
    assert 'value="defence" selected' in form


def test_the_web_form_refuses_a_forged_kind_with_a_clear_message(defended_case, client, users):
    case = defended_case()
    client.force_login(users["defendant"])
    pdf = simple_pdf(title="民事判决书")
    res = client.post(f"/cases/{case.pk}/documents/new", {"file": SimpleUploadedFile("p.pdf", pdf),
                                                         "title": "民事判决书", "kind": "judgment"}, follow=True)
    assert "判决书由法院签发" in res.content.decode()
    assert not Document.objects.filter(case=case).exists()


def test_the_plaintiffs_default_is_evidence_and_the_judge_sees_every_kind(defended_case, client, users):
    case = defended_case()
    client.force_login(users["plaintiff"])
    html = client.get(f"/cases/{case.pk}/efile/").content.decode()
    assert 'value="evidence" selected' in html
    client.force_login(users["judge"])
    html = client.get(f"/cases/{case.pk}/efile/").content.decode()
    assert ">判决书</option>" in html and ">审理报告</option>" in html


def test_without_a_kind_the_api_files_the_submitters_default(defended_case, bearer):
    case = defended_case()
    pdf = simple_pdf(title="答辩状", body="被告对原告的诉讼请求有异议。")
    res = bearer("defendant").post(f"/api/v1/cases/{case.pk}/documents",
                                   {"file": SimpleUploadedFile("答辩状.pdf", pdf), "title": "民事答辩状"})
    assert res.status_code == 201, res.content
    assert res.json()["kind"] == "defence" and res.json()["section"] == "04"
