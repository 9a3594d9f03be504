"""庭审 pages: a case's hearing panel (phone-first for parties: vote, consent), 我的庭审, my unavailability, the
court's week calendar, courtrooms (court admin) and the division's week plan. Each act: access, one service, a
message, back."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.courts.models import Division
from yunting.core.courts.selectors import admin_courts, headed_divisions, posts_of
from yunting.core.rooms.choices import ParticipantState, RoomState
from yunting.core.rooms.models import Participant
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import shanghai_today
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.hearings import planning, selectors, services
from yunting.workflows.hearings.choices import LIVE_STAGE_ORDER, Art21Ground, LiveStage, RoomKind, StageKind
from yunting.workflows.hearings.models import Courtroom, PlanRun, Unavailability
from yunting.workflows.transcripts.errors import TranscriptNotFound
from yunting.workflows.transcripts.selectors import access_transcript_for


def _access(request, case_id):
    try:
        return access_case_for(request.user, case_id, need=Capability.VIEW_CASE)
    except CaseNotFound:
        raise Http404("case") from None


def _monday(value) -> date:
    try:
        day = date.fromisoformat(value) if value else shanghai_today()
    except ValueError:
        day = shanghai_today()
    return day - timedelta(days=day.weekday())


def _courts_of(user) -> list:
    """Courts whose calendar the person may see: where they hold a post or administer."""
    from yunting.core.people.models import Membership

    courts = {p.court_id: p.court for p in posts_of(user)}
    courts.update({c.pk: c for c in admin_courts(user)})
    for m in Membership.objects.filter(user=user, organisation__kind="court").select_related("organisation"):
        courts.setdefault(m.organisation_id, m.organisation)
    return list(courts.values())


@login_required
def case(request, case_id: int):
    access = _access(request, case_id)
    c = access.case
    court = access.can(Capability.WRITE_JOURNAL)
    parties = services._party_ids(c.pk, request.user)
    hearings = selectors.hearings_for_case(c)
    read_log(user=request.user, action="hearings.view", channel="web", case_id=c.pk, object_type="hearings",
             ip=client_ip(request))
    rooms = _rooms_entered_by(request.user, [h.room_id for h in hearings if h.room_id])
    rows = [{"h": h, "data": selectors.hearing_json(h, court=court, party_ids=parties, user=request.user),
             "attendance": selectors.hearing_attendance(h) if court and h.room_id else [],
             # links shown only where they open for this person: a seat in the room, a standing on the transcript
             "room_opens": h.room_id in rooms, "transcript_opens": _transcript_opens(request.user, h)}
            for h in hearings]
    is_judge = court and bool(services._roles(c.pk, request.user) & set(services.JUDGE_ROLES))
    return render(request, "hearings/case.html", {
        "case": c, "access": access, "rows": rows, "court": court, "is_judge": is_judge, "party_ids": parties,
        "stage_kinds": StageKind.choices, "art21": Art21Ground.choices, "live_stages": [
            (s, LiveStage(s).label) for s in LIVE_STAGE_ORDER], "slots": planning.slot_times(),
        "courtrooms": selectors.courtrooms_of(c.court) if court else [],
        "attendance_labels": selectors.ATTENDANCE_LABELS, "section": "hearings", "nav": "hearings"})


def _rooms_entered_by(user, room_ids) -> set[int]:
    if not room_ids:
        return set()
    return set(Participant.objects.filter(room_id__in=room_ids, user=user).exclude(state=ParticipantState.REMOVED)
               .exclude(room__state=RoomState.CLOSED).values_list("room_id", flat=True))


def _transcript_opens(user, hearing) -> bool:
    if hearing.state not in ("confirmed", "held"):
        return False
    try:
        access_transcript_for(user, hearing.pk)
    except TranscriptNotFound:
        return False
    return True


def _hearing_op(request, access, op: str):
    p = request.POST
    user = request.user
    if op == "request":
        services.hearing_request(access=access, actor=user, stage_kind=p.get("stage_kind", "trial"),
                                 slots_needed=p.get("slots_needed") or None, not_before=p.get("not_before") or None)
        return _("Hearing requested; the parties are asked whether they consent to hold it online.")
    hearing = services.hearing_get(access, p.get("hearing"))
    if op == "propose":
        services.hearing_propose(access=access, actor=user, hearing=hearing, vote_hours=p.get("vote_hours") or 24)
        return _("Times proposed; the parties are voting.")
    if op == "vote":
        answers = {k[7:]: v == "1" for k, v in p.items() if k.startswith("option_")}
        services.hearing_vote(access=access, actor=user, hearing=hearing, answers=answers, party_id=p.get("party"))
        return _("Your answer is recorded. You can change it until voting closes.")
    if op == "confirm":
        services.hearing_confirm(access=access, actor=user, hearing=hearing, option_id=p.get("option") or None,
                                 day=p.get("date") or None, slot=p.get("slot", ""),
                                 courtroom_id=p.get("courtroom") or None, reason=p.get("reason", ""))
        return _("Hearing confirmed; the summonses are issued.")
    if op == "reschedule":
        services.hearing_reschedule(access=access, actor=user, hearing=hearing, day=p.get("date"), slot=p.get("slot", ""),
                                    courtroom_id=p.get("courtroom") or None, reason=p.get("reason", ""))
        return _("Hearing rescheduled; everyone is told and new summonses are issued.")
    if op == "cancel":
        services.hearing_cancel(access=access, actor=user, hearing=hearing, reason=p.get("reason", ""))
        return _("Hearing cancelled.")
    if op == "consent":
        services.hearing_consent(access=access, actor=user, hearing=hearing, action=p.get("action", ""),
                                 party_id=p.get("party"), reason=p.get("reason", ""))
        return _("Your answer on online attendance is recorded.")
    if op == "art21":
        services.hearing_set_art21(access=access, actor=user, hearing=hearing, ground=p.get("ground", ""),
                                   note=p.get("note", ""))
        return _("The form of the hearing is recorded.")
    if op == "stage":
        services.hearing_stage_set(hearing, p.get("stage", ""), user)
        return _("Stage changed.")
    raise Http404("op")


@login_required
@require_POST
def act(request, case_id: int):
    access = _access(request, case_id)
    try:
        done = _hearing_op(request, access, request.POST.get("op", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(reverse("hearings:case", args=[case_id]) + (f"#h{request.POST.get('hearing')}"
                                                                   if request.POST.get("hearing") else ""))


@login_required
def mine(request):
    """我的庭审: every hearing of my cases, what I still have to answer first."""
    hearings = selectors.hearings_for_user(request.user)
    pending = selectors.my_pending(request.user, hearings)
    for h in hearings:
        read_log(user=request.user, action="hearings.list", channel="web", case_id=h.case_id, object_type="hearing",
                 object_id=h.pk, ip=client_ip(request))
    return render(request, "hearings/mine.html", {
        "hearings": hearings, "pending": pending, "calendar": bool(_courts_of(request.user)),
        "admin": admin_courts(request.user).exists(), "planner": headed_divisions(request.user).exists()
        or admin_courts(request.user).exists(), "section": "hearings", "nav": "hearings"})


@login_required
def unavailable(request):
    """My unavailability (phone page): a day or one slot I cannot attend, in every case of the court."""
    from yunting.core.cases.models import Participation
    from yunting.core.people.models import Organisation

    court_ids = set(Participation.objects.filter(user=request.user).values_list("case__court_id", flat=True))
    court_ids |= {c.pk for c in _courts_of(request.user)}
    courts = list(Organisation.objects.filter(pk__in=court_ids).order_by("name"))
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                row = Unavailability.objects.filter(pk=request.POST["remove"], user=request.user).first()
                if row is None:
                    raise Http404("row")
                services.unavailability_remove(actor=request.user, row=row)
                messages.success(request, _("Removed."))
            else:
                court = next((c for c in courts if str(c.pk) == request.POST.get("court")), None) or (
                    courts[0] if len(courts) == 1 else None)
                if court is None:
                    messages.error(request, _("Choose the court."))
                else:
                    services.unavailability_add(actor=request.user, court=court, day=request.POST.get("date"),
                                                slot=request.POST.get("slot", ""), reason=request.POST.get("reason", ""))
                    messages.success(request, _("Saved: no hearing will be planned for you then."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("hearings:unavailable")
    return render(request, "hearings/unavailable.html", {
        "rows": selectors.unavailability_of(request.user, from_day=shanghai_today()), "courts": courts,
        "slots": planning.slot_times(), "today": shanghai_today(), "section": "hearings", "nav": "hearings"})


@login_required
def calendar(request):
    """The court's week: per courtroom or per judge (court staff only)."""
    courts = _courts_of(request.user)
    if not courts:
        raise Http404("court")
    court = next((c for c in courts if str(c.pk) == request.GET.get("court")), courts[0])
    by = "judge" if request.GET.get("by") == "judge" else "courtroom"
    cal = selectors.week_calendar(court, _monday(request.GET.get("week")), viewer=request.user, by=by)
    for item in (i for row in cal["rows"] for cell in row["days"] for i in cell if not i["restricted"]):
        read_log(user=request.user, action="hearings.calendar", channel="web", case_id=item["case_id"],
                 object_type="hearing", object_id=item["hearing_id"], ip=client_ip(request))
    return render(request, "hearings/calendar.html", {"cal": cal, "court": court, "courts": courts,
                                                      "section": "hearings", "nav": "hearings"})


