"""庭审 writes: courtrooms, unavailability, request → propose → vote → confirm (summons sealed and served) →
reschedule/cancel, consent per party and stage (OLR arts 4–5, 21), live stages, and the division's week plan.

Each act is one transaction with its journal entry; notices go to every party-side account (in-app and SMS).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Participation, Party
from yunting.core.journal.services import journal_append
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import entries, errors, planning
from .choices import (
    LIVE_STAGE_ORDER,
    Art21Ground,
    ConsentDecision,
    Form,
    HearingState,
    LiveStage,
    RoomKind,
    StageKind,
)
from .models import (
    Courtroom,
    Hearing,
    HearingChange,
    HearingOption,
    HearingParticipantConsent,
    HearingStageLog,
    HearingVote,
    PlanRun,
    Unavailability,
)

log = logging.getLogger(__name__)
JUDGE_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE)
PLANNER_ROLES = (*JUDGE_ROLES, CaseRole.JUDGE_ASSISTANT)
NOTICE_DAYS = 3  # CPL art 139: the summons reaches the parties at least 3 days before the hearing
VOTE_HOURS = 24
REMIND_BEFORE = timedelta(hours=6)
THREAD_PURPOSE = "hearings"
APPEAR_REASON = {StageKind.PRETRIAL: "庭前会议", StageKind.TRIAL: "开庭审理", StageKind.PRONOUNCEMENT: "宣判"}
PARTY_ROLE_ZH = {"plaintiff": "原告", "defendant": "被告", "third_party": "第三人", "appellant": "上诉人",
                 "appellee": "被上诉人", "applicant": "申请人", "respondent": "被申请人", "convict": "罪犯"}


# --- who ---------------------------------------------------------------------------------------------------------
def _roles(case_id: int, user) -> set[str]:
    from yunting.core.cases.access import roles_in_case

    return set(roles_in_case(user, case_id))


def _require(access, actor, roles) -> None:
    if not access.can(Capability.WRITE_JOURNAL) or not _roles(access.case.pk, actor) & set(roles):
        raise errors.court_only()


FIRST_SIDE = ("plaintiff", "applicant", "appellant")


def _acting_for(case_id: int):
    """(party id, user) for every party account and lawyer of the case. A lawyer recorded without a party acts
    for the first plaintiff-side party, as the court papers take it (papers.context)."""
    first = (Party.objects.filter(case_id=case_id, role__in=FIRST_SIDE).order_by("order", "id")
             .values_list("pk", flat=True).first())
    for part in Participation.objects.filter(case_id=case_id, role__in=(CaseRole.PARTY, CaseRole.LAWYER)
                                             ).select_related("user").order_by("id"):
        party_id = part.party_id or (first if part.role == CaseRole.LAWYER else None)
        if party_id and part.user_id:
            yield party_id, part.user


def _party_ids(case_id: int, user) -> set[int]:
    """Parties this user acts for in the case: their own party and the ones they represent as lawyer."""
    return {pid for pid, u in _acting_for(case_id) if u.pk == getattr(user, "pk", None)}


def _party_users(case_id: int) -> dict[int, list]:
    out: dict[int, list] = {}
    for pid, user in _acting_for(case_id):
        users = out.setdefault(pid, [])
        if user not in users:
            users.append(user)
    return out


def _staff(case_id: int, roles=JUDGE_ROLES) -> list:
    return [p.user for p in Participation.objects.filter(case_id=case_id, role__in=roles).select_related("user")]


def hearing_get(access, hearing_id) -> Hearing:
    """The hearing of the case the access is for (another case's hearing answers like none)."""
    try:
        hearing_id = int(hearing_id)
    except (TypeError, ValueError):
        raise errors.no_hearing() from None
    hearing = Hearing.objects.select_related("case", "courtroom").filter(pk=hearing_id, case=access.case).first()
    if hearing is None:
        raise errors.no_hearing()
    return hearing


def _lock(hearing: Hearing) -> Hearing:
    return Hearing.objects.select_for_update(of=("self",)).select_related("case", "case__court", "courtroom").get(pk=hearing.pk)


# --- notices -------------------------------------------------------------------------------------------------------
def _notify(hearing: Hearing, *, key: str, text: str, parties: bool = True, staff: bool = False,
            sms: bool = True) -> None:
    """In-app notice (once per key and person) and SMS to everyone concerned; an SMS failure never undoes the act."""
    from yunting.core.threads import services as threads
    from yunting.kernel.notify.services import outbox_enqueue

    thread = threads.thread_ensure(case=hearing.case, purpose=THREAD_PURPOSE, title="庭审")
    url = reverse("hearings:case", args=[hearing.case_id])
    people = []
    if parties:
        people += [u for users in _party_users(hearing.case_id).values() for u in users]
    if staff:
        people += _staff(hearing.case_id, (*JUDGE_ROLES, CaseRole.CLERK))
    seen = set()
    for user in people:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        threads.notice_send(user=user, thread=thread, key=f"hearing:{key}:{hearing.pk}:{user.pk}", text=text, url=url)
        if sms and getattr(user, "phone", ""):
            try:
                outbox_enqueue(phone=user.phone, purpose="hearings", body=f"【云庭】{text}请登录云庭查看。")
            except Exception:
                log.warning("no SMS for user %s: bad phone", user.pk)


def _when(hearing_or_day, slot: str | None = None) -> str:
    day = hearing_or_day.date if isinstance(hearing_or_day, Hearing) else hearing_or_day
    slot = hearing_or_day.slot if isinstance(hearing_or_day, Hearing) else slot
    return f"{day:%Y年%m月%d日} {slot}"


# --- courtrooms and unavailability ---------------------------------------------------------------------------------
def _may_manage_court(actor, court_id: int) -> bool:
    from yunting.core.courts.permissions import is_court_admin

    return is_court_admin(actor, court_id)


@transaction.atomic
def courtroom_save(*, actor, court, name: str, kind: str, capacity=20, location: str = "", active: bool = True,
                   courtroom: Courtroom | None = None) -> Courtroom:
    """Create or change a courtroom (court administrator)."""
    if not _may_manage_court(actor, court.pk):
        raise errors.admin_only()
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise errors.invalid(_("Give the courtroom a name (at most 60 characters)."), "name")
    if kind not in RoomKind.values:
        raise errors.invalid(_("A courtroom is physical or online."), "kind")
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 500:
        raise errors.invalid(_("Capacity is 1 to 500 seats."), "capacity")
    clash = Courtroom.objects.filter(court=court, name=name)
    if courtroom is not None:
        clash = clash.exclude(pk=courtroom.pk)
    if clash.exists():
        raise errors.invalid(_("This court already has a courtroom of that name."), "name")
    room = courtroom or Courtroom(court=court)
    room.name, room.kind, room.capacity, room.location, room.active = name, kind, capacity, location[:200], active
    room.save()
    return room


def _court_of_user(actor, court) -> bool:
    """The person works in the court or takes part in one of its cases."""
    from yunting.core.people.models import Membership

    return (Membership.objects.filter(user=actor, organisation=court).exists()
            or Participation.objects.filter(user=actor, case__court=court).exists())


def _parse_day(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise errors.invalid(_("Give a date as YYYY-MM-DD."), field) from None


@transaction.atomic
def unavailability_add(*, actor, court, day, slot: str = "", reason: str = "", user=None) -> Unavailability:
    """A person enters a day (or one slot) they cannot attend; it applies to all their cases. Court
    administrators may enter it for someone else."""
    user = user or actor
    if user != actor and not _may_manage_court(actor, court.pk):
        raise errors.admin_only()
    if not _court_of_user(user, court):
        raise errors.invalid(_("That person has no post or case in this court."), "user")
    day = _parse_day(day, "date")
    if day < shanghai_today():
        raise errors.invalid(_("The date has already passed."), "date")
    slot = (slot or "").strip()
    if slot and slot not in planning.slot_times():
        raise errors.invalid(_("Choose one of the court's hearing slots, or the whole day."), "slot",
                             allowed=planning.slot_times())
    row, _created = Unavailability.objects.get_or_create(
        court=court, user=user, date=day, slot=slot, defaults={"reason": (reason or "")[:200], "created_by": actor})
    return row


@transaction.atomic
def unavailability_remove(*, actor, row: Unavailability) -> None:
    if row.user_id != actor.pk and not _may_manage_court(actor, row.court_id):
        raise errors.admin_only()
    row.delete()


# --- request and propose -------------------------------------------------------------------------------------------
@transaction.atomic
def hearing_request(*, access, actor, stage_kind: str = StageKind.TRIAL, slots_needed=None,
                    not_before=None) -> Hearing:
    """The judge (or assistant) asks for a hearing; every party is asked for consent to hold it online."""
    _require(access, actor, PLANNER_ROLES)
    case = access.case
    if stage_kind not in StageKind.values:
        raise errors.invalid(_("Choose a kind of hearing."), "stage_kind", allowed=list(StageKind.values))
    k = slots_needed if slots_needed not in (None, "") else planning.DEFAULT_SLOTS_NEEDED[stage_kind]
    try:
        k = int(k)
    except (TypeError, ValueError):
        k = 0
    if not 1 <= k <= len(planning.slot_times()):
        raise errors.invalid(_("A hearing takes 1 to %(n)s slots of one day.") % {"n": len(planning.slot_times())},
                             "slots_needed")
    nb = _parse_day(not_before, "not_before") if not_before not in (None, "") else None
    judge = next(iter(_staff(case.pk, (CaseRole.PRESIDING_JUDGE,))), None) or next(iter(_staff(case.pk)), None)
    hearing = Hearing.objects.create(case=case, court=case.court, stage_kind=stage_kind, slots_needed=k, not_before=nb,
                                     judge=judge, requested_by=actor)
    parties = list(Party.objects.filter(case=case).order_by("order", "id"))
    HearingParticipantConsent.objects.bulk_create([HearingParticipantConsent(hearing=hearing, party=p) for p in parties])
    journal_append(case=case, kind=entries.REQUESTED, actor=actor,
                   payload={"hearing_id": hearing.pk, "stage_kind": stage_kind, "slots_needed": k})
    _notify(hearing, key="consent", sms=False,
            text=f"{case.number}：法院拟安排{APPEAR_REASON[stage_kind]}，请选择是否同意在线参加（可在开庭前撤回）。")
    return hearing


def _check_slot(hearing: Hearing, day: date, slot: str, courtroom: Courtroom | None, *, strict_people: bool) -> None:
    """Refuse a time that breaks a rule: not a working day, too soon for the summons, a room or person booked."""
    from yunting.kernel.calendar import is_rest_day

    slots = planning.taken_slots(slot, hearing.slots_needed)
    if len(slots) != hearing.slots_needed:
        raise errors.invalid(_("The hearing does not fit in that day from that slot."), "slot",
                             allowed=planning.slot_times())
    if is_rest_day(day):
        raise errors.invalid(_("%(day)s is not a working day.") % {"day": day.isoformat()}, "date")
    earliest = shanghai_today() + timedelta(days=NOTICE_DAYS)
    if day < earliest:
        raise errors.invalid(_("The summons must reach the parties at least 3 days before the hearing: the "
                               "earliest day is %(day)s.") % {"day": earliest.isoformat()}, "date",
                             earliest=earliest.isoformat())
    if courtroom is not None:
        if courtroom.court_id != hearing.court_id or not courtroom.active:
            raise errors.invalid(_("Choose an active courtroom of this court."), "courtroom")
        booked = planning.booked_rooms(hearing.court_id, day, day, {hearing.pk})
        if any((courtroom.pk, day, s) in booked for s in slots):
            raise errors.busy(_("%(room)s is already booked at that time.") % {"room": courtroom.name},
                              courtroom=courtroom.pk)
    people = planning.people_of(hearing.case_id)
    blocked = planning.blocked_people(hearing.court_id, people, day, day, {hearing.pk})
    from yunting.core.people.models import User

    for user_id, marks in blocked.items():
        role = people.get(user_id)
        hit = f"{day:%Y-%m-%d}" in marks or any(f"{day:%Y-%m-%d}T{s}" in marks for s in slots)
        if not hit:
            continue
        booked = any(f"{day:%Y-%m-%d}T{s}" in marks for s in slots) and Hearing.objects.filter(
            court_id=hearing.court_id, state=HearingState.CONFIRMED, date=day).exclude(pk=hearing.pk).filter(
            case__participations__user_id=user_id).exists()
        if booked or strict_people or role in (*JUDGE_ROLES, CaseRole.CLERK):
            name = User.objects.filter(pk=user_id).values_list("real_name", flat=True).first() or ""
            raise errors.busy(_("%(name)s cannot attend at that time (another hearing or declared unavailable).")
                              % {"name": name}, user=user_id)


@transaction.atomic
def hearing_propose(*, access, actor, hearing: Hearing, count: int = 3, vote_hours=VOTE_HOURS,
                    options: list[dict] | None = None) -> Hearing:
    """Ask the scheduler for 2–3 slots (or take the judge's own) and open the parties' vote for `vote_hours`."""
    _require(access, actor, PLANNER_ROLES)
    hearing = _lock(hearing)
    if hearing.state not in (HearingState.REQUESTED, HearingState.PROPOSED, HearingState.VOTING):
        raise errors.wrong_state(hearing.state)
    try:
        vote_hours = int(vote_hours)
    except (TypeError, ValueError):
        vote_hours = 0
    if not 1 <= vote_hours <= 168:
        raise errors.invalid(_("Voting runs 1 to 168 hours."), "vote_hours")
    if options:
        chosen = []
        for n, o in enumerate(options):
            day = _parse_day(o.get("date"), f"options[{n}].date")
            room = Courtroom.objects.filter(pk=o.get("courtroom"), court_id=hearing.court_id).first() \
                if o.get("courtroom") else None
            _check_slot(hearing, day, str(o.get("slot") or ""), room, strict_people=False)
            chosen.append((day, str(o["slot"]), room.pk if room else None))
        reasons = []
    else:
        chosen, reasons = planning.propose(hearing, count=max(1, min(int(count or 3), 3)))
    if not chosen:
        raise errors.busy(_("No slot could be found before the deadline: %(why)s")
                          % {"why": "；".join(r for r in reasons if r) or _("nobody is free")}, reasons=reasons)
    rnd = (hearing.options.order_by("-round").values_list("round", flat=True).first() or 0) + 1
    hearing.options.update(withdrawn=True)
    made = [HearingOption.objects.create(hearing=hearing, number=i + 1, date=d, slot=s, courtroom_id=r, round=rnd)
            for i, (d, s, r) in enumerate(chosen)]
    hearing.state = HearingState.VOTING if _party_users(hearing.case_id) else HearingState.PROPOSED
    hearing.vote_deadline = timezone.now() + timedelta(hours=vote_hours)
    hearing.vote_reminded_at = None
    hearing.save(update_fields=["state", "vote_deadline", "vote_reminded_at", "updated_at"])
    journal_append(case=hearing.case, kind=entries.PROPOSED, actor=actor, payload={
        "hearing_id": hearing.pk, "round": rnd, "vote_deadline": hearing.vote_deadline.isoformat(),
        "options": [{"option_id": o.pk, "date": o.date.isoformat(), "slot": o.slot, "courtroom_id": o.courtroom_id}
                    for o in made]})
    listing = "；".join(_when(o.date, o.slot) for o in made)
    _notify(hearing, key=f"vote:{rnd}", text=f"{hearing.case.number}：请在"
            f"{hearing.vote_deadline.astimezone(SHANGHAI):%m月%d日%H:%M}前对拟定的开庭时间投票（{listing}）。")
    return hearing


@transaction.atomic
def hearing_vote(*, access, actor, hearing: Hearing, answers: dict, party_id=None) -> list[HearingVote]:
    """A party or lawyer says, for each proposed slot, whether they can attend (a later vote replaces it)."""
    parties = _party_ids(access.case.pk, actor)
    if not parties:
        raise errors.parties_only()
    try:
        party_id = int(party_id) if party_id not in (None, "") else min(parties)
    except (TypeError, ValueError):
        party_id = None
    if party_id not in parties:
        raise errors.parties_only()
    hearing = _lock(hearing)
    if hearing.state != HearingState.VOTING or (hearing.vote_deadline and timezone.now() > hearing.vote_deadline):
        raise errors.vote_closed()
    current = {o.pk: o for o in hearing.options.filter(withdrawn=False)}
    try:
        parsed = {int(k): bool(v) for k, v in (answers or {}).items()}
    except (TypeError, ValueError):
        parsed = {}
    if not parsed or any(k not in current for k in parsed):
        raise errors.invalid(_("Answer for the proposed times of this hearing."), "answers", options=sorted(current))
    now = timezone.now()
    out = []
    for option_id, available in parsed.items():
        vote, _created = HearingVote.objects.update_or_create(
            option_id=option_id, user=actor, defaults={"party_id": party_id, "available": available, "voted_at": now})
        out.append(vote)
    journal_append(case=hearing.case, kind=entries.VOTED, actor=actor, payload={
        "hearing_id": hearing.pk, "party_id": party_id, "answers": {str(k): v for k, v in sorted(parsed.items())}})
    return out


# --- confirmation, summons, rescheduling ---------------------------------------------------------------------------
def _pick_courtroom(hearing: Hearing, day: date, slot: str, form: str, preferred: Courtroom | None) -> Courtroom | None:
    """A free courtroom of the kind the form needs: online for online hearings, physical for in-court and hybrid."""
    kind = RoomKind.ONLINE if form == Form.ONLINE else RoomKind.PHYSICAL
    slots = planning.taken_slots(slot, hearing.slots_needed)
    booked = planning.booked_rooms(hearing.court_id, day, day, {hearing.pk})
    candidates = ([preferred] if preferred is not None and preferred.kind == kind else []) + [
        r for r in planning.courtrooms(hearing.court_id) if r.kind == kind]
    for room in candidates:
        if all((room.pk, day, s) not in booked for s in slots):
            return room
    return None


def _snapshot(hearing: Hearing) -> dict:
    return {"date": hearing.date.isoformat() if hearing.date else None, "slot": hearing.slot,
            "courtroom_id": hearing.courtroom_id, "form": hearing.form, "state": hearing.state}


def _place(hearing: Hearing, *, day: date, slot: str, courtroom: Courtroom | None, actor, strict_people: bool) -> None:
    _check_slot(hearing, day, slot, None, strict_people=strict_people)
    form = planning.form_of(hearing)
    if form == Form.OFFLINE and not hearing.art21_ground:
        raise errors.invalid(_("No party consents to an online hearing: record which ground of OLR art 21 "
                               "applies before holding it in court."), "art21_ground",
                             allowed=list(Art21Ground.values))
    room = _pick_courtroom(hearing, day, slot, form, courtroom)
    if room is None:
        raise errors.busy(_("No free courtroom of the kind this hearing needs at that time."), form=form)
    start, end = planning.span(day, slot, hearing.slots_needed)
    hearing.date, hearing.slot, hearing.courtroom, hearing.form = day, slot, room, form
    hearing.starts_at, hearing.ends_at = start, end
    hearing.served_on, hearing.notice_short = None, False


def _ensure_room(hearing: Hearing, actor) -> None:
    """Open the online room (core/rooms) for an online or hybrid hearing, hosts and parties seated."""
    from yunting.core.rooms.choices import Activity, Seat
    from yunting.core.rooms.services import room_open

    if hearing.form == Form.OFFLINE or hearing.room_id:
        return
    host = hearing.judge or actor
    seats = []
    role_seat = {CaseRole.PRESIDING_JUDGE: Seat.PRESIDING_JUDGE, CaseRole.JUDGE: Seat.JUDGE, CaseRole.CLERK: Seat.CLERK}
    online = {c.party_id for c in hearing.consents.all() if c.decision == ConsentDecision.CONSENTED}
    party_seat = {"plaintiff": (Seat.PLAINTIFF, Seat.PLAINTIFF_AGENT), "defendant": (Seat.DEFENDANT, Seat.DEFENDANT_AGENT),
                  "applicant": (Seat.APPLICANT, Seat.PLAINTIFF_AGENT), "respondent": (Seat.RESPONDENT, Seat.DEFENDANT_AGENT),
                  "appellant": (Seat.PLAINTIFF, Seat.PLAINTIFF_AGENT), "appellee": (Seat.DEFENDANT, Seat.DEFENDANT_AGENT),
                  "third_party": (Seat.THIRD_PARTY, Seat.THIRD_PARTY)}
    seen = {host.pk}
    for part in Participation.objects.filter(case=hearing.case, role__in=list(role_seat)).select_related("user"):
        if part.user_id and part.user_id not in seen:
            seats.append((part.user, role_seat[part.role]))
            seen.add(part.user_id)
    roles = dict(Party.objects.filter(case=hearing.case).values_list("pk", "role"))
    own_parties = set(Party.objects.filter(case=hearing.case, user__isnull=False).values_list("user_id", "pk"))
    for party_id, user in _acting_for(hearing.case_id):
        if party_id not in online or user.pk in seen:
            continue
        own, agent = party_seat.get(roles.get(party_id), (Seat.PLAINTIFF, Seat.PLAINTIFF_AGENT))
        seats.append((user, own if (user.pk, party_id) in own_parties else agent))
        seen.add(user.pk)
    room = room_open(hearing.case, Activity.HEARING, host, seats,
                     title=f"{hearing.case.number} {APPEAR_REASON.get(hearing.stage_kind, '')}")
    hearing.room = room


def _place_text(hearing: Hearing) -> str:
    room = hearing.courtroom
    where = f"{hearing.case.court.name}{room.name}" + (f"（{room.location}）" if room and room.location else "")
    if hearing.form == Form.OFFLINE:
        return where
    link = reverse("rooms:room", args=[hearing.room_id]) if hearing.room_id else ""
    online = f"云庭在线法庭（登录云庭，进入本案庭审：{link}）"
    return online if hearing.form == Form.ONLINE else f"{where}；同意在线参加的，{online}"


def _summons(hearing: Hearing, actor) -> None:
    """One 传票 per party, issued into the e-file; sealed at once when the actor holds the seal, else left for the
    seal holder (the papers.sealed subscriber serves it then)."""
    from yunting.core.papers.models import Paper
    from yunting.core.papers.services import can_seal, paper_draft, paper_issue, paper_seal

    # a reschedule withdraws the old summonses from service: only the current ones are served
    ids = []
    start = hearing.starts_at.astimezone(SHANGHAI)
    place = _place_text(hearing)
    for party in Party.objects.filter(case=hearing.case).order_by("order", "id"):
        paper = paper_draft(case=hearing.case, template_code="summons", actor=actor, values={
            "recipient": party.name, "appear_as": PARTY_ROLE_ZH.get(party.role, party.role),
            "appear_reason": APPEAR_REASON.get(hearing.stage_kind, "开庭审理"), "appear_at": start, "place": place})
        paper = paper_issue(paper=paper, actor=actor)
        ids.append(paper.pk)
    hearing.summons_paper_ids = ids
    hearing.summons_paper_id = ids[0] if ids else None
    hearing.save(update_fields=["summons_paper_ids", "summons_paper_id", "updated_at"])
    if ids and can_seal(actor, hearing.case.court):
        for paper in Paper.objects.filter(pk__in=ids).order_by("id"):
            paper = paper_seal(paper=paper, actor=actor)
            summons_serve(hearing=hearing, paper=paper)
    elif ids:
        journal_append(case=hearing.case, kind=entries.SUMMONS_READY, actor=actor,
                       payload={"hearing_id": hearing.pk, "paper_ids": ids})


def summons_serve(*, hearing: Hearing, paper) -> bool:
    """Append `service.wanted` for one sealed summons on its party (once per sealed paper)."""
    from yunting.core.efile.models import Document
    from yunting.core.journal.models import JournalEntry

    if paper.pk not in (hearing.summons_paper_ids or []):
        return False
    if JournalEntry.objects.filter(case=hearing.case, kind=entries.SERVICE_WANTED,
                                   payload__paper_id=paper.pk).exists():
        return False
    doc = Document.objects.filter(case=hearing.case, blob_id=paper.pdf_sha256).order_by("-id").first()
    party = Party.objects.filter(case=hearing.case, name=paper.variables.get("recipient")).order_by("order", "id").first()
    if doc is None or party is None:
        return False
    if doc.blob_id and not hearing.summons_sha256:
        hearing.summons_sha256 = doc.blob_id
        hearing.save(update_fields=["summons_sha256", "updated_at"])
    due = hearing.date - timedelta(days=NOTICE_DAYS)
    journal_append(case=hearing.case, kind=entries.SERVICE_WANTED, actor=None, payload={
        "documents": [doc.pk], "recipients": [party.pk], "purpose": "hearings.summons", "hearing_id": hearing.pk,
        "paper_id": paper.pk, "due_on": due.isoformat()})
    return True


def on_paper_sealed(entry) -> None:
    """papers.sealed (subscriber): a summons sealed by the seal holder after confirmation is served now."""
    from yunting.core.papers.models import Paper

    paper_id = (entry.payload or {}).get("paper_id")
    if (entry.payload or {}).get("template") != "summons" or not paper_id:
        return
    paper = Paper.objects.filter(pk=paper_id).first()
    for hearing in Hearing.objects.filter(case_id=entry.case_id, state=HearingState.CONFIRMED):
        if paper is not None and paper.pk in (hearing.summons_paper_ids or []):
            with transaction.atomic():
                summons_serve(hearing=hearing, paper=paper)


def on_service_completed(entry) -> None:
    """service.completed (subscriber): record when the summons reached the party; when that leaves fewer than
    3 days before the hearing, warn the judge (who may reschedule)."""
    p = entry.payload or {}
    if p.get("document_kind") != "summons" or not p.get("served_on"):
        return
    served = date.fromisoformat(p["served_on"])
    for hearing in Hearing.objects.filter(case_id=entry.case_id, state=HearingState.CONFIRMED):
        with transaction.atomic():
            hearing = _lock(hearing)
            hearing.served_on = max(served, hearing.served_on or served)
            short = (hearing.date - hearing.served_on).days < NOTICE_DAYS
            fields = ["served_on", "updated_at"]
            if short and not hearing.notice_short:
                hearing.notice_short = True
                fields.append("notice_short")
                journal_append(case=hearing.case, kind=entries.NOTICE_SHORT, actor=None, payload={
                    "hearing_id": hearing.pk, "served_on": hearing.served_on.isoformat(),
                    "date": hearing.date.isoformat()})
                _notify(hearing, key=f"short:{hearing.served_on}", parties=False, staff=True,
                        text=f"{hearing.case.number}：传票于{hearing.served_on:%m月%d日}送达，距开庭（{_when(hearing)}）"
                             f"不足3日，请考虑改期。")
            hearing.save(update_fields=fields)


def _record_change(hearing, *, kind, before, reason, actor) -> HearingChange:
    return HearingChange.objects.create(hearing=hearing, kind=kind, before=before, after=_snapshot(hearing),
                                        reason=reason[:300], actor=actor, at=timezone.now())


def vote_tally(hearing: Hearing) -> list[dict]:
    """Per current option: who can and cannot attend, by party."""
    out = []
    for o in hearing.options.filter(withdrawn=False).select_related("courtroom").order_by("number"):
        votes = list(o.votes.all())
        out.append({"option": o, "yes": sum(1 for v in votes if v.available),
                    "no": sum(1 for v in votes if not v.available),
                    "no_parties": sorted({v.party_id for v in votes if not v.available and v.party_id})})
    return out


@transaction.atomic
def hearing_confirm(*, access, actor, hearing: Hearing, option_id=None, day=None, slot: str = "",
                    courtroom_id=None, reason: str = "") -> Hearing:
    """The judge fixes the time: one of the voted options, or another time with a reason (override). The online
    room is opened, the summonses issued (and sealed and served when the judge holds the seal), everyone told."""
    _require(access, actor, JUDGE_ROLES)
    hearing = _lock(hearing)
    if hearing.state not in (HearingState.REQUESTED, HearingState.PROPOSED, HearingState.VOTING):
        raise errors.wrong_state(hearing.state)
    reason = (reason or "").strip()
    courtroom = None
    if option_id not in (None, ""):
        option = hearing.options.filter(pk=option_id, withdrawn=False).first()
        if option is None:
            raise errors.invalid(_("Choose one of the proposed times."), "option")
        tally = {t["option"].pk: t for t in vote_tally(hearing)}
        best = max((t["yes"] - 10 * t["no"] for t in tally.values()), default=0)
        if tally[option.pk]["no"] and not reason:
            raise errors.invalid(_("Some parties said they cannot attend at that time: give a reason to confirm it."),
                                 "reason")
        if tally[option.pk]["yes"] - 10 * tally[option.pk]["no"] < best and not reason:
            raise errors.invalid(_("Another time has more votes: give a reason to confirm this one."), "reason")
        day, slot, courtroom = option.date, option.slot, option.courtroom
    else:
        if not reason:
            raise errors.invalid(_("A time other than the proposed ones needs a reason."), "reason")
        day = _parse_day(day, "date")
        if courtroom_id not in (None, ""):
            courtroom = Courtroom.objects.filter(pk=courtroom_id, court_id=hearing.court_id).first()
            if courtroom is None:
                raise errors.invalid(_("Choose an active courtroom of this court."), "courtroom")
    before = _snapshot(hearing)
    _place(hearing, day=day, slot=str(slot or ""), courtroom=courtroom, actor=actor, strict_people=not reason)
    hearing.state, hearing.override_reason = HearingState.CONFIRMED, reason[:300]
    _ensure_room(hearing, actor)
    hearing.save()
    _record_change(hearing, kind="confirmed", before=before, reason=reason, actor=actor)
    journal_append(case=hearing.case, kind=entries.CONFIRMED, actor=actor, payload={
        "hearing_id": hearing.pk, "date": hearing.date.isoformat(), "slot": hearing.slot,
        "starts_at": hearing.starts_at.isoformat(), "courtroom_id": hearing.courtroom_id, "form": hearing.form,
        "room_id": hearing.room_id, "override_reason": hearing.override_reason})
    _summons(hearing, actor)
    _notify(hearing, key=f"confirmed:{hearing.date}:{hearing.slot}", staff=True,
            text=f"{hearing.case.number}：{APPEAR_REASON.get(hearing.stage_kind, '')}定于{_when(hearing)}"
                 f"（{hearing.get_form_display()}）。传票将另行送达。")
    return hearing


@transaction.atomic
def hearing_reschedule(*, access, actor, hearing: Hearing, day, slot: str, courtroom_id=None, reason: str) -> Hearing:
    """Move a confirmed hearing: the reason is kept with the old and new time, new summonses go out, everyone is
    told again."""
    _require(access, actor, JUDGE_ROLES)
    hearing = _lock(hearing)
    if hearing.state != HearingState.CONFIRMED or hearing.live_stage:
        raise errors.wrong_state(hearing.state)
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("Give the reason for rescheduling."), "reason")
    courtroom = None
    if courtroom_id not in (None, ""):
        courtroom = Courtroom.objects.filter(pk=courtroom_id, court_id=hearing.court_id).first()
        if courtroom is None:
            raise errors.invalid(_("Choose an active courtroom of this court."), "courtroom")
    before = _snapshot(hearing)
    _place(hearing, day=_parse_day(day, "date"), slot=str(slot or ""), courtroom=courtroom, actor=actor,
           strict_people=False)
    _ensure_room(hearing, actor)
    hearing.save()
    _record_change(hearing, kind="rescheduled", before=before, reason=reason, actor=actor)
    journal_append(case=hearing.case, kind=entries.RESCHEDULED, actor=actor, payload={
        "hearing_id": hearing.pk, "before": before, "after": _snapshot(hearing), "reason": reason})
    _summons(hearing, actor)
    _notify(hearing, key=f"moved:{hearing.date}:{hearing.slot}", staff=True,
            text=f"{hearing.case.number}：{APPEAR_REASON.get(hearing.stage_kind, '')}改期至{_when(hearing)}"
                 f"（原定{before['date']} {before['slot']}），理由：{reason}。")
    return hearing


@transaction.atomic
def hearing_cancel(*, access, actor, hearing: Hearing, reason: str) -> Hearing:
    _require(access, actor, JUDGE_ROLES)
    hearing = _lock(hearing)
    if hearing.state in (HearingState.HELD, HearingState.CANCELLED) or hearing.live_stage:
        raise errors.wrong_state(hearing.state)
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("Give the reason for cancelling."), "reason")
    before = _snapshot(hearing)
    hearing.state, hearing.cancel_reason = HearingState.CANCELLED, reason[:300]
    hearing.save(update_fields=["state", "cancel_reason", "updated_at"])
    _record_change(hearing, kind="cancelled", before=before, reason=reason, actor=actor)
    journal_append(case=hearing.case, kind=entries.CANCELLED, actor=actor,
                   payload={"hearing_id": hearing.pk, "reason": reason})
    if before["date"]:
        _notify(hearing, key="cancelled", staff=True,
                text=f"{hearing.case.number}：原定{before['date']} {before['slot']}的庭审取消，理由：{reason}。")
    return hearing


