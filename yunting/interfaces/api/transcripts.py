"""Hearing transcripts (issue 12): /api/v1/hearings/{id}/transcript… — the live text, speech suggestions, the
review (PDF, corrections, signatures, refusals) and the pronouncement. The same access as the pages: a hearing
whose transcript the caller may not see answers 404 like one that does not exist."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from yunting.kernel.blobs.store import blob_read
from yunting.kernel.security.audit import client_ip
from yunting.workflows.transcripts import services
from yunting.workflows.transcripts.errors import invalid, not_in_review
from yunting.workflows.transcripts.selectors import (
    access_transcript_for,
    transcript_json,
    transcript_read_logged,
)

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["transcripts"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OpenIn(Schema):
    from_report: bool = False


class SaveIn(Schema):
    text: str
    base_revision: int


class RecogniseIn(Schema):
    audio_base64: str
    sample_rate: int = 16000


class SuggestionIn(Schema):
    accept: bool
    speaker: str = ""
    text: str | None = None


class CorrectionIn(Schema):
    passage: str
    proposed: str
    note: str = ""


class DecideIn(Schema):
    accept: bool
    reason: str = ""


class TranscriptSignIn(Schema):
    strokes_png_base64: str
    code: str


class RefuseIn(Schema):
    reason: str
    signoff_id: int | None = None


class PronounceIn(Schema):
    on: date | None = None


def _b64(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        raise invalid(_("This is not valid base64 data."), "transcript_bad_base64", field=field) from None


def _view(request, id: int) -> dict:
    user = caller(request)
    ta = access_transcript_for(user, id)
    transcript_read_logged(ta, user, channel="api", ip=client_ip(request))
    return transcript_json(ta)


def _again(request, id: int) -> dict:
    return transcript_json(access_transcript_for(caller(request), id))


@router.get("/hearings/{id}/transcript", response={200: dict, **ERRORS}, url_name="transcript",
            summary="The hearing's transcript as the caller may see it (text, stage, corrections, signatures)")
def transcript_get(request, id: int):
    return _view(request, id)


@router.post("/hearings/{id}/transcript", response={201: dict, **ERRORS}, url_name="transcript_open",
             summary="Open the transcript (clerk or judge); optionally from the asynchronous cross-examination report")
def transcript_open(request, id: int, body: OpenIn):
    services.transcript_open(ta=access_transcript_for(caller(request), id, court=True), actor=caller(request),
                             from_report=body.from_report)
    return Status(201, _again(request, id))


@router.put("/hearings/{id}/transcript", response={200: dict, **ERRORS}, url_name="transcript_save",
            summary="Save the text (a new revision); refused if someone saved since base_revision")
def transcript_save(request, id: int, body: SaveIn):
    services.transcript_save(ta=access_transcript_for(caller(request), id, court=True), actor=caller(request),
                             text=body.text, base_revision=body.base_revision)
    return _again(request, id)


@router.post("/hearings/{id}/transcript/recognise", response={200: dict, **ERRORS}, url_name="transcript_recognise",
             summary="Speech recognition over a chunk of audio (16-bit mono PCM or WAV, base64; not stored): "
                     "suggestions for the clerk")
def transcript_recognise(request, id: int, body: RecogniseIn):
    made = services.transcript_recognise(ta=access_transcript_for(caller(request), id, court=True),
                                         actor=caller(request), audio=_b64(body.audio_base64, "audio_base64"),
                                         sample_rate=body.sample_rate)
    return {"suggestions": [{"id": s.pk, "text": s.text, "start": s.start, "end": s.end} for s in made]}


@router.post("/hearings/{id}/transcript/suggestions/{sid}", response={200: dict, **ERRORS},
             url_name="transcript_suggestion", summary="Accept (into the text) or dismiss a suggestion")
def transcript_suggestion(request, id: int, sid: int, body: SuggestionIn):
    services.suggestion_decide(ta=access_transcript_for(caller(request), id, court=True), actor=caller(request),
                               suggestion_id=sid, accept=body.accept, speaker=body.speaker, text=body.text)
    return _again(request, id)


@router.post("/hearings/{id}/transcript/review", response={200: dict, **ERRORS}, url_name="transcript_review",
             summary="End the recording: version 1 goes to every participant to read and sign (CPL art 150)")
def transcript_review(request, id: int):
    services.transcript_review_start(ta=access_transcript_for(caller(request), id, court=True),
                                     actor=caller(request))
    return _again(request, id)


@router.get("/hearings/{id}/transcript/pdf", response={200: None, **ERRORS}, url_name="transcript_pdf",
            summary="The version under review (or the signed transcript) as PDF, with the signatures so far")
def transcript_pdf(request, id: int):
    user = caller(request)
    ta = access_transcript_for(user, id)
    if ta.transcript is None or not ta.transcript.pdf_sha256:
        raise not_in_review()
    transcript_read_logged(ta, user, channel="api", action="transcript.pdf", ip=client_ip(request))
    response = HttpResponse(blob_read(ta.transcript.pdf_sha256), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transcript-{id}-v{ta.transcript.version}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/hearings/{id}/transcript/corrections", response={201: dict, **ERRORS},
             url_name="transcript_correction_request", summary="Ask for a correction (kept beside the text)")
def correction_request(request, id: int, body: CorrectionIn):
    services.correction_request(ta=access_transcript_for(caller(request), id), actor=caller(request),
                                passage=body.passage, proposed=body.proposed, note=body.note)
    return Status(201, _again(request, id))


@router.post("/hearings/{id}/transcript/corrections/{cid}", response={200: dict, **ERRORS},
             url_name="transcript_correction_decide",
             summary="Accept a correction (a new version; signatures start again) or refuse it with a reason")
def correction_decide(request, id: int, cid: int, body: DecideIn):
    services.correction_decide(ta=access_transcript_for(caller(request), id, court=True), actor=caller(request),
                               correction_id=cid, accept=body.accept, reason=body.reason)
    return _again(request, id)


@router.post("/hearings/{id}/transcript/code", response={200: dict, **ERRORS}, url_name="transcript_code",
             summary="Send the one-time code that confirms a signature to the signer's phone")
def sign_code(request, id: int):
    services.sign_code_send(ta=access_transcript_for(caller(request), id), actor=caller(request))
    return {"sent": True}


@router.post("/hearings/{id}/transcript/sign", response={200: dict, **ERRORS}, url_name="transcript_sign",
             summary="Sign: handwritten strokes (PNG, base64) and the one-time code; PAdES follows")
def sign(request, id: int, body: TranscriptSignIn):
    services.transcript_sign(ta=access_transcript_for(caller(request), id), actor=caller(request),
                             strokes_png=_b64(body.strokes_png_base64, "strokes_png_base64"), code=body.code,
                             device=request.headers.get("User-Agent", ""))
    return _again(request, id)


@router.post("/hearings/{id}/transcript/refuse", response={200: dict, **ERRORS}, url_name="transcript_refuse",
             summary="Refuse to sign with a reason (or, clerk: record a participant's refusal by signoff_id)")
def refuse(request, id: int, body: RefuseIn):
    services.transcript_refuse(ta=access_transcript_for(caller(request), id), actor=caller(request),
                               reason=body.reason, signoff_id=body.signoff_id)
    return _again(request, id)


@router.post("/hearings/{id}/transcript/signoffs/{sid}/unlock", response={200: dict, **ERRORS},
             url_name="transcript_unlock", summary="Clerk: reopen signing locked after wrong codes")
def unlock(request, id: int, sid: int):
    services.signoff_unlock(ta=access_transcript_for(caller(request), id, court=True), actor=caller(request),
                            signoff_id=sid)
    return _again(request, id)


@router.post("/hearings/{id}/pronouncement", response={201: dict, **ERRORS}, url_name="judgment_pronounce",
             summary="Judge: the judgment was pronounced in court — the 10-day clock to send it starts (CPL 151)")
def pronounce(request, id: int, body: PronounceIn):
    entry = services.judgment_pronounce(ta=access_transcript_for(caller(request), id, court=True),
                                        actor=caller(request), on=body.on)
    return Status(201, {"pronounced_on": entry.payload["pronounced_on"], "seq": entry.seq})
