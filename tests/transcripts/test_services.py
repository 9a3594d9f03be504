"""The transcript from the clerk's first word to the signed PDF in the e-file: access, revisions, the review,
corrections, signatures with a one-time code, refusals, and the clocks that follow."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import ApplicationError
from yunting.workflows.transcripts import services as s
from yunting.workflows.transcripts.errors import TranscriptNotFound
from yunting.workflows.transcripts.models import Revision, Signoff, Transcript
from yunting.workflows.transcripts.selectors import access_transcript_for, transcript_json

pytestmark = pytest.mark.django_db
TEXT = "审判员：现在开庭。\n原告张伟：被告借款十万元，至今未还。\n被告：借款属实，但已还五万元。\n"


def ta(user, hearing, **kw):
    return access_transcript_for(user, hearing.pk, **kw)


@pytest.fixture
def opened(hearing, users, admitted):
    """Judge in the room, plaintiff admitted, defendant never comes; the clerk has typed the record."""
    admitted(users["judge"])
    admitted(users["plaintiff"])
    t = s.transcript_open(ta=ta(users["clerk"], hearing), actor=users["clerk"])
    return s.transcript_save(ta=ta(users["clerk"], hearing), actor=users["clerk"], text=TEXT, base_revision=t.revision)


@pytest.fixture
def in_review(opened, hearing, users):
    return s.transcript_review_start(ta=ta(users["clerk"], hearing), actor=users["clerk"])


def sign(user, hearing, sign_code, strokes, *, code=None):
    t = Transcript.objects.get(hearing=hearing)
    s.sign_code_send(ta=ta(user, hearing), actor=user)
    return s.transcript_sign(ta=ta(user, hearing), actor=user, strokes_png=strokes,
                             code=code or sign_code(user, t), device="pytest")


# --- who sees the live transcript --------------------------------------------------------------------------------
def test_only_admitted_participants_and_the_court_see_the_live_text(opened, hearing, users, cast):
    assert transcript_json(ta(users["plaintiff"], hearing))["text"] == TEXT  # admitted
    assert ta(users["clerk"], hearing).court
    with pytest.raises(TranscriptNotFound):  # seated, never admitted
        ta(users["defendant"], hearing)
    with pytest.raises(TranscriptNotFound):  # not on the case at all
        ta(users["lawyer"], hearing)
    with pytest.raises(TranscriptNotFound):  # a party cannot act as the court
        ta(users["plaintiff"], hearing, court=True)


def test_a_party_who_leaves_the_room_stops_seeing_it(opened, hearing, users, seat):
    from yunting.core.rooms.services import participant_leave

    participant_leave(participant=seat(users["plaintiff"]))
    with pytest.raises(TranscriptNotFound):
        ta(users["plaintiff"], hearing)


# --- drafting ----------------------------------------------------------------------------------------------------
def test_every_save_is_a_revision_and_a_stale_save_is_refused(opened, hearing, users):
    clerk = users["clerk"]
    assert list(Revision.objects.filter(transcript=opened).values_list("number", flat=True)) == [1]
    s.transcript_save(ta=ta(clerk, hearing), actor=clerk, text=TEXT + "审判员：休庭。\n", base_revision=1)
    with pytest.raises(ApplicationError) as err:  # another window still on revision 1
        s.transcript_save(ta=ta(clerk, hearing), actor=clerk, text="覆盖", base_revision=1)
    assert err.value.code == "transcript_stale"
    t = Transcript.objects.get(pk=opened.pk)
    assert t.revision == 2 and t.text.endswith("休庭。\n")
    with pytest.raises(ApplicationError):  # a party cannot type into the record
        s.transcript_save(ta=ta(users["plaintiff"], hearing), actor=users["plaintiff"], text="x", base_revision=2)


def test_starting_from_the_report_needs_a_report(hearing, users):
    with pytest.raises(ApplicationError) as err:
        s.transcript_open(ta=ta(users["clerk"], hearing), actor=users["clerk"], from_report=True)
    assert err.value.code == "transcript_no_report"
    assert not Transcript.objects.exists()


# --- review ------------------------------------------------------------------------------------------------------
def test_review_freezes_the_text_prints_absence_and_asks_who_appeared(in_review, hearing, users):
    t = in_review
    assert t.status == "review" and t.version == 1
    assert t.review_due is not None and t.review_due > date(2020, 1, 1)
    assert t.attendance["absent"] == ["被告李娜"]
    labels = list(Signoff.objects.filter(transcript=t).values_list("label", flat=True))
    assert labels == ["原告张伟", "审判员王立明", "书记员刘晓燕"]  # the absent defendant does not sign
    with pytest.raises(ApplicationError) as err:
        s.transcript_save(ta=ta(users["clerk"], hearing), actor=users["clerk"], text="改", base_revision=t.revision)
    assert err.value.code == "transcript_not_drafting"
    text = pdftotext(t)
    assert "被告李娜（缺席，未到庭）" in text and "借款属实" in text
    entry = JournalEntry.objects.get(case=hearing.case, kind="transcripts.review_started")
    assert entry.payload["absent"] == ["被告李娜"] and entry.payload["period"] == "transcript-read"


def test_leaving_mid_hearing_is_printed(hearing, users, admitted, seat):
    from yunting.core.rooms.services import participant_leave

    admitted(users["judge"])
    admitted(users["plaintiff"])
    participant_leave(participant=seat(users["plaintiff"]))
    t = s.transcript_open(ta=ta(users["clerk"], hearing), actor=users["clerk"])
    s.transcript_save(ta=ta(users["clerk"], hearing), actor=users["clerk"], text=TEXT, base_revision=t.revision)
    t = s.transcript_review_start(ta=ta(users["clerk"], hearing), actor=users["clerk"])
    assert t.attendance["left"] == ["原告张伟"] and t.attendance["absent"] == ["被告李娜"]
    assert "原告张伟（庭审中途退出）" in pdftotext(t)
    assert Signoff.objects.filter(transcript=t, user=users["plaintiff"]).exists()  # came, so signs


def test_corrections_accepted_and_refused_are_recorded_for_all(in_review, hearing, users, sign_code, strokes):
    plaintiff, clerk = users["plaintiff"], users["clerk"]
    sign(users["judge"], hearing, sign_code, strokes)  # the judge signed version 1 before the request
    with pytest.raises(ApplicationError) as err:
        s.correction_request(ta=ta(plaintiff, hearing), actor=plaintiff, passage="没说过的话", proposed="x")
    assert err.value.code == "transcript_passage_not_found"
    c1 = s.correction_request(ta=ta(plaintiff, hearing), actor=plaintiff, passage="至今未还", proposed="分文未还")
    c2 = s.correction_request(ta=ta(plaintiff, hearing), actor=plaintiff, passage="已还五万元", proposed="未还")
    with pytest.raises(ApplicationError) as err:  # refusing needs a reason
        s.correction_decide(ta=ta(clerk, hearing), actor=clerk, correction_id=c2.pk, accept=False)
    assert err.value.code == "transcript_reason_required"
    with pytest.raises(ApplicationError):  # a party cannot decide
        s.correction_decide(ta=ta(plaintiff, hearing), actor=plaintiff, correction_id=c1.pk, accept=True)
    s.correction_decide(ta=ta(clerk, hearing), actor=clerk, correction_id=c1.pk, accept=True)
    s.correction_decide(ta=ta(clerk, hearing), actor=clerk, correction_id=c2.pk, accept=False,
                        reason="被告当庭所述如此，原告可另行陈述")
    t = Transcript.objects.get(pk=in_review.pk)
    assert t.version == 2 and "分文未还" in t.text and "已还五万元" in t.text  # refused one not applied
    judge_line = Signoff.objects.get(transcript=t, user=users["judge"])
    assert judge_line.state == "pending" and judge_line.voided == 1  # signed the old text: signs again
    seen = transcript_json(ta(users["plaintiff"], hearing))["corrections"]
    assert [(c["state"], c["refusal_reason"], c["new_version"]) for c in seen] == [
        ("accepted", "", 2), ("refused", "被告当庭所述如此，原告可另行陈述", None)]
    kinds = list(JournalEntry.objects.filter(case=hearing.case, kind__startswith="transcripts.correction")
                 .values_list("kind", flat=True))
    assert kinds == ["transcripts.correction_requested"] * 2 + ["transcripts.correction_accepted",
                                                                "transcripts.correction_refused"]
    assert "笔录第2版" in pdftotext(t) and "分文未还" in pdftotext(t)


# --- signing -----------------------------------------------------------------------------------------------------
def test_a_wrong_code_signs_nothing_and_five_lock(in_review, hearing, users, strokes):
    plaintiff = users["plaintiff"]
    s.sign_code_send(ta=ta(plaintiff, hearing), actor=plaintiff)
    before = Transcript.objects.get(pk=in_review.pk).pdf_sha256
    for attempt in range(1, 6):
        with pytest.raises(ApplicationError) as err:
            s.transcript_sign(ta=ta(plaintiff, hearing), actor=plaintiff, strokes_png=strokes, code="000000")
        line = Signoff.objects.get(transcript=in_review, user=plaintiff)
        assert line.otp_failures == attempt and line.state == "pending"
    assert err.value.code == "transcript_sign_locked" and line.locked_at is not None
    assert Transcript.objects.get(pk=in_review.pk).pdf_sha256 == before
    assert not JournalEntry.objects.filter(case=hearing.case, kind="transcripts.signed").exists()
    with pytest.raises(ApplicationError) as err:  # even asking for a new code is refused while locked
        s.sign_code_send(ta=ta(plaintiff, hearing), actor=plaintiff)
    assert err.value.code == "transcript_sign_locked"
    s.signoff_unlock(ta=ta(users["clerk"], hearing), actor=users["clerk"], signoff_id=line.pk)
    assert Signoff.objects.get(pk=line.pk).locked_at is None


def test_a_signature_without_strokes_is_refused(in_review, hearing, users, sign_code):
    with pytest.raises(ApplicationError) as err:
        sign(users["plaintiff"], hearing, sign_code, b"not a png")
    assert err.value.code == "transcript_bad_strokes"
    assert Signoff.objects.get(transcript=in_review, user=users["plaintiff"]).state == "pending"


def test_everyone_signs_or_refuses_then_the_signed_pdf_is_in_the_efile(in_review, hearing, users, sign_code,
                                                                       strokes, tmp_path):
    from yunting.core.efile.models import Document
    from yunting.core.efile.provenance import issuer_of
    from yunting.kernel.blobs.store import blob_read
    from yunting.kernel.documents.signing import pki
    from yunting.kernel.documents.signing.validate import pdf_validate

    sign(users["plaintiff"], hearing, sign_code, strokes)
    with pytest.raises(ApplicationError) as err:
        sign(users["plaintiff"], hearing, sign_code, strokes)
    assert err.value.code in ("transcript_already_answered", "otp_cooldown")
    sign(users["judge"], hearing, sign_code, strokes)
    with pytest.raises(ApplicationError) as err:  # a refusal needs its reason
        s.transcript_refuse(ta=ta(users["clerk"], hearing), actor=users["clerk"], reason=" ")
    assert err.value.code == "transcript_reason_required"
    assert not Document.objects.filter(case=hearing.case, kind="hearing_transcript").exists()
    sign(users["clerk"], hearing, sign_code, strokes)
    t = Transcript.objects.get(pk=in_review.pk)
    assert t.status == "completed"
    doc = Document.objects.get(case=hearing.case, kind="hearing_transcript")
    assert doc.blob_id == t.pdf_sha256 and doc.section.volume == "main"
    entry = JournalEntry.objects.get(case=hearing.case, kind="transcripts.completed")
    assert entry.actor_id is None and entry.payload["signed"] == 3
    assert issuer_of(entry_kind=entry.kind, capacity="court", document_kind=doc.kind) == "court"
    pdf = blob_read(t.pdf_sha256)
    report = pdf_validate(pdf, trust=pki.pki_trust())
    assert [x.field for x in report.signatures] == ["sig1", "sig2", "sig3"]
    assert report.ok, [x.problems for x in report.signatures]
    assert [x.signer for x in report.signatures] == ["云庭平台代签", "王立明", "刘晓燕"]
    assert_fonts_embedded(pdf, tmp_path)
    if shutil.which("pdfsig"):
        path = tmp_path / "t.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
        assert out.count("Signature Validation: Signature is Valid.") == 3, out


def test_a_refusal_is_recorded_and_printed_in_the_signed_pdf(in_review, hearing, users, sign_code, strokes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from yunting.kernel.blobs.store import blob_read

    s.transcript_refuse(ta=ta(users["plaintiff"], hearing), actor=users["plaintiff"], reason="记录不完整")
    line = Signoff.objects.get(transcript=in_review, user=users["plaintiff"])
    assert line.state == "refused" and line.refusal_reason == "记录不完整"
    with pytest.raises(ApplicationError):  # refused: cannot also sign this version
        sign(users["plaintiff"], hearing, sign_code, strokes)
    sign(users["judge"], hearing, sign_code, strokes)
    sign(users["clerk"], hearing, sign_code, strokes)
    t = Transcript.objects.get(pk=in_review.pk)
    assert t.status == "completed"
    sigs = PdfFileReader(__import__("io").BytesIO(blob_read(t.pdf_sha256))).embedded_signatures
    reasons = {sig.field_name: str(sig.sig_object.get("/Reason")) for sig in sigs}
    assert reasons["sig1"] == "原告张伟拒绝签名，理由：记录不完整"
    entry = JournalEntry.objects.get(case=hearing.case, kind="transcripts.refused")
    assert entry.payload["reason"] == "记录不完整" and entry.payload["signer"] == "原告张伟"
    assert JournalEntry.objects.get(case=hearing.case, kind="transcripts.completed").payload["refused"] == 1


def test_the_clerk_records_an_absent_signers_refusal(in_review, hearing, users):
    line = Signoff.objects.get(transcript=in_review, user=users["plaintiff"])
    with pytest.raises(ApplicationError):  # a party cannot record someone else's refusal
        s.transcript_refuse(ta=ta(users["plaintiff"], hearing), actor=users["plaintiff"], reason="x",
                            signoff_id=line.pk)
    s.transcript_refuse(ta=ta(users["clerk"], hearing), actor=users["clerk"], reason="经电话通知拒绝签名",
                        signoff_id=line.pk)
    entry = JournalEntry.objects.get(case=hearing.case, kind="transcripts.refused")
    assert entry.payload["recorded_by"] == "刘晓燕"


def test_after_the_review_starts_only_signers_see_it(in_review, hearing, users):
    assert ta(users["plaintiff"], hearing).signoff is not None
    with pytest.raises(TranscriptNotFound):
        ta(users["defendant"], hearing)  # absent: not asked to sign, and never admitted


# --- pronouncement -----------------------------------------------------------------------------------------------
def test_pronouncement_starts_the_ten_day_clock(hearing, users):
    from yunting.core.clocks.selectors import deadlines_for

    with pytest.raises(ApplicationError):  # the clerk does not pronounce judgments
        s.judgment_pronounce(ta=ta(users["clerk"], hearing), actor=users["clerk"])
    s.judgment_pronounce(ta=ta(users["judge"], hearing), actor=users["judge"], on=date(2026, 9, 25))
    item = next(d for d in deadlines_for(hearing.case, today=date(2026, 9, 26)) if d.kind == "judgment-send")
    # 10 days from 2026-09-25 is 2026-10-05, inside the National Day holiday: the next working day (10-08)
    assert item.due == date(2026, 10, 8) and item.status != "done"
    assert "第一百五十一条" in item.basis
    from yunting.core.journal.services import journal_append

    journal_append(case=hearing.case, kind="service.completed", actor=users["clerk"],
                   payload={"document_kind": "judgment", "served_on": "2026-09-28"})
    item = next(d for d in deadlines_for(hearing.case, today=date(2026, 9, 29)) if d.kind == "judgment-send")
    assert item.status == "done" and "2026-09-28" in item.note


# --- helpers -----------------------------------------------------------------------------------------------------
def pdftotext(t: Transcript) -> str:
    from yunting.kernel.blobs.store import blob_read

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils missing")
    out = subprocess.run(["pdftotext", "-", "-"], input=blob_read(t.pdf_sha256), capture_output=True,
                         check=True).stdout.decode()
    return out.replace("\n", "")  # lines wrap anywhere in Chinese


def assert_fonts_embedded(pdf: bytes, tmp_path) -> None:
    if not shutil.which("pdffonts"):
        return
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    emb = out[0].index("emb")
    found = [line[emb:emb + 3].strip() for line in out[2:] if line.strip()]
    assert found and all(e == "yes" for e in found), out