# --- consent (OLR arts 4–5, 21) -----------------------------------------------------------------------------------
CONSENT_ACTIONS = {"consent": ConsentDecision.CONSENTED, "refuse": ConsentDecision.REFUSED,
                   "withdraw": ConsentDecision.WITHDRAWN}


def _started(hearing: Hearing) -> bool:
    return bool(hearing.live_stage) or hearing.state in (HearingState.HELD, HearingState.CANCELLED) or bool(
        hearing.starts_at and timezone.now() >= hearing.starts_at)


def _apply_form(hearing: Hearing, actor) -> None:
    """A confirmed hearing follows the parties' answers: the form (and so the room) is re-derived and everyone
    concerned is told when it changes."""
    form = planning.form_of(hearing)
    if hearing.state != HearingState.CONFIRMED or form == hearing.form:
        if hearing.state != HearingState.CONFIRMED:
            hearing.form = form
            hearing.save(update_fields=["form", "updated_at"])
        return
    before = _snapshot(hearing)
    hearing.form = form
    if form != Form.ONLINE and hearing.courtroom and hearing.courtroom.kind == RoomKind.ONLINE:
        room = _pick_courtroom(hearing, hearing.date, hearing.slot, form, None)
        if room is not None:
            hearing.courtroom = room
    _ensure_room(hearing, actor)
    hearing.save()
    _record_change(hearing, kind="form", before=before, reason="当事人在线庭审意愿变化", actor=actor)
    _notify(hearing, key=f"form:{form}:{timezone.now():%H%M%S}", staff=True, sms=False,
            text=f"{hearing.case.number}：庭审方式变更为{hearing.get_form_display()}（{_when(hearing)}）。")


