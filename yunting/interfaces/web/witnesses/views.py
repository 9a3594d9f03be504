"""证人在线作证 pages: a party's application form (phone first), the case's witness panel (the judge decides,
the other side objects, the judge runs the testimony), the court's rules, and the witness's own page (its state
and the oath; the page itself is the room's, /rooms/{id}/, which shows the witness panel for a witness seat).
Thin: access, one service, a message."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.people.models import Membership
from yunting.core.rooms.choices import RoomState
from yunting.core.rooms.models import Room
from yunting.core.rooms.selectors import room_seat_for
from yunting.interfaces.realtime.rooms import GUEST_SESSION_KEY
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.witnesses import eligibility, selectors, services
from yunting.workflows.witnesses.choices import ApplicationStatus, Stage, StopReason
from yunting.workflows.witnesses.models import EligibilityRules


def _access(request, case_id):
    try:
        return access_case_for(request.user, case_id, need=Capability.VIEW_CASE)
    except CaseNotFound:
        raise Http404("case") from None


def _png(data_url: str) -> bytes:
    head, _sep, body = (data_url or "").partition(",")
    if head != "data:image/png;base64":
        return b""
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return b""


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, case_id: int):
    """A party (or its lawyer) applies for a witness to testify online."""
    access = _access(request, case_id)
    party = services.party_of(access, request.user)
    if party is None:
        raise Http404("case")
    form, error = {}, None
    if request.method == "POST":
        form = request.POST
        try:
            services.witness_apply(
                access=access, actor=request.user, witness_name=form.get("witness_name", ""),
                witness_phone=form.get("witness_phone", ""), witness_id_number=form.get("witness_id_number", ""),
                ground=form.get("ground", ""), ground_note=form.get("ground_note", ""), facts=form.get("facts", ""),
                applicant_outside_designated_place=form.get("outside") == "1")
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("Application submitted. The judge will decide; the other side may object."))
            return redirect("witnesses:case", case_id=access.case.pk)
    return render(request, "witnesses/apply.html", {
        "case": access.case, "access": access, "party": party, "grounds": list(eligibility.GROUNDS.items()),
        "form": form, "error": error, "error_field": (error.data.get("field") if error else ""), "section": "witnesses"})


def _op(request, access, app):
    p, user = request.POST, request.user
    op = p.get("op", "")
    kw = {"access": access, "actor": user, "application": app}
    if op == "decide":
        services.witness_decide(**kw, approve=p.get("approve") == "1", reason=p.get("reason", ""))
        return _("Decision recorded.")
    if op == "object":
        services.witness_object(**kw, reason=p.get("reason", ""), may_be_directed=p.get("directed") == "1")
        return _("Objection submitted; the judge will decide.")
    if op == "objection":
        services.witness_objection_decide(**kw, upheld=p.get("upheld") == "1", reason=p.get("reason", ""))
        return _("Decision on the objection recorded.")
    if op == "notice":
        services.witness_notice_issue(**kw)
        return _("The notice to testify online was issued.")
    if op == "invite":
        separate = p.get("room") == "separate"
        room = None
        if not separate:
            room = Room.objects.filter(case=access.case, pk=int(p.get("room") or 0) if (p.get("room") or "").isdigit()
                                       else 0).first()
        participant = services.witness_invite(**kw, room=room, separate=separate)
        link = request.build_absolute_uri(reverse("rooms:join", args=[participant.invitation_token]))
        return _("The witness was sent a one-time link by SMS: %(link)s") % {"link": link}
    if op == "call":
        services.witness_call(**kw)
        return _("The witness was called and is asked to verify their identity again.")
    if op == "admit":
        services.witness_admit(**kw)
        return _("The witness was admitted to testify.")
    if op == "read_aloud":
        services.witness_read_aloud(**kw)
        return _("The oath is shown full-screen on the witness's page.")
    if op == "stop":
        services.witness_stop(**kw, reason=p.get("reason", ""), text=p.get("text", ""), dismiss=p.get("dismiss") == "1")
        return _("Testimony stopped.")
    if op == "dismiss":
        services.witness_dismiss(**kw)
        return _("The witness was dismissed; their access has ended.")
    if op == "place":
        services.witness_place_record(**kw, court_name=p.get("court_name", ""))
        return _("Recorded.")
    raise Http404("op")


@login_required
@require_http_methods(["GET", "POST"])
def case_panel(request, case_id: int):
    """The case's witnesses: parties see the applications (and object); the judge decides and runs testimony."""
    access = _access(request, case_id)
    if request.method == "POST":
        app = selectors.application_get(access, request.POST.get("application")) \
            if (request.POST.get("application") or "").isdigit() else None
        if app is None:
            raise Http404("application")
        try:
            messages.success(request, _op(request, access, app))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("witnesses:case", args=[access.case.pk]) + f"#w{app.pk}")
    court_side = access.can(Capability.WRITE_JOURNAL)
    party = services.party_of(access, request.user)
    if not court_side and party is None:
        raise Http404("case")
    apps = selectors.applications_for(access)
    read_log(user=request.user, action="witnesses.view", channel="web", case_id=access.case.pk,
             object_type="witness_applications", ip=client_ip(request))
    rows = [selectors.judge_view(access, a) for a in apps]
    for row in rows:
        a = row["app"]
        row["may_object"] = (party is not None and party.role != a.side
                             and a.status == ApplicationStatus.OBJECTION_PERIOD)
    rooms = list(Room.objects.filter(case=access.case).exclude(state=RoomState.CLOSED).order_by("-id")) \
        if services.is_judge(access) else []
    return render(request, "witnesses/case.html", {
        "case": access.case, "access": access, "rows": rows, "judge": services.is_judge(access),
        "court_side": court_side, "party": party, "rooms": rooms, "stop_reasons": StopReason.choices,
        "personal": access.can(Capability.VIEW_PERSONAL_DATA), "Stage": Stage, "section": "witnesses"})


