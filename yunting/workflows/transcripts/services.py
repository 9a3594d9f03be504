"""Writes of the hearing transcript: open, save (every save a revision), speech suggestions, start the review,
corrections, signatures and refusals, completion into the e-file; and the pronouncement of a judgment.

Each act is one transaction with its journal entry. The PDF under review carries one empty signature field per
signer; each signature (or refusal) is an incremental PAdES revision, so earlier ones stay valid, and an accepted
correction renders a new version whose signatures start again (the old answers are kept, counted as voided).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.choices import CaseRole
from yunting.core.efile.intake import strokes_through_intake
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.asr import AsrEngine, asr_engine
from yunting.kernel.blobs.store import blob_put_bytes, blob_read
from yunting.kernel.calendar.periods import compute
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today
from yunting.kernel.documents.library import Slot, SlotKind, template_get
from yunting.kernel.documents.render import render_pdf
from yunting.kernel.documents.signing import stamps
from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign

from . import entries, errors, live
from .models import Correction, Revision, Signoff, Suggestion, Transcript, TranscriptStatus
from .selectors import COURT_ROLES, TranscriptAccess, hearing_stage

MAX_TEXT = 200_000
PDF = {"application/pdf"}
OTP_PURPOSE = "transcript"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _now_label() -> str:
    return f"{timezone.now().astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def _locked(transcript: Transcript) -> Transcript:
    return Transcript.objects.select_for_update(of=("self",)).select_related("case", "case__court", "hearing").get(
        pk=transcript.pk)


def _payload(t: Transcript, **more) -> dict:
    return {"transcript_id": t.pk, "hearing_id": t.hearing_id, **more}


def _push(t: Transcript, kind: str, **more) -> None:
    live.publish(t.hearing_id, {"type": kind, "hearing_id": t.hearing_id, "status": t.status,
                                "revision": t.revision, "version": t.version, **more})


# --- drafting --------------------------------------------------------------------------------------------------
@transaction.atomic
def transcript_open(*, ta: TranscriptAccess, actor, from_report: bool = False) -> Transcript:
    """Open the hearing's transcript (once). `from_report`: start from the disputed points of the asynchronous
    cross-examination report, so the hearing covers only what is still disputed."""
    if not ta.court:
        raise errors.court_only()
    existing = Transcript.objects.filter(hearing=ta.hearing).first()
    if existing is not None:
        return existing
    text = ""
    if from_report:
        from yunting.workflows.asynctrial.selectors import disputed_points

        points = disputed_points(ta.hearing.case)["text"]
        if not points:
            raise errors.invalid(_("This case has no asynchronous cross-examination report to start from."),
                                 "transcript_no_report")
        text = "【异步质证争议焦点】\n" + points + "\n"
    t = Transcript.objects.create(hearing=ta.hearing, case=ta.hearing.case, text=text, created_by=actor,
                                  revision=1 if text else 0)
    if text:
        Revision.objects.create(transcript=t, number=1, text=text, text_digest=_digest(text), author=actor)
    journal_append(case=t.case, kind=entries.OPENED, actor=actor,
                   payload=_payload(t, text_from="asynctrial_report" if text else "blank"))
    _push(t, "transcript", text=t.text)
    return t


def _clean_text(text) -> str:
    if not isinstance(text, str):
        raise errors.invalid(_("The transcript text is missing."), "transcript_bad_text")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if len(text) > MAX_TEXT:
        raise errors.invalid(_("The transcript is too long (at most %(n)d characters).") % {"n": MAX_TEXT},
                             "transcript_too_long")
    return text


@transaction.atomic
def transcript_save(*, ta: TranscriptAccess, actor, text: str, base_revision: int) -> Transcript:
    """Autosave: a new revision if the text changed. `base_revision` is the revision the editor started from;
    a save on top of someone else's newer one is refused (nothing is overwritten unseen)."""
    if not ta.court:
        raise errors.court_only()
    text = _clean_text(text)
    t = _locked(ta.transcript)
    if t.status != TranscriptStatus.DRAFTING:
        raise errors.not_drafting()
    if int(base_revision) != t.revision:
        raise errors.stale(t.revision)
    if text == t.text:
        return t
    t.revision += 1
    t.text = text
    t.save(update_fields=["text", "revision", "updated_at"])
    Revision.objects.create(transcript=t, number=t.revision, text=text, text_digest=_digest(text), author=actor)
    _push(t, "transcript", text=text)
    return t