@transaction.atomic
def hearing_consent(*, access, actor, hearing: Hearing, action: str, party_id=None, reason: str = ""
                    ) -> HearingParticipantConsent:
    """A party (or their lawyer) consents to this hearing online, refuses (attends in court) or withdraws a
    consent before the hearing starts. Consent to one hearing never counts for another (OLR art 4)."""
    parties = _party_ids(access.case.pk, actor)
    if not parties:
        raise errors.parties_only()
    try:
        party_id = int(party_id) if party_id not in (None, "") else min(parties)
    except (TypeError, ValueError):
        party_id = None
    if party_id not in parties:
        raise errors.parties_only()
    if action not in CONSENT_ACTIONS:
        raise errors.invalid(_("Answer consent, refuse or withdraw."), "action", allowed=list(CONSENT_ACTIONS))
    hearing = _lock(hearing)
    if _started(hearing):
        raise errors.started()
    row = HearingParticipantConsent.objects.select_for_update().get(hearing=hearing, party_id=party_id)
    if action == "withdraw" and row.decision != ConsentDecision.CONSENTED:
        raise errors.invalid(_("Only a consent given can be withdrawn."), "action")
    reason = (reason or "").strip()
    if action == "withdraw" and not reason:
        raise errors.invalid(_("Say why you withdraw your consent: the judge reviews it (OLR art 5)."), "reason")
    row.decision, row.reason = CONSENT_ACTIONS[action], reason[:300]
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    _apply_form(hearing, actor)
    journal_append(case=hearing.case, kind=entries.CONSENT, actor=actor, payload={
        "hearing_id": hearing.pk, "party_id": party_id, "decision": row.decision, "reason": row.reason,
        "form": hearing.form})
    if action == "withdraw":
        _notify(hearing, key=f"withdraw:{party_id}:{row.decided_at:%H%M%S}", parties=False, staff=True, sms=False,
                text=f"{hearing.case.number}：一方当事人撤回在线庭审同意，理由：{reason}。请审查是否属于拖延诉讼。")
    return row


