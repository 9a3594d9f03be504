"""Recording uploads from the courtroom page (rooms-recorder.js) and the patrol's confirm/dismiss page.

Recording endpoints act only for the caller's own seat (their account's, or one an invitation link opened in this
browser session): another's session or room is 404. The patrol page is for court staff who may read the case's
副卷; for anyone else its events do not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.rooms.errors import RoomNotFound
from yunting.core.rooms.media import services
from yunting.core.rooms.media.models import EventState, PatrolEvent
from yunting.core.rooms.selectors import room_seat_for
from yunting.kernel.common.errors import ApplicationError, NotFound
from yunting.kernel.security.audit import client_ip, read_log

GUEST_SESSION_KEY = "rooms_guest"  # as the signalling consumer reads it


def _error(exc: ApplicationError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.http_status)


def _seat(request, room_id):
    return room_seat_for(request.user, room_id, guest_participant_ids=request.session.get(GUEST_SESSION_KEY, []))


def _own_session(request, session_id):
    from yunting.core.rooms.media.models import RecordingSession

    session = RecordingSession.objects.select_related("room", "participant").filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("No such recording."), code="recording_not_found")
    seat = _seat(request, session.room_id)
    return services.recording_for(participant=seat, session_id=session.pk)


@require_POST
def recording_start(request, room_id: int):
    try:
        session = services.recording_start(participant=_seat(request, room_id))
    except RoomNotFound as exc:
        return _error(exc)
    except ApplicationError as exc:
        return _error(exc)
    return JsonResponse({"id": session.pk, "chunk_max_bytes": services.chunk_max_bytes()}, status=201)


@require_POST
def recording_chunk(request, session_id: int, seq: int):
    """The body is the chunk's bytes, as MediaRecorder gave them; bounded before and while reading."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > services.chunk_max_bytes():
        return JsonResponse({"code": "upload_too_large", "message": _("The chunk is too large."),
                             "data": {"max_bytes": services.chunk_max_bytes()}}, status=413)
    try:
        session = _own_session(request, session_id)
        chunk = services.recording_chunk_receive(session=session, seq=seq, stream=request)
    except ApplicationError as exc:
        return _error(exc)
    return JsonResponse({"seq": chunk.seq, "size": chunk.size})


@require_POST
def recording_finish(request, session_id: int):
    try:
        session = services.recording_finish(session=_own_session(request, session_id),
                                            actor=request.user if request.user.is_authenticated else None)
    except ApplicationError as exc:
        return _error(exc)
    return JsonResponse({"id": session.pk, "state": session.state, "sha256": session.blob_id or ""})


def _may_decide(user, case_id) -> bool:
    try:
        access_case_for(user, case_id, need=Capability.VIEW_SECONDARY)
    except CaseNotFound:
        return False
    return True


@login_required
@require_GET
def patrol_list(request):
    """Suspicions awaiting a decision, in the cases whose 副卷 the caller may read."""
    events = list(PatrolEvent.objects.filter(state=EventState.SUSPECTED)
                  .select_related("room__case", "participant", "run__session").order_by("-run__created_at", "start_s")[:500])
    allowed = {cid for cid in {e.room.case_id for e in events} if _may_decide(request.user, cid)}
    rows = [e for e in events if e.room.case_id in allowed]
    from yunting.core.efile.models import Document

    filed = {e.run.session.entry_id_filed for e in rows} - {None}
    docs = dict(Document.objects.filter(entry_id__in=filed).values_list("entry_id", "pk")) if filed else {}
    for e in rows:
        e.document_id = docs.get(e.run.session.entry_id_filed)
        e.label = services.KIND_LABELS.get(e.kind, e.kind)
        e.span = f"{services.timecode(e.start_s)}–{services.timecode(e.end_s)}"
    for case_id in sorted({e.room.case_id for e in rows}):
        read_log(user=request.user, action="patrol.list", channel="web", case_id=case_id, object_type="case",
                 object_id=case_id, ip=client_ip(request))
    return render(request, "rooms_media/patrol.html", {"events": rows})


@login_required
@require_POST
def patrol_decide(request, event_id: int):
    event = PatrolEvent.objects.select_related("room").filter(pk=event_id).first()
    if event is None or not _may_decide(request.user, event.room.case_id):
        raise Http404
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.patrol_event_decide(event=event, actor=request.user, confirm=confirm,
                                     note=request.POST.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed: the notice to the bar association is filed in the secondary volume.")
                         if confirm else _("Dismissed."))
    return redirect("rooms_media:patrol")
