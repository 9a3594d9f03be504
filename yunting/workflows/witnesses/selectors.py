"""证人在线作证 reads. Applications are reached through the case (core.cases.access): a person who may not see the
case gets WitnessNotFound, the same as for an application that does not exist."""

from __future__ import annotations

from yunting.core.cases.access import MAX_ID, CaseAccess

from . import entries
from .choices import ApplicationStatus, Stage
from .errors import WitnessNotFound
from .models import WitnessApplication
from .services import OATH_TEXT, is_judge, presence_confirmation, second_check_done


def _pk(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk <= MAX_ID else 0


def applications_for(access: CaseAccess) -> list[WitnessApplication]:
    return list(WitnessApplication.objects.filter(case=access.case).select_related("party", "participant")
                .order_by("id"))


def application_get(access: CaseAccess, application_id) -> WitnessApplication:
    app = WitnessApplication.objects.filter(case=access.case, pk=_pk(application_id)).select_related(
        "party", "participant", "room").first()
    if app is None:
        raise WitnessNotFound()
    app.case = access.case
    return app


def application_for_seat(participant) -> WitnessApplication | None:
    """The application whose witness holds this room seat (the witness's own page)."""
    if participant is None or participant.seat != "witness":
        return None
    return WitnessApplication.objects.filter(participant_id=participant.pk).first()


def witness_page_state(app: WitnessApplication, participant) -> dict:
    """What the witness's own page shows: the stage and what the witness must do next. Nothing of the hearing."""
    participant.refresh_from_db(fields=["state", "verified_at"])
    stage = app.stage
    if participant.state == "removed":
        stage = Stage.DISMISSED
    return {
        "stage": stage, "stage_label": str(Stage(stage).label),
        "needs_second_check": stage == Stage.CALLED and not second_check_done(app, participant),
        "oath_signed": app.oath_signed_at is not None,
        "read_aloud_at": app.read_aloud_at.isoformat() if app.read_aloud_at else "",
        "oath_text": OATH_TEXT,
    }


def application_history(app: WitnessApplication) -> list:
    """The application's journal entries, oldest first (what the judge decided, stops and their reasons)."""
    from yunting.core.journal.models import JournalEntry

    return list(JournalEntry.objects.filter(case_id=app.case_id, kind__startswith="witnesses.",
                                            payload__application_id=app.pk).order_by("seq"))


def patrol_flags(app: WitnessApplication) -> list[dict]:
    """The rooms patrol's flags on this witness's seat (core/rooms/media: room.patrol_flagged), for the judge after
    the session: each suspected event with its kind and time code."""
    from yunting.core.journal.models import JournalEntry
    from yunting.core.rooms.media.services import KIND_LABELS

    if app.participant_id is None:
        return []
    out = []
    for entry in JournalEntry.objects.filter(case_id=app.case_id, kind=entries.PATROL_FLAGGED,
                                             payload__participant_id=app.participant_id).order_by("seq"):
        for event in (entry.payload or {}).get("events", []):
            out.append({"kind": event.get("kind"), "label": KIND_LABELS.get(event.get("kind"), event.get("kind")),
                        "start_ms": event.get("start_ms"), "end_ms": event.get("end_ms"),
                        "at": entry.recorded_at})
    return out


def judge_view(access: CaseAccess, app: WitnessApplication) -> dict:
    """Everything the judge's witness panel shows for one application."""
    participant = app.participant
    presence = presence_confirmation(app) if app.designated_place_required else None
    return {
        "app": app, "history": application_history(app), "flags": patrol_flags(app),
        "presence": presence, "second_check": bool(participant and second_check_done(app, participant)),
        "judge": is_judge(access),
    }


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.OBJECTED)
