"""Reads: who may see a hearing's transcript (and as what), and the shapes the pages and the API show.

Access follows the case and the hearing: the court staff of the case (judge, presiding judge, assistant, clerk)
always; anyone else only while admitted in the hearing's room (drafting: a witness waiting in the lobby or a party
not yet let in gets nothing), and once the review starts only the people asked to sign. Everyone else gets
TranscriptNotFound, the same answer as for a hearing that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from yunting.core.cases.access import Capability, CaseAccess, access_case_for
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.errors import CaseNotFound
from yunting.kernel.security.audit import read_log

from .errors import TranscriptNotFound
from .models import Correction, Signoff, Suggestion, Transcript, TranscriptStatus

COURT_ROLES = frozenset({CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT, CaseRole.CLERK})


@dataclass(frozen=True)
class TranscriptAccess:
    hearing: object
    transcript: Transcript | None
    access: CaseAccess
    court: bool  # judge / assistant / clerk of the case: edits, decides corrections
    signoff: Signoff | None  # the caller's own signature line, once the review started


def _hearing(hearing_id):
    from yunting.workflows.hearings.models import Hearing

    try:
        return Hearing.objects.select_related("case", "case__court", "room").get(pk=int(hearing_id))
    except (Hearing.DoesNotExist, ValueError, TypeError):
        raise TranscriptNotFound() from None


def admitted_now(hearing, user) -> bool:
    """Admitted in the hearing's room at this moment (main room or a breakout of it)."""
    from yunting.core.rooms.choices import PRESENT_STATES
    from yunting.core.rooms.models import Participant

    if hearing.room_id is None or user is None or not user.is_authenticated:
        return False
    return Participant.objects.filter(room_id=hearing.room_id, user=user, state__in=PRESENT_STATES).exists()


def access_transcript_for(user, hearing_id, *, court: bool = False) -> TranscriptAccess:
    """The caller's standing on this hearing's transcript; TranscriptNotFound when they have none (or `court` is
    asked and they are not court staff of the case)."""
    hearing = _hearing(hearing_id)
    try:
        access = access_case_for(user, hearing.case_id, need=Capability.VIEW_CASE)
    except CaseNotFound:
        raise TranscriptNotFound() from None
    is_court = bool(access.roles & COURT_ROLES) and access.can(Capability.WRITE_JOURNAL)
    transcript = Transcript.objects.filter(hearing=hearing).first()
    signoff = None
    if transcript is not None and transcript.status != TranscriptStatus.DRAFTING:
        signoff = Signoff.objects.filter(transcript=transcript, user=user).first()
    if court and not is_court:
        raise TranscriptNotFound()
    if not is_court:
        drafting = transcript is None or transcript.status == TranscriptStatus.DRAFTING
        if drafting and not admitted_now(hearing, user):
            raise TranscriptNotFound()
        if not drafting and signoff is None:
            raise TranscriptNotFound()
    return TranscriptAccess(hearing=hearing, transcript=transcript, access=access, court=is_court, signoff=signoff)


def transcript_read_logged(ta: TranscriptAccess, user, *, channel: str, action: str = "transcript.read",
                           ip: str | None = None) -> None:
    """Every read of the transcript's text or PDF is in the chained read log."""
    read_log(user=user, action=action, channel=channel, case_id=ta.hearing.case_id, object_type="transcript",
             object_id=ta.hearing.pk, ip=ip)


def hearing_stage(hearing) -> dict:
    """The live stage the judge set (hearings' own field), as {value, label}."""
    from yunting.workflows.hearings.choices import LiveStage

    value = getattr(hearing, "live_stage", "") or ""
    return {"value": value, "label": str(LiveStage(value).label) if value in LiveStage.values else value}


def corrections_json(transcript: Transcript) -> list[dict]:
    return [{"id": c.pk, "requester": c.requester_label, "version": c.version, "passage": c.passage,
             "proposed": c.proposed, "note": c.note, "state": c.state, "state_label": str(c.get_state_display()),
             "refusal_reason": c.refusal_reason, "new_version": c.new_version,
             "requested_at": c.created_at.isoformat(), "decided_at": c.decided_at.isoformat() if c.decided_at else None}
            for c in Correction.objects.filter(transcript=transcript)]


def signoffs_json(transcript: Transcript) -> list[dict]:
    return [{"id": s.pk, "label": s.label, "role": s.role, "state": s.state, "state_label": str(s.get_state_display()),
             "version": s.version, "refusal_reason": s.refusal_reason, "locked": s.locked_at is not None,
             "answered_at": s.answered_at.isoformat() if s.answered_at else None}
            for s in Signoff.objects.filter(transcript=transcript)]


def suggestions_pending(transcript: Transcript) -> list[dict]:
    return [{"id": s.pk, "text": s.text, "start": s.start, "end": s.end, "engine": s.engine}
            for s in Suggestion.objects.filter(transcript=transcript, state=Suggestion.State.PENDING)]


def transcript_json(ta: TranscriptAccess) -> dict:
    """What a caller sees: the text, the stage, and (from the review on) corrections and signatures for all."""
    t = ta.transcript
    out = {"hearing_id": ta.hearing.pk, "case_number": ta.hearing.case.number, "stage": hearing_stage(ta.hearing),
           "exists": t is not None, "court": ta.court}
    if t is None:
        return out
    out |= {"status": t.status, "status_label": str(t.get_status_display()), "text": t.text,
            "revision": t.revision, "version": t.version,
            "review_due": t.review_due.isoformat() if t.review_due else None, "attendance": t.attendance,
            "pdf": bool(t.pdf_sha256)}
    if t.status != TranscriptStatus.DRAFTING:
        out |= {"corrections": corrections_json(t), "signoffs": signoffs_json(t)}
        if ta.signoff is not None:
            out["me"] = {"state": ta.signoff.state, "label": ta.signoff.label,
                         "locked": ta.signoff.locked_at is not None, "failures": ta.signoff.otp_failures}
    if ta.court and t.status == TranscriptStatus.DRAFTING:
        out["suggestions"] = suggestions_pending(t)
    return out