def transcript_recognise(*, ta: TranscriptAccess, actor, audio: bytes, sample_rate: int,
                         engine: AsrEngine | None = None) -> list[Suggestion]:
    """Run speech recognition over a chunk of the hearing's audio; what it hears becomes suggestions the clerk
    accepts or dismisses — never text in the transcript by itself."""
    if not ta.court:
        raise errors.court_only()
    if ta.transcript is None or ta.transcript.status != TranscriptStatus.DRAFTING:
        raise errors.not_drafting()
    engine = engine or asr_engine()
    segments = engine.recognise(audio, sample_rate)  # outside the transaction: recognition can take seconds
    with transaction.atomic():
        made = [Suggestion.objects.create(transcript=ta.transcript, text=s.text[:5000], start=s.start, end=s.end,
                                          engine=engine.name) for s in segments if s.text.strip()]
    return made


@transaction.atomic
def suggestion_decide(*, ta: TranscriptAccess, actor, suggestion_id, accept: bool, speaker: str = "",
                      text: str | None = None) -> Transcript:
    """Accept (appended as a new line, "speaker：text", optionally edited) or dismiss one suggestion."""
    if not ta.court:
        raise errors.court_only()
    t = _locked(ta.transcript)
    if t.status != TranscriptStatus.DRAFTING:
        raise errors.not_drafting()
    s = Suggestion.objects.select_for_update().filter(pk=suggestion_id, transcript=t).first()
    if s is None or s.state != Suggestion.State.PENDING:
        raise errors.invalid(_("This suggestion was already handled."), "transcript_suggestion_gone")
    s.state = Suggestion.State.ACCEPTED if accept else Suggestion.State.DISMISSED
    s.decided_by, s.speaker = actor, (speaker or "")[:40]
    s.save(update_fields=["state", "decided_by", "speaker"])
    if not accept:
        return t
    line = (text if text is not None else s.text).strip()
    line = f"{speaker}：{line}" if speaker else line
    new = (t.text.rstrip("\n") + "\n" + line + "\n") if t.text.strip() else line + "\n"
    t.revision += 1
    t.text = _clean_text(new)
    t.save(update_fields=["text", "revision", "updated_at"])
    Revision.objects.create(transcript=t, number=t.revision, text=t.text, text_digest=_digest(t.text), author=actor)
    _push(t, "transcript", text=t.text)
    return t


# --- the review ------------------------------------------------------------------------------------------------
def _attendance(hearing) -> dict:
    """{present, absent, left}: labels from the hearing's attendance (hearings reads it from the room's journal
    trail: never appeared, left before the end, present to the end)."""
    from yunting.workflows.hearings.selectors import hearing_attendance

    rows = hearing_attendance(hearing)
    out = {"present": [], "absent": [], "left": [], "users": {}}
    for r in rows:
        label = f"{r.get('seat_label') or ''}{r.get('name') or ''}"
        status = r.get("status")
        key = {"never_appeared": "absent", "left_mid_hearing": "left"}.get(status, "present")
        out[key].append(label)
        if r.get("user_id"):
            out["users"][str(r["user_id"])] = {"status": key, "seat": r.get("seat") or "",
                                               "seat_label": r.get("seat_label") or "", "name": r.get("name") or ""}
    return out