@transaction.atomic
def hearing_set_art21(*, access, actor, hearing: Hearing, ground: str, note: str = "") -> Hearing:
    """The judge records the OLR art-21 ground for holding the hearing in court ("" clears it)."""
    _require(access, actor, JUDGE_ROLES)
    hearing = _lock(hearing)
    if _started(hearing):
        raise errors.started()
    if ground and ground not in Art21Ground.values:
        raise errors.invalid(_("Choose one of the seven grounds of OLR art 21."), "ground",
                             allowed=list(Art21Ground.values))
    note = (note or "").strip()
    if ground == Art21Ground.OTHER and not note:
        raise errors.invalid(_("Say what the other reason is."), "note")
    hearing.art21_ground, hearing.art21_note = ground, note[:300]
    hearing.save(update_fields=["art21_ground", "art21_note", "updated_at"])
    _apply_form(hearing, actor)
    journal_append(case=hearing.case, kind=entries.FORM_SET, actor=actor, payload={
        "hearing_id": hearing.pk, "form": hearing.form, "art21_ground": ground, "note": hearing.art21_note})
    return hearing


# --- the hearing itself -------------------------------------------------------------------------------------------
@transaction.atomic
def hearing_stage_set(hearing: Hearing, stage: str, actor) -> Hearing:
    """The judge moves the hearing to `stage` (a journal entry every open page of the case receives at once);
    "ended" marks the hearing held."""
    access = access_case_for(actor, hearing.case_id, need=Capability.WRITE_JOURNAL)
    _require(access, actor, JUDGE_ROLES)
    hearing = _lock(hearing)
    if hearing.state != HearingState.CONFIRMED:
        raise errors.wrong_state(hearing.state)
    if stage not in LIVE_STAGE_ORDER:
        raise errors.invalid(_("Unknown hearing stage."), "stage", allowed=LIVE_STAGE_ORDER)
    now = timezone.now()
    hearing.live_stage, hearing.live_stage_at = stage, now
    fields = ["live_stage", "live_stage_at", "updated_at"]
    if stage == LiveStage.ENDED:
        hearing.state = HearingState.HELD
        fields.append("state")
    hearing.save(update_fields=fields)
    HearingStageLog.objects.create(hearing=hearing, stage=stage, actor=actor, at=now)
    with translation.override("zh-hans"):
        label = str(LiveStage(stage).label)
    journal_append(case=hearing.case, kind=entries.STAGE_SET, actor=actor, payload={
        "hearing_id": hearing.pk, "room_id": hearing.room_id, "stage": stage, "label": label})
    if stage == LiveStage.ENDED:
        journal_append(case=hearing.case, kind=entries.HELD, actor=actor, payload={"hearing_id": hearing.pk})
    return hearing