def _admin_court(user):
    m = Membership.objects.filter(user=user, role="court_admin").select_related("organisation").first()
    return m.organisation if m else None


@login_required
@require_http_methods(["GET", "POST"])
def rules(request):
    """The court's administrator edits its rules for online witnesses (defaults: Ningbo Beilun)."""
    court = _admin_court(request.user)
    if court is None:
        raise Http404("rules")
    if request.method == "POST":
        p = request.POST
        try:
            services.rules_save(
                court=court, actor=request.user, allowed_grounds=p.getlist("allowed_grounds"),
                excluded_procedures=p.getlist("excluded_procedures"), excluded_flags=p.getlist("excluded_flags"),
                max_online_per_side=p.get("max_online_per_side"), objection_days=p.get("objection_days"),
                designated_if_directed=p.get("designated_if_directed") == "1",
                designated_if_several=p.get("designated_if_several") == "1",
                designated_if_applicant_outside=p.get("designated_if_applicant_outside") == "1")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The witness rules were saved."))
        return redirect("witnesses:rules")
    row = EligibilityRules.objects.filter(court=court).first() or EligibilityRules(court=court)
    return render(request, "witnesses/rules.html", {
        "court": court, "row": row, "grounds": eligibility.GROUNDS.items(),
        "procedures": eligibility.PROCEDURES.items(), "flags": eligibility.FLAGS.items()})


# --- the witness's own page (the room page shows the panel; these serve it) -------------------------------------------
def _witness_seat(request, room_id):
    try:
        seat = room_seat_for(request.user, room_id, guest_participant_ids=list(request.session.get(GUEST_SESSION_KEY, [])))
    except ApplicationError:
        seat = None
    app = selectors.application_for_seat(seat)
    if app is None:
        raise Http404("seat")
    return seat, app


def seat_state(request, room_id: int):
    """The witness's stage, polled by the witness's page: nothing of the hearing, only what to do next."""
    try:
        seat, app = _witness_seat(request, room_id)
    except Http404:
        return JsonResponse({"stage": Stage.DISMISSED, "gone": True}, status=404)
    return JsonResponse(selectors.witness_page_state(app, seat))


@require_POST
def seat_oath(request, room_id: int):
    """The witness signs the oath by hand (the strokes come as a PNG data URL from the signature pad)."""
    seat, _app = _witness_seat(request, room_id)
    try:
        services.witness_oath_sign(participant=seat, strokes_png=_png(request.POST.get("strokes", "")),
                                   device=request.headers.get("User-Agent", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The oath is signed. Wait to be admitted."))
    return redirect("rooms:room", room_id=room_id)