SEAT_ORDER = {"plaintiff": 1, "plaintiff_agent": 2, "applicant": 1, "defendant": 3, "defendant_agent": 4,
              "respondent": 3, "third_party": 5, "witness": 6, "appraiser": 7, "interpreter": 8}


def _signers(t: Transcript, attendance: dict) -> list[dict]:
    """Who signs: everyone on an account who took part in the case and appeared (parties, lawyers, witnesses on
    the case), then the judge and the clerk. Someone who never appeared is printed as absent instead."""
    from yunting.core.cases.models import Participation

    case = t.case
    court_users = {}
    for p in Participation.objects.filter(case=case, role__in=COURT_ROLES).select_related("user").order_by("id"):
        court_users.setdefault(p.role, p.user)
    judge = t.hearing.judge or court_users.get(CaseRole.PRESIDING_JUDGE) or court_users.get(CaseRole.JUDGE)
    clerk = court_users.get(CaseRole.CLERK) or t.created_by
    case_users = set(Participation.objects.filter(case=case).values_list("user_id", flat=True))
    out, seen = [], set()
    for user_id, info in attendance["users"].items():
        uid = int(user_id)
        if info["status"] == "absent" or uid not in case_users or uid in {getattr(judge, "pk", None), clerk.pk}:
            continue
        if info["seat"] in ("presiding_judge", "judge", "assessor", "clerk", "judge_assistant"):
            continue
        seen.add(uid)
        out.append({"user_id": uid, "role": info["seat"], "label": f"{info['seat_label']}{info['name']}",
                    "order": SEAT_ORDER.get(info["seat"], 9)})
    out.sort(key=lambda s: (s["order"], s["user_id"]))
    if judge is not None:
        out.append({"user_id": judge.pk, "role": "judge", "label": f"审判员{judge.display_name}", "order": 20})
    if clerk.pk != getattr(judge, "pk", None):
        out.append({"user_id": clerk.pk, "role": "clerk", "label": f"书记员{clerk.display_name}", "order": 21})
    return out


def _render(t: Transcript, signoffs: list[Signoff]) -> bytes:
    """The version under review as PDF: hearing_transcript with one signature field per signer."""
    from yunting.core.papers.context import paper_defaults

    tpl = template_get("hearing_transcript")
    slots = tuple(Slot(s.slot, s.label, SlotKind.HANDWRITING, 50, 20) for s in signoffs)
    tpl = replace(tpl, slots=slots)
    hearing = t.hearing
    values = paper_defaults(t.case, tpl)
    att = t.attendance or {}
    values |= {
        "held_at": hearing.starts_at or t.created_at, "place": getattr(hearing.courtroom, "name", "") or values.get(
            "place", "本院在线法庭（云庭）"),
        "record": t.text or "（无记录）", "attendees": "，".join(att.get("present") or []) or values.get("attendees", ""),
        "absences": "；".join([*(f"{x}（缺席，未到庭）" for x in att.get("absent") or []),
                              *(f"{x}（庭审中途退出）" for x in att.get("left") or [])]),
        "version_note": f"笔录第{t.version}版（{_now_label()}）" if t.version > 1 else "",
        "signers": [{"label": s.label, "slot": s.slot} for s in signoffs],
        "issue_date": shanghai_today(),
    }
    return render_pdf(tpl, values).pdf


def _rerender(t: Transcript) -> None:
    signoffs = list(Signoff.objects.filter(transcript=t).order_by("order", "id"))
    t.pdf_sha256 = blob_put_bytes(_render(t, signoffs), allowed=PDF).sha256