# --- reminders -----------------------------------------------------------------------------------------------------
def hearing_remind_votes(now: datetime | None = None) -> int:
    """Periodic: voters who have not answered hear once, a few hours before the vote closes."""
    now = now or timezone.now()
    sent = 0
    due = Hearing.objects.filter(state=HearingState.VOTING, vote_reminded_at__isnull=True,
                                 vote_deadline__gt=now, vote_deadline__lte=now + REMIND_BEFORE)
    for hearing in due.select_related("case"):
        with transaction.atomic():
            hearing = _lock(hearing)
            if hearing.vote_reminded_at is not None:
                continue
            voted = set(HearingVote.objects.filter(option__hearing=hearing, option__withdrawn=False)
                        .values_list("party_id", flat=True))
            waiting = [pid for pid in _party_users(hearing.case_id) if pid not in voted]
            if waiting:
                _remind(hearing, waiting)
                sent += 1
            hearing.vote_reminded_at = now
            hearing.save(update_fields=["vote_reminded_at", "updated_at"])
    return sent


def _remind(hearing: Hearing, party_ids) -> None:
    from yunting.core.threads import services as threads
    from yunting.kernel.notify.services import outbox_enqueue

    thread = threads.thread_ensure(case=hearing.case, purpose=THREAD_PURPOSE, title="庭审")
    text = (f"{hearing.case.number}：开庭时间投票将于{hearing.vote_deadline.astimezone(SHANGHAI):%m月%d日%H:%M}"
            f"截止，您尚未投票。")
    for pid, users in _party_users(hearing.case_id).items():
        if pid not in party_ids:
            continue
        for user in users:
            threads.notice_send(user=user, thread=thread, key=f"hearing:remind:{hearing.pk}:{user.pk}", text=text,
                                url=reverse("hearings:case", args=[hearing.case_id]))
            if getattr(user, "phone", ""):
                try:
                    outbox_enqueue(phone=user.phone, purpose="hearings", body=f"【云庭】{text}")
                except Exception:
                    log.warning("no SMS for user %s: bad phone", user.pk)


