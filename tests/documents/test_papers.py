"""Papers on a real case: draft → edit → issue into the e-file → sign in order → seal; hand-signing; refusals."""

import io

import pytest
from PIL import Image, ImageDraw

from yunting.core.cases.errors import CaseNotFound
from yunting.core.efile.models import Document
from yunting.core.journal.models import JournalEntry
from yunting.core.journal.verify import journal_verify_case
from yunting.core.papers import services
from yunting.core.papers.models import Paper, PaperStatus
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.documents.signing import pki
from yunting.kernel.documents.signing.validate import pdf_validate

pytestmark = pytest.mark.django_db


def strokes_png() -> bytes:
    img = Image.new("RGBA", (400, 150), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(20, 100), (120, 30), (200, 110), (380, 40)], fill=(0, 0, 0, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def oversized_png(side: int = 13_000) -> bytes:
    """A blank 1-bit PNG: about 20 KB on the wire, 169 million pixels once decoded."""
    buf = io.BytesIO()
    Image.new("1", (side, side), 0).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def test_strokes_larger_than_any_pad_are_refused_before_decoding():
    from yunting.kernel.documents.signing.stamps import handwriting_stamp

    assert handwriting_stamp(strokes_png=strokes_png(), caption="张伟").size == (600, 240)
    big_pad = io.BytesIO()
    Image.new("RGBA", (2480, 1240), (255, 255, 255, 0)).save(big_pad, "PNG")
    assert handwriting_stamp(strokes_png=big_pad.getvalue(), caption="张伟").size == (600, 240)
    data = oversized_png()
    assert len(data) < 50_000
    with pytest.raises(ValueError, match="13000 × 13000"):
        handwriting_stamp(strokes_png=data, caption="张伟")


@pytest.fixture
def case(make_case):
    return make_case(participants=("judge", "clerk", "lawyer", "service_officer"))


def drafted_ruling(case, users):
    paper = services.paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    return services.paper_update(paper=paper, actor=users["judge"], values={
        "withdraw_date": "2026-11-25", "reasoning": "原告撤诉的申请符合法律规定，应予准许。", "fee": "2300",
    })


def test_draft_is_filled_from_the_case(case, users):
    paper = services.paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    v = paper.variables
    assert v["case_number"] == case.number and v["court_name"] == "深圳市宝安区人民法院"
    assert v["plaintiffs"] == "张伟" and v["defendants"] == "李娜" and v["judge_name"] == "王立明"
    assert v["clerk_name"] == "刘晓燕" and v["cause"] == "民间借贷纠纷"
    assert {"label": "委托诉讼代理人", "name": "黄志强", "detail": ""} in v["parties"]
    shown = [f.name for f in services.paper_form_fields(paper)]
    assert "reasoning" in shown and "fee" in shown and "case_number" not in shown


def test_issue_lands_in_efile_and_signs_in_order(case, users):
    paper = drafted_ruling(case, users)
    before = JournalEntry.objects.filter(case=case).count()
    paper = services.paper_issue(paper=paper, actor=users["judge"])
    assert paper.status == PaperStatus.ISSUED and paper.signed_slots == ["judge"]
    kinds = list(JournalEntry.objects.filter(case=case).order_by("seq").values_list("kind", flat=True))[before:]
    assert kinds == ["papers.issued", "papers.signed"]
    issued_doc = Document.objects.get(case=case, title="民事裁定书", entry__kind="papers.issued")
    assert issued_doc.kind == "ruling" and issued_doc.section.title == "裁判文书"
    assert "准许原告张伟撤回起诉" in issued_doc.text.replace(" ", "").replace("\n", "")

    with pytest.raises(Conflict) as err:  # the seal may not come before the clerk
        services.paper_seal(paper=paper, actor=users["court_admin"])
    assert err.value.code == "paper_sign_order"
    with pytest.raises(PermissionDenied):  # the clerk's slot is the clerk's
        services.paper_sign(paper=paper, actor=users["judge"])

    paper = services.paper_sign(paper=paper, actor=users["clerk"])
    with pytest.raises(PermissionDenied):  # seal authority is the court administrator's
        services.paper_seal(paper=paper, actor=users["clerk"])
    paper = services.paper_seal(paper=paper, actor=users["court_admin"])
    assert paper.status == PaperStatus.SEALED and paper.signed_slots == ["judge", "clerk", "seal"]

    report = pdf_validate(blob_read(paper.pdf_sha256), trust=pki.pki_trust())
    assert report.ok and [s.signer for s in report.signatures] == ["王立明", "刘晓燕", "深圳市宝安区人民法院"]
    assert Document.objects.filter(case=case, kind="ruling").count() == 4  # issued + three signed versions
    case.refresh_from_db()
    assert journal_verify_case(case) == []
    with pytest.raises(Conflict):
        services.paper_seal(paper=paper, actor=users["court_admin"])


def test_incomplete_draft_is_refused_and_nothing_changes(case, users):
    paper = services.paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    before = JournalEntry.objects.filter(case=case).count()
    with pytest.raises(ValidationFailed) as err:
        services.paper_issue(paper=paper, actor=users["judge"])
    assert {"reasoning", "fee", "withdraw_date"} <= set(err.value.data["fields"])
    paper.refresh_from_db()
    assert paper.status == PaperStatus.DRAFT and not paper.pdf_sha256
    assert JournalEntry.objects.filter(case=case).count() == before


def test_bad_edit_is_refused(case, users):
    paper = services.paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    with pytest.raises(ValidationFailed):
        services.paper_update(paper=paper, actor=users["judge"], values={"fee": "两千"})


@pytest.mark.parametrize("who", ["lawyer", "plaintiff", "defendant", "mediator"])
def test_outsiders_cannot_draft(case, users, who):
    with pytest.raises(CaseNotFound):
        services.paper_draft(case=case, template_code="judgment", actor=users[who])
    assert not Paper.objects.exists()


def test_issued_paper_cannot_be_edited(case, users):
    from django.utils import translation

    paper = services.paper_issue(paper=drafted_ruling(case, users), actor=users["judge"])
    with pytest.raises(Conflict) as refused, translation.override("zh-hans"):
        services.paper_update(paper=paper, actor=users["judge"], values={"reasoning": "改"})
    assert str(refused.value.message) == "文书已签发，不能修改"
    with pytest.raises(Conflict) as refused, translation.override("en"):  # the English UI gets English
        services.paper_update(paper=paper, actor=users["judge"], values={"reasoning": "改"})
    assert str(refused.value.message) == "This document has been issued and can no longer be changed."


def test_party_hand_signs_a_service_receipt(case, users):
    paper = services.paper_draft(case=case, template_code="service_receipt", actor=users["clerk"],
                                 values={"served_documents": [{"title": "受理案件通知书", "number": case.number}]})
    paper = services.paper_issue(paper=paper, actor=users["clerk"])
    assert paper.signed_slots == []  # the first slot is the recipient's
    with pytest.raises(PermissionDenied):
        services.paper_handsign(paper=paper, actor=users["clerk"], strokes_png=strokes_png())
    with pytest.raises(ValidationFailed):
        services.paper_handsign(paper=paper, actor=users["plaintiff"], strokes_png=b"GIF89a nope")
    with pytest.raises(ValidationFailed) as bomb:  # 20 KB that would decode to 169 million pixels
        services.paper_handsign(paper=paper, actor=users["plaintiff"], strokes_png=oversized_png())
    assert bomb.value.code == "paper_bad_strokes"
    assert not JournalEntry.objects.filter(case=case, kind="papers.handsigned").exists()
    paper = services.paper_handsign(paper=paper, actor=users["plaintiff"], strokes_png=strokes_png(),
                                    device="Mozilla/5.0 (iPad)", session_key="abc123")
    entry = JournalEntry.objects.filter(case=case, kind="papers.handsigned").get()
    assert entry.actor == users["plaintiff"]
    assert entry.payload["on_behalf_of"] == "张伟" and entry.payload["device"] == "Mozilla/5.0 (iPad)"
    assert len(entry.payload["session"]) == 64 and entry.payload["session"] != "abc123"
    paper = services.paper_sign(paper=paper, actor=users["clerk"])  # 送达人 (the clerk may serve)
    paper = services.paper_seal(paper=paper, actor=users["court_admin"])
    report = pdf_validate(blob_read(paper.pdf_sha256), trust=pki.pki_trust())
    assert report.ok
    assert [s.field for s in report.signatures] == ["recipient", "server", "seal"]
    assert report.signatures[0].signer == "云庭平台代签"


def test_strangers_cannot_hand_sign(case, users):
    paper = services.paper_draft(case=case, template_code="service_receipt", actor=users["clerk"],
                                 values={"served_documents": [{"title": "传票"}]})
    paper = services.paper_issue(paper=paper, actor=users["clerk"])
    from yunting.core.papers.errors import PaperNotFound

    with pytest.raises(PaperNotFound):
        services.paper_handsign(paper=paper, actor=users["defendant"], strokes_png=strokes_png())


def test_service_receipt_lists_the_papers_issued_so_far(case, users):
    notice = services.paper_issue(
        paper=services.paper_draft(case=case, template_code="response_notice", actor=users["clerk"]),
        actor=users["clerk"])
    receipt = services.paper_draft(case=case, template_code="service_receipt", actor=users["clerk"])
    assert receipt.variables["served_documents"] == [{"title": notice.title, "number": case.number}]


def test_hand_signing_takes_the_strokes_through_the_checked_intake(case, users):
    """A hostile drawing is refused by the intake's check (the Upload row shows it) with the paper's own code, and
    signs nothing; a drawing that passes is named on the journal by the blob the intake accepted."""
    import hashlib

    from yunting.core.efile.models import Upload, UploadStatus

    paper = services.paper_draft(case=case, template_code="service_receipt", actor=users["clerk"],
                                 values={"served_documents": [{"title": "受理案件通知书", "number": case.number}]})
    paper = services.paper_issue(paper=paper, actor=users["clerk"])
    with pytest.raises(ValidationFailed) as bomb:
        services.paper_handsign(paper=paper, actor=users["plaintiff"], strokes_png=oversized_png())
    assert bomb.value.code == "paper_bad_strokes" and "13000×13000" in str(bomb.value.message)
    refused = Upload.objects.get(pk=bomb.value.data["upload_id"])
    assert (refused.purpose, refused.status, refused.user) == ("paper_handsign", UploadStatus.REFUSED, users["plaintiff"])
    assert refused.problems[0]["code"] == "strokes_too_large"
    with pytest.raises(ValidationFailed) as renamed:  # a PDF sent as the strokes: refused before anything is stored
        services.paper_handsign(paper=paper, actor=users["plaintiff"], strokes_png=b"%PDF-1.7\n%renamed.png")
    assert renamed.value.code == "paper_bad_strokes"
    assert Upload.objects.filter(purpose="paper_handsign").count() == 1
    assert not JournalEntry.objects.filter(case=case, kind="papers.handsigned").exists()
    assert Paper.objects.get(pk=paper.pk).signed_slots == []

    png = strokes_png()
    services.paper_handsign(paper=paper, actor=users["plaintiff"], strokes_png=png)
    accepted = Upload.objects.get(purpose="paper_handsign", status=UploadStatus.ACCEPTED)
    entry = JournalEntry.objects.get(case=case, kind="papers.handsigned")
    assert entry.payload["strokes_sha256"] == accepted.document_id == hashlib.sha256(png).hexdigest()
    assert accepted.subject == f"paper:{paper.pk}" and accepted.intent == {"drawn": True}