@transaction.atomic
def transcript_review_start(*, ta: TranscriptAccess, actor, today: date | None = None) -> Transcript:
    """The hearing is over: freeze the text as version 1, print who was absent or left, and ask every signer to
    read and sign within the period (CPL art 150: 当庭或者在五日内阅读)."""
    if not ta.court:
        raise errors.court_only()
    t = _locked(ta.transcript)
    if t.status != TranscriptStatus.DRAFTING:
        raise errors.not_drafting()
    if not t.text.strip():
        raise errors.invalid(_("The transcript is empty."), "transcript_empty")
    attendance = _attendance(t.hearing)
    t.attendance = {k: v for k, v in attendance.items() if k != "users"}
    day = today or shanghai_today()
    period = getattr(settings, "TRANSCRIPT_REVIEW_PERIOD", "transcript-read")
    due = compute(period, day, explain=False).due
    t.status, t.version, t.review_started_at, t.review_due = TranscriptStatus.REVIEW, 1, timezone.now(), due
    signers = _signers(t, attendance)
    Signoff.objects.bulk_create([Signoff(transcript=t, user_id=s["user_id"], role=s["role"], label=s["label"],
                                         order=i, slot=f"sig{i + 1}") for i, s in enumerate(signers)])
    t.revision += 1
    Revision.objects.create(transcript=t, number=t.revision, kind=Revision.Kind.REVIEW, text=t.text,
                            text_digest=_digest(t.text), author=actor)
    _rerender(t)
    t.save(update_fields=["status", "version", "review_started_at", "review_due", "attendance", "revision",
                          "pdf_sha256", "updated_at"])
    journal_append(case=t.case, kind=entries.REVIEW_STARTED, actor=actor, payload=_payload(
        t, version=1, text_digest=_digest(t.text), due=due.isoformat(), period=period,
        signers=[{"user_id": s["user_id"], "label": s["label"]} for s in signers],
        absent=t.attendance["absent"], left=t.attendance["left"]))
    _push(t, "review", text=t.text)
    return t


@transaction.atomic
def correction_request(*, ta: TranscriptAccess, actor, passage: str, proposed: str, note: str = "") -> Correction:
    """A signer asks to correct a passage. Kept beside the text for everyone to see until the clerk decides."""
    t = _locked(ta.transcript)
    if t.status != TranscriptStatus.REVIEW:
        raise errors.not_in_review()
    signoff = Signoff.objects.filter(transcript=t, user=actor).first()
    if signoff is None and not ta.court:
        raise errors.not_signer()
    passage, proposed = (passage or "").strip(), (proposed or "").strip()
    if not passage or passage not in t.text:
        raise errors.invalid(_("Quote the words to correct exactly as they stand in the transcript."),
                             "transcript_passage_not_found", field="passage")
    if not proposed or proposed == passage or len(proposed) > 5000:
        raise errors.invalid(_("Write what the passage should say instead."), "transcript_bad_proposal",
                             field="proposed")
    label = signoff.label if signoff else actor.display_name
    c = Correction.objects.create(transcript=t, requester=actor, requester_label=label, version=t.version,
                                  passage=passage, proposed=proposed, note=(note or "")[:500])
    journal_append(case=t.case, kind=entries.CORRECTION_REQUESTED, actor=actor, payload=_payload(
        t, correction_id=c.pk, version=t.version, requester=label, passage=passage, proposed=proposed))
    _push(t, "corrections")
    return c