# --- a division's week -------------------------------------------------------------------------------------------
def may_plan(actor, division) -> bool:
    from yunting.core.courts.permissions import heads_division, is_court_admin

    return is_court_admin(actor, division.court_id) or heads_division(actor, division.pk)


def division_requested(division) -> list[Hearing]:
    from yunting.core.courts.models import CaseState

    case_ids = CaseState.objects.filter(division=division).values_list("case_id", flat=True)
    return list(Hearing.objects.filter(court_id=division.court_id, state=HearingState.REQUESTED,
                                       case_id__in=case_ids).select_related("case").prefetch_related("consents"))


@transaction.atomic
def plan_run_start(*, actor, division, week_start) -> PlanRun:
    """Queue a week's plan for the division's requested hearings; the solver runs as a background job."""
    if not may_plan(actor, division):
        raise errors.admin_only()
    week_start = _parse_day(week_start, "week_start")
    if week_start.weekday() != 0:
        raise errors.invalid(_("A week starts on a Monday."), "week_start")
    run = PlanRun.objects.create(court_id=division.court_id, division=division, week_start=week_start, created_by=actor)

    def kick():
        from .tasks import plan_run_job

        plan_run_job.enqueue(run_id=run.pk)

    transaction.on_commit(kick)
    return run


def plan_run_execute(run_id: int) -> PlanRun:
    """The job: build the problem from the database, solve, keep the plan for the planner to review."""
    run = PlanRun.objects.select_related("division").get(pk=run_id)
    if run.status not in (PlanRun.Status.QUEUED, PlanRun.Status.FAILED):
        return run
    PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.RUNNING, progress=10)
    try:
        hearings = division_requested(run.division)
        if not hearings:
            problem, plan = {}, {"placed": [], "unplaced": []}
        else:
            PlanRun.objects.filter(pk=run.pk).update(progress=30)
            problem, plan = planning.week_plan(hearings, week_start=run.week_start)
        PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.DONE, progress=100, problem=problem, plan=plan,
                                                 finished_at=timezone.now())
    except ValidationFailed as exc:
        PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.FAILED, error_message=str(exc.message)[:500],
                                                 finished_at=timezone.now())
    except Exception as exc:  # the planner sees it failed and can run again; nothing was changed
        log.exception("plan run %s failed", run.pk)
        PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.FAILED, error_message=str(exc)[:500],
                                                 finished_at=timezone.now())
    run.refresh_from_db()
    return run


