"""庭审 reads: a case's hearings as the caller may see them, the live stage, attendance from the room's journal
trail, a person's hearings, the court's week calendar. Callers have already passed `access_case_for` (or, for
court-wide views, a court post check); reads of case material are read_log'd by the interface."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils.translation import gettext as _

from yunting.core.cases.access import cases_visible_to
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Participation
from yunting.kernel.common.timeutil import SHANGHAI

from . import planning
from .choices import LIVE_STAGE_ORDER, ConsentDecision, HearingState, LiveStage
from .models import Courtroom, Hearing, HearingVote, Unavailability

COURT_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT, CaseRole.CLERK)


def hearings_for_case(case) -> list[Hearing]:
    return list(Hearing.objects.filter(case=case).select_related("courtroom", "judge")
                .prefetch_related("consents__party", "options__votes", "changes").order_by("-created_at", "-id"))


def hearing_stage(hearing: Hearing) -> dict:
    """The live stage for the room page: current stage, its label, when, and the whole sequence."""
    current = hearing.live_stage or ""
    return {"hearing_id": hearing.pk, "stage": current, "label": str(LiveStage(current).label),
            "at": hearing.live_stage_at.isoformat() if hearing.live_stage_at else None,
            "stages": [{"stage": s, "label": str(LiveStage(s).label)} for s in LIVE_STAGE_ORDER],
            "state": hearing.state}


# Attendance (OLR art 25): 拒不到庭 (never appeared) vs 中途退庭 (left mid-hearing) vs present to the end.
ARRIVE = ("room.joined", "room.admitted", "room.returned")
DEPART = ("room.left", "room.dropped", "room.removed")


def hearing_attendance(hearing: Hearing) -> list[dict]:
    """Per room participant, from the case journal's room.* entries: "never_appeared", "left_mid_hearing" (gone
    before the room closed and never back) or "present_to_end"; with first arrival, last departure, and how
    often they dropped. A lobby-only visit (joined but never admitted) counts as appearing: the person came."""
    from yunting.core.journal.models import JournalEntry
    from yunting.core.rooms.models import Participant

    if not hearing.room_id:
        return []
    trail = (JournalEntry.objects.filter(case_id=hearing.case_id, kind__startswith="room.",
                                         payload__room_id=hearing.room_id).order_by("seq")
             .values_list("kind", "payload", "recorded_at"))
    per: dict[int, dict] = {}
    closed_at = None
    for kind, payload, at in trail:
        if kind == "room.closed":
            closed_at = at
            continue
        pid = payload.get("participant_id")
        if pid is None:
            continue
        row = per.setdefault(pid, {"arrived": None, "departed": None, "present": False, "drops": 0})
        if kind in ARRIVE:
            row["arrived"] = row["arrived"] or at
            row["present"], row["departed"] = True, None
        elif kind in DEPART:
            if row["present"]:
                row["departed"] = at
            row["present"] = False
            row["drops"] += kind == "room.dropped"
    # the hearing ends when the judge declares it ended, or when the room closes, whichever comes first
    ended_at = hearing.live_stage_at if hearing.live_stage == LiveStage.ENDED else None
    end = min((t for t in (closed_at, ended_at) if t is not None), default=None)
    out = []
    for p in Participant.objects.filter(room_id=hearing.room_id).select_related("user").order_by("id"):
        row = per.get(p.pk, {"arrived": None, "departed": None, "present": False, "drops": 0})
        if row["arrived"] is None:
            status = "never_appeared"
        elif row["departed"] is not None and (end is None or row["departed"] < end):
            status = "left_mid_hearing"
        else:
            status = "present_to_end"
        out.append({"participant_id": p.pk, "user_id": p.user_id, "seat": p.seat, "seat_label": p.get_seat_display(),
                    "name": p.display_name, "status": status,
                    "arrived_at": row["arrived"].isoformat() if row["arrived"] else None,
                    "left_at": row["departed"].isoformat() if row["departed"] else None, "drops": row["drops"]})
    return out


ATTENDANCE_LABELS = {"never_appeared": "未到庭", "left_mid_hearing": "中途退庭", "present_to_end": "全程在庭"}


def _local(dt):
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else None


def hearing_json(hearing: Hearing, *, court: bool, party_ids=frozenset(), user=None) -> dict:
    """A hearing as the caller may see it. Parties see every party's consent (it decides the form) and the vote
    count per slot, but only their own votes; court staff see each party's votes."""
    votes_by_option: dict[int, list] = defaultdict(list)
    options = [o for o in hearing.options.all() if not o.withdrawn]
    for o in options:
        votes_by_option[o.pk] = list(o.votes.all())
    data = {
        "id": hearing.pk, "case_id": hearing.case_id, "stage_kind": hearing.stage_kind,
        "stage_kind_label": hearing.get_stage_kind_display(), "form": hearing.form,
        "form_label": hearing.get_form_display(), "state": hearing.state, "state_label": hearing.get_state_display(),
        "date": hearing.date.isoformat() if hearing.date else None, "slot": hearing.slot,
        "slots_needed": hearing.slots_needed, "starts_at": _local(hearing.starts_at), "ends_at": _local(hearing.ends_at),
        "courtroom": ({"id": hearing.courtroom_id, "name": hearing.courtroom.name, "kind": hearing.courtroom.kind}
                      if hearing.courtroom_id else None),
        "room_id": hearing.room_id, "vote_deadline": _local(hearing.vote_deadline),
        "vote_open": hearing.state == HearingState.VOTING,
        "art21_ground": hearing.art21_ground, "art21_label": hearing.get_art21_ground_display() if hearing.art21_ground else "",
        "art21_note": hearing.art21_note, "override_reason": hearing.override_reason,
        "served_on": hearing.served_on.isoformat() if hearing.served_on else None, "notice_short": hearing.notice_short,
        "live_stage": hearing_stage(hearing), "cancel_reason": hearing.cancel_reason,
        "consents": [{"party_id": c.party_id, "party": c.party.name, "role": c.party.role, "decision": c.decision,
                      "decision_label": c.get_decision_display(), "reason": c.reason,
                      "mine": c.party_id in party_ids} for c in hearing.consents.all()],
        "options": [],
        "history": [{"kind": ch.kind, "before": ch.before, "after": ch.after, "reason": ch.reason,
                     "at": _local(ch.at)} for ch in hearing.changes.all()],
    }
    for o in options:
        votes = votes_by_option[o.pk]
        row = {"id": o.pk, "number": o.number, "date": o.date.isoformat(), "slot": o.slot,
               "courtroom_id": o.courtroom_id, "yes": sum(v.available for v in votes),
               "no": sum(not v.available for v in votes),
               "mine": next((v.available for v in votes if user is not None and v.user_id == user.pk), None)}
        if court:
            row["votes"] = [{"party_id": v.party_id, "user_id": v.user_id, "available": v.available} for v in votes]
        data["options"].append(row)
    if not court:
        data.pop("override_reason")
    return data