@transaction.atomic
def correction_decide(*, ta: TranscriptAccess, actor, correction_id, accept: bool, reason: str = "") -> Correction:
    """The clerk (or judge) accepts a correction — a new version, every signature starting again — or records
    why not (the reason is shown to everyone and stays on the journal)."""
    if not ta.court:
        raise errors.court_only()
    t = _locked(ta.transcript)
    if t.status != TranscriptStatus.REVIEW:
        raise errors.not_in_review()
    c = Correction.objects.select_for_update().filter(pk=correction_id, transcript=t).first()
    if c is None or c.state != Correction.State.PENDING:
        raise errors.invalid(_("This correction was already decided."), "transcript_correction_decided")
    reason = (reason or "").strip()
    c.decided_by, c.decided_at = actor, timezone.now()
    if not accept:
        if not reason:
            raise errors.invalid(_("Give the reason for not accepting the correction."),
                                 "transcript_reason_required", field="reason")
        c.state, c.refusal_reason = Correction.State.REFUSED, reason[:500]
        c.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
        journal_append(case=t.case, kind=entries.CORRECTION_REFUSED, actor=actor,
                       payload=_payload(t, correction_id=c.pk, reason=c.refusal_reason))
        _push(t, "corrections")
        return c
    if c.passage not in t.text:
        raise errors.invalid(_("The passage is no longer in the transcript (another correction changed it)."),
                             "transcript_passage_not_found")
    t.text = t.text.replace(c.passage, c.proposed, 1)
    t.version += 1
    t.revision += 1
    Revision.objects.create(transcript=t, number=t.revision, kind=Revision.Kind.CORRECTION, text=t.text,
                            text_digest=_digest(t.text), author=actor)
    # everyone answered the old text: they read and answer again (their earlier answer is counted, not lost)
    Signoff.objects.filter(transcript=t).exclude(state=Signoff.State.PENDING).update(
        state=Signoff.State.PENDING, voided=F("voided") + 1, answered_at=None, refusal_reason="", version=None,
        strokes_sha256="", certificate_serial="")
    _rerender(t)
    t.save(update_fields=["text", "version", "revision", "pdf_sha256", "updated_at"])
    c.state, c.new_version = Correction.State.ACCEPTED, t.version
    c.save(update_fields=["state", "decided_by", "decided_at", "new_version"])
    journal_append(case=t.case, kind=entries.CORRECTION_ACCEPTED, actor=actor,
                   payload=_payload(t, correction_id=c.pk, version=t.version, text_digest=_digest(t.text)))
    _push(t, "review", text=t.text)
    return c


# --- signing ---------------------------------------------------------------------------------------------------
def _my_signoff(t: Transcript, actor) -> Signoff:
    s = Signoff.objects.filter(transcript=t, user=actor).first()
    if s is None:
        raise errors.not_signer()
    return s


def _phone(actor) -> str:
    if not getattr(actor, "phone", ""):
        raise errors.invalid(_("There is no mobile number to send the code to."), "transcript_no_phone")
    return actor.phone


def sign_code_send(*, ta: TranscriptAccess, actor):
    """Send the one-time code that confirms the signature (the "fingerprint-style" second factor)."""
    from yunting.kernel.notify.services import otp_issue

    t = ta.transcript
    if t is None or t.status != TranscriptStatus.REVIEW:
        raise errors.not_in_review()
    s = _my_signoff(t, actor)
    if s.locked_at is not None:
        raise errors.locked()
    return otp_issue(phone=_phone(actor), purpose=f"{OTP_PURPOSE}:{t.pk}")


def _check_code(t: Transcript, s: Signoff, actor, code: str):
    """The code against notify's latest one; a wrong one is counted on the signature line in its own
    transaction (kept even though the signing fails), and the fifth locks signing until the clerk unlocks it."""
    from yunting.kernel.notify.services import otp_verify

    max_failures = int(getattr(settings, "TRANSCRIPT_SIGN_MAX_FAILURES", 5))
    try:
        return otp_verify(phone=_phone(actor), purpose=f"{OTP_PURPOSE}:{t.pk}", code=code)
    except ValidationFailed as exc:
        if exc.code not in ("otp_wrong", "otp_locked", "otp_format"):
            raise
        with transaction.atomic(durable=True):
            Signoff.objects.filter(pk=s.pk).update(otp_failures=F("otp_failures") + 1)
            failures = Signoff.objects.get(pk=s.pk).otp_failures
            if failures >= max_failures:
                Signoff.objects.filter(pk=s.pk, locked_at__isnull=True).update(locked_at=timezone.now())
        if failures >= max_failures:
            raise errors.locked() from None
        raise


def _bad_strokes(message: str = "") -> ValidationFailed:
    return errors.invalid(message or _("The handwritten signature is missing or not a PNG image."),
                          "transcript_bad_strokes", field="strokes")