@transaction.atomic
def plan_run_apply(*, actor, run: PlanRun) -> dict:
    """Confirm every placed hearing of a reviewed plan (summonses and rooms as for one confirmation); a hearing
    that can no longer take its slot is reported, the others go ahead."""
    run = PlanRun.objects.select_for_update(of=("self",)).select_related("division").get(pk=run.pk)
    if not may_plan(actor, run.division):
        raise errors.admin_only()
    if run.status != PlanRun.Status.DONE:
        from yunting.kernel.common.errors import Conflict

        raise Conflict(_("Only a finished plan can be confirmed, once."), code="hearing_plan_state")
    confirmed, failed = [], []
    for item in run.plan.get("placed", []):
        hearing = Hearing.objects.select_related("case").filter(pk=int(item["hearing"])).first()
        if hearing is None:
            continue
        try:
            with transaction.atomic():
                hearing = _lock(hearing)
                if hearing.state != HearingState.REQUESTED:
                    raise errors.wrong_state(hearing.state)
                before = _snapshot(hearing)
                room = Courtroom.objects.filter(pk=int(item["room"])).first()
                _place(hearing, day=date.fromisoformat(item["date"]), slot=item["slot"], courtroom=room, actor=actor,
                       strict_people=True)
                hearing.state = HearingState.CONFIRMED
                _ensure_room(hearing, actor)
                hearing.save()
                _record_change(hearing, kind="confirmed", before=before, reason="分庭周排期", actor=actor)
                journal_append(case=hearing.case, kind=entries.CONFIRMED, actor=actor, payload={
                    "hearing_id": hearing.pk, "date": hearing.date.isoformat(), "slot": hearing.slot,
                    "starts_at": hearing.starts_at.isoformat(), "courtroom_id": hearing.courtroom_id,
                    "form": hearing.form, "room_id": hearing.room_id, "override_reason": "", "plan_run": run.pk})
                _summons(hearing, actor)
                _notify(hearing, key=f"confirmed:{hearing.date}:{hearing.slot}", staff=True,
                        text=f"{hearing.case.number}：{APPEAR_REASON.get(hearing.stage_kind, '')}定于{_when(hearing)}"
                             f"（{hearing.get_form_display()}）。传票将另行送达。")
            confirmed.append(hearing.pk)
        except Exception as exc:  # noqa: BLE001 - one hearing's problem is reported, the rest go ahead
            failed.append({"hearing": item["hearing"], "reason": str(getattr(exc, "message", exc))})
    run.status = PlanRun.Status.APPLIED
    run.save(update_fields=["status"])
    return {"confirmed": confirmed, "failed": failed}