def hearings_for_user(user, *, upcoming_only: bool = False) -> list[Hearing]:
    """我的庭审: hearings of every case the person takes part in (any role), soonest first."""
    case_ids = Participation.objects.filter(user=user).values_list("case_id", flat=True)
    qs = Hearing.objects.filter(case_id__in=case_ids).exclude(state=HearingState.CANCELLED).select_related(
        "case", "courtroom").prefetch_related("consents__party", "options__votes")
    if upcoming_only:
        qs = qs.exclude(state=HearingState.HELD)
    return sorted(qs, key=lambda h: (h.date is None, h.date or date.max, h.slot, h.pk))


def my_pending(user, hearings) -> dict[int, dict]:
    """{hearing id: {"vote": bool, "consent": bool}}: what this person still has to answer."""
    parties = defaultdict(set)
    for case_id, party_id in Participation.objects.filter(user=user, party__isnull=False, role__in=(
            CaseRole.PARTY, CaseRole.LAWYER)).values_list("case_id", "party_id"):
        parties[case_id].add(party_id)
    voted = set(HearingVote.objects.filter(user=user, option__withdrawn=False).values_list("option__hearing_id", flat=True))
    out = {}
    for h in hearings:
        mine = parties.get(h.case_id, set())
        if not mine:
            continue
        out[h.pk] = {"vote": h.state == HearingState.VOTING and h.pk not in voted,
                     "consent": any(c.party_id in mine and c.decision == ConsentDecision.PENDING
                                    for c in h.consents.all())}
    return out


def unavailability_of(user, *, from_day: date | None = None) -> list[Unavailability]:
    qs = Unavailability.objects.filter(user=user).select_related("court")
    if from_day:
        qs = qs.filter(date__gte=from_day)
    return list(qs.order_by("date", "slot"))


def courtrooms_of(court) -> list[Courtroom]:
    return list(Courtroom.objects.filter(court=court).order_by("order", "id"))


def week_calendar(court, week_start: date, *, viewer, by: str = "courtroom", days: int = 5) -> dict:
    """The court's week: rows (courtrooms or judges) × days, each cell the confirmed hearings that day.

    Every hearing occupies its cell, so rooms can be scheduled around it; but its case (number, link) is named
    only to a viewer who may see that case (`cases_visible_to`: a secret case only to those taking part). Any
    other hearing is an anonymous "booked (restricted)" slot that carries no case or hearing id."""
    last = week_start + timedelta(days=days - 1)
    hearings = list(Hearing.objects.filter(court=court, state__in=(HearingState.CONFIRMED, HearingState.HELD),
                                           date__gte=week_start, date__lte=last)
                    .select_related("case", "courtroom", "judge").order_by("date", "slot"))
    shown = case_ids_shown_to(viewer, {h.case_id for h in hearings})
    day_list = [week_start + timedelta(days=i) for i in range(days)]
    if by == "judge":
        keys = {}
        for h in hearings:
            if h.judge_id:
                keys[h.judge_id] = h.judge.display_name
        rows = [{"key": k, "label": v} for k, v in sorted(keys.items(), key=lambda kv: kv[1])]
        key_of = lambda h: h.judge_id  # noqa: E731
    else:
        rows = [{"key": r.pk, "label": r.name, "kind": r.kind} for r in courtrooms_of(court) if r.active]
        key_of = lambda h: h.courtroom_id  # noqa: E731
    cells: dict = defaultdict(list)
    for h in hearings:
        start, end = planning.span(h.date, h.slot, h.slots_needed)
        item = {"start": h.slot, "end": end.strftime("%H:%M"), "restricted": h.case_id not in shown}
        if not item["restricted"]:
            item.update(hearing=h, number=h.case.number, case_id=h.case_id, hearing_id=h.pk)
        cells[(key_of(h), h.date)].append(item)
    for row in rows:
        row["days"] = [cells.get((row["key"], d), []) for d in day_list]
    return {"week_start": week_start, "days": day_list, "rows": rows, "by": by,
            "prev": week_start - timedelta(days=7), "next": week_start + timedelta(days=7),
            "empty": _("No hearings this week.") if not hearings else ""}


def case_ids_shown_to(viewer, case_ids: set[int]) -> set[int]:
    """Of these cases, those the viewer may see (the same reach as the case pages)."""
    if not case_ids:
        return set()
    return set(cases_visible_to(viewer).filter(pk__in=case_ids).values_list("pk", flat=True))