def transcript_sign(*, ta: TranscriptAccess, actor, strokes_png: bytes, code: str, device: str = "") -> Signoff:
    """Sign the version under review: the handwritten strokes, the one-time code, then a PAdES signature in the
    signer's field (court staff with their own certificate; others by the platform on their behalf, the act on
    the journal). When everyone has answered, the signed transcript goes into the e-file."""
    from yunting.core.papers.services import cert_for_platform, cert_for_user
    from yunting.kernel.notify.services import otp_consume

    t = ta.transcript
    if t is None or t.status != TranscriptStatus.REVIEW:
        raise errors.not_in_review()
    s = _my_signoff(t, actor)
    if s.locked_at is not None:
        raise errors.locked()
    if s.state != Signoff.State.PENDING:
        raise errors.already_answered()
    verification = _check_code(t, s, actor, code)
    strokes = strokes_through_intake(png=strokes_png, user=actor, purpose="transcript_sign",
                                     subject=f"transcript:{t.pk}", invalid=_bad_strokes)
    with transaction.atomic():
        t = _locked(t)
        s = Signoff.objects.select_for_update().get(pk=s.pk)
        if t.status != TranscriptStatus.REVIEW:
            raise errors.not_in_review()
        if s.state != Signoff.State.PENDING or s.locked_at is not None:
            raise errors.already_answered()
        otp_consume(verification=verification)
        court = s.role in ("judge", "clerk")
        cert = cert_for_user(actor, t.case.court) if court else cert_for_platform(t.case.court)
        try:
            image = stamps.handwriting_stamp(strokes_png=strokes.png, caption=f"{s.label} {_now_label()}")
        except Exception:
            raise _bad_strokes() from None
        reason = f"{s.label}签名确认笔录第{t.version}版" + ("" if court else "（平台代为数字签名）")
        pdf = pdf_sign(blob_read(t.pdf_sha256), cert=cert, request=SignRequest(
            s.slot, reason=reason, location=t.case.court.name, image=image))
        t.pdf_sha256 = blob_put_bytes(pdf, allowed=PDF).sha256
        t.save(update_fields=["pdf_sha256", "updated_at"])
        s.state, s.version, s.answered_at = Signoff.State.SIGNED, t.version, timezone.now()
        s.strokes_sha256 = strokes.sha256  # the blob the intake accepted
        s.certificate_serial, s.device = cert.serial, (device or "")[:300]
        s.save(update_fields=["state", "version", "answered_at", "strokes_sha256", "certificate_serial", "device"])
        journal_append(case=t.case, kind=entries.SIGNED, actor=actor, payload=_payload(
            t, signer=s.label, version=t.version, certificate_serial=cert.serial, strokes_sha256=s.strokes_sha256,
            device=s.device, second_factor="otp"))
        _complete_if_done(t)
        _push(t, "signoffs")
    return s