@login_required
def courtrooms(request):
    courts = list(admin_courts(request.user))
    if not courts:
        raise Http404("court")
    court = next((c for c in courts if str(c.pk) == (request.POST.get("court") or request.GET.get("court"))), courts[0])
    if request.method == "POST":
        room = Courtroom.objects.filter(pk=request.POST.get("id"), court=court).first() if request.POST.get("id") else None
        try:
            services.courtroom_save(actor=request.user, court=court, name=request.POST.get("name", ""),
                                    kind=request.POST.get("kind", ""), capacity=request.POST.get("capacity", 20),
                                    location=request.POST.get("location", ""),
                                    active=request.POST.get("active", "1") == "1", courtroom=room)
            messages.success(request, _("Courtroom saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("hearings:courtrooms") + f"?court={court.pk}")
    return render(request, "hearings/courtrooms.html", {
        "court": court, "courts": courts, "rooms": selectors.courtrooms_of(court), "kinds": RoomKind.choices,
        "section": "hearings", "nav": "hearings"})


def _divisions(user):
    ids = set(headed_divisions(user).values_list("pk", flat=True))
    for court in admin_courts(user):
        ids |= set(Division.objects.filter(court=court).values_list("pk", flat=True))
    return list(Division.objects.filter(pk__in=ids).select_related("court").order_by("court", "order", "id"))


@login_required
def plan(request):
    """A division head or court admin plans the division's requested hearings for one week."""
    divisions = _divisions(request.user)
    if not divisions and not admin_courts(request.user).exists():
        raise Http404("division")
    if request.method == "POST":
        division = next((d for d in divisions if str(d.pk) == request.POST.get("division")), None)
        if division is None:
            messages.error(request, _("Choose a division."))
            return redirect("hearings:plan")
        try:
            run = services.plan_run_start(actor=request.user, division=division,
                                          week_start=request.POST.get("week_start", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("hearings:plan")
        return redirect("hearings:plan_run", run.pk)
    runs = PlanRun.objects.filter(division__in=divisions).select_related("division").order_by("-created_at")[:10]
    requested = {d.pk: len(services.division_requested(d)) for d in divisions}
    return render(request, "hearings/plan.html", {
        "divisions": divisions, "requested": requested, "runs": runs,
        "next_monday": _monday(None) + timedelta(days=7), "section": "hearings", "nav": "hearings"})


def _run_for(request, run_id):
    run = PlanRun.objects.select_related("division").filter(pk=run_id).first()
    if run is None or run.division not in _divisions(request.user):
        raise Http404("run")
    return run


@login_required
def plan_run(request, run_id: int):
    run = _run_for(request, run_id)
    if request.method == "POST":
        try:
            result = services.plan_run_apply(actor=request.user, run=run)
            messages.success(request, _("%(n)s hearings confirmed.") % {"n": len(result["confirmed"])})
            for f in result["failed"]:
                messages.warning(request, f"{f['hearing']}：{f['reason']}")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("hearings:plan_run", run.pk)
    from yunting.workflows.hearings.models import Hearing

    ids = [int(x["hearing"]) for x in [*run.plan.get("placed", []), *run.plan.get("unplaced", [])]]
    # as on the calendar: a hearing of a case the planner may not see is planned, but its case is not named
    hearings = {h.pk: h for h in Hearing.objects.filter(pk__in=ids).select_related("case")}
    shown = selectors.case_ids_shown_to(request.user, {h.case_id for h in hearings.values()})
    hearings = {pk: h for pk, h in hearings.items() if h.case_id in shown}
    rooms = {str(r.pk): r.name for r in Courtroom.objects.filter(court_id=run.court_id)}
    for h in hearings.values():
        read_log(user=request.user, action="hearings.plan", channel="web", case_id=h.case_id, object_type="hearing",
                 object_id=h.pk, ip=client_ip(request))
    placed = [{**x, "h": hearings.get(int(x["hearing"])), "room_name": rooms.get(str(x["room"]), x["room"])}
              for x in run.plan.get("placed", [])]
    unplaced = [{**x, "h": hearings.get(int(x["hearing"]))} for x in run.plan.get("unplaced", [])]
    return render(request, "hearings/plan_run.html", {"run": run, "placed": placed, "unplaced": unplaced,
                                                      "section": "hearings", "nav": "hearings"})


@login_required
def plan_status(request, run_id: int):
    run = _run_for(request, run_id)
    return JsonResponse({"status": run.status, "progress": run.progress, "error": run.error_message})