@transaction.atomic
def transcript_refuse(*, ta: TranscriptAccess, actor, reason: str, signoff_id=None) -> Signoff:
    """A signer refuses to sign (or the clerk records that they refused): the reason is printed into their
    signature field by the platform's PAdES signature and kept on the journal (CPL art 150)."""
    from yunting.core.papers.services import cert_for_platform

    t = _locked(ta.transcript)
    if t.status != TranscriptStatus.REVIEW:
        raise errors.not_in_review()
    if signoff_id is not None:
        if not ta.court:
            raise errors.court_only()
        s = Signoff.objects.select_for_update().filter(pk=signoff_id, transcript=t).first()
        if s is None:
            raise errors.not_signer()
    else:
        s = Signoff.objects.select_for_update().filter(pk=_my_signoff(t, actor).pk).get()
    if s.state != Signoff.State.PENDING:
        raise errors.already_answered()
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("Give the reason for refusing to sign."), "transcript_reason_required",
                             field="reason")
    reason = reason[:500]
    image = stamps.person_stamp(name="拒绝签名", caption=f"{s.label}：{reason[:14]}")
    pdf = pdf_sign(blob_read(t.pdf_sha256), cert=cert_for_platform(t.case.court), request=SignRequest(
        s.slot, reason=f"{s.label}拒绝签名，理由：{reason}", location=t.case.court.name, image=image))
    t.pdf_sha256 = blob_put_bytes(pdf, allowed=PDF).sha256
    t.save(update_fields=["pdf_sha256", "updated_at"])
    s.state, s.version, s.answered_at, s.refusal_reason = Signoff.State.REFUSED, t.version, timezone.now(), reason
    s.save(update_fields=["state", "version", "answered_at", "refusal_reason"])
    journal_append(case=t.case, kind=entries.REFUSED, actor=actor, payload=_payload(
        t, signer=s.label, version=t.version, reason=reason, recorded_by=actor.display_name))
    _complete_if_done(t)
    _push(t, "signoffs")
    return s


@transaction.atomic
def signoff_unlock(*, ta: TranscriptAccess, actor, signoff_id) -> Signoff:
    """The clerk reopens signing for someone locked out by wrong codes (after checking who they are)."""
    if not ta.court:
        raise errors.court_only()
    s = Signoff.objects.select_for_update().filter(pk=signoff_id, transcript=ta.transcript).first()
    if s is None:
        raise errors.not_signer()
    s.locked_at, s.otp_failures = None, 0
    s.save(update_fields=["locked_at", "otp_failures"])
    return s


def _complete_if_done(t: Transcript) -> None:
    """Everyone signed or refused: the signed PDF goes into the e-file as court-issued material (正卷), appended
    by the platform itself so that no party's act makes it look like a party's submission."""
    states = list(Signoff.objects.filter(transcript=t).values_list("state", flat=True))
    if not states or Signoff.State.PENDING in states:
        return
    t.status, t.completed_at = TranscriptStatus.COMPLETED, timezone.now()
    t.save(update_fields=["status", "completed_at", "updated_at"])
    journal_append(case=t.case, kind=entries.COMPLETED, actor=None, payload=_payload(
        t, version=t.version, signed=states.count(Signoff.State.SIGNED),
        refused=states.count(Signoff.State.REFUSED)),
        documents=[DocumentInput(sha256=t.pdf_sha256, title="庭审笔录", kind="hearing_transcript",
                                 filename=f"庭审笔录-第{t.version}版.pdf")])


# --- pronouncement ---------------------------------------------------------------------------------------------
@transaction.atomic
def judgment_pronounce(*, ta: TranscriptAccess, actor, on: date | None = None):
    """The judge records that the judgment was pronounced in court (当庭宣判): the court must send the judgment
    within 10 days (CPL art 151), a clock on the case that ends when service of the judgment is registered."""
    from yunting.core.cases.access import Capability

    roles = ta.access.roles
    if not roles & {CaseRole.JUDGE, CaseRole.PRESIDING_JUDGE} or not ta.access.can(Capability.WRITE_JOURNAL):
        raise errors.invalid(_("Only the judge can record a pronouncement."), "transcript_judge_only")
    day = on or shanghai_today()
    if day > shanghai_today():
        raise errors.invalid(_("The pronouncement cannot be in the future."), "transcript_future", field="on")
    entry = journal_append(case=ta.hearing.case, kind=entries.JUDGMENT_PRONOUNCED, actor=actor,
                           payload={"hearing_id": ta.hearing.pk, "pronounced_on": day.isoformat()})
    live.publish(ta.hearing.pk, {"type": "pronounced", "hearing_id": ta.hearing.pk, "on": day.isoformat()})
    return entry


def stage_message(hearing) -> dict:
    return {"type": "stage", "hearing_id": hearing.pk, "stage": hearing_stage(hearing)}
