"""共享法庭 pages: the public list of points, the court's registry and travel table, a case's attendance panel
(parties apply, the judge decides or proposes), the staff workbench (identity, join for the party, presence,
signature, assisted filing), statistics and the weekly digest. Thin: access, one service, a message."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.courts.selectors import admin_courts
from yunting.interfaces.realtime.rooms import GUEST_SESSION_KEY
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.sharedcourt import selectors, services, stats
from yunting.workflows.sharedcourt.choices import AttendanceStatus, Equipment, PointKind
from yunting.workflows.sharedcourt.models import Attendance


def _log(request, action: str, *, case_id=None, object_type="", object_id=""):
    read_log(user=request.user, action=action, channel="web", case_id=case_id, object_type=object_type,
             object_id=object_id, ip=client_ip(request))


def _fail(request, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


# --- public list -----------------------------------------------------------------------------------------------------
def public_list(request):
    """共享法庭服务点: anyone may look a point up by township, street or name; no map needed."""
    q = request.GET.get("q", "").strip()[:60]
    page = selectors.points_public(q=q, page=request.GET.get("page") or 1)
    return render(request, "sharedcourt/public_list.html", {"page": page, "q": q, "equipment": dict(Equipment.choices),
                                                            "section": "sharedcourt"})


# --- registry (court administrators) -------------------------------------------------------------------------------
def _admin_court(request):
    courts = list(admin_courts(request.user))
    if not courts:
        raise Http404("court")
    wanted = request.GET.get("court") or request.POST.get("court")
    return next((c for c in courts if str(c.pk) == str(wanted)), courts[0]), courts


def _point_fields(post) -> dict:
    return {"kind": post.get("kind", ""), "township": post.get("township", ""), "address": post.get("address", ""),
            "equipment": post.getlist("equipment"), "opening_hours": post.get("opening_hours", ""),
            "phone": post.get("phone", "")}


@login_required
def manage(request):
    court, courts = _admin_court(request)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "create":
                services.point_create(actor=request.user, court=court, name=request.POST.get("name", ""),
                                      **_point_fields(request.POST))
                messages.success(request, _("The service point was registered."))
            elif op == "travel":
                services.travel_set(actor=request.user, court=court, township=request.POST.get("township", ""),
                                    distance_km=request.POST.get("distance_km", ""),
                                    minutes=request.POST.get("minutes", ""))
                messages.success(request, _("The travel table was updated."))
        except ApplicationError as exc:
            _fail(request, exc)
        return redirect(f"{request.path}?court={court.pk}")
    return render(request, "sharedcourt/manage.html", {
        "court": court, "courts": courts, "points": selectors.points_of_court(court),
        "travel": selectors.travel_table(court), "kinds": PointKind.choices, "equipment": Equipment.choices,
        "section": "sharedcourt_manage"})


@login_required
def manage_point(request, point_id: int):
    try:
        point = selectors.point_get(point_id)
    except ApplicationError:
        raise Http404("point") from None
    if not services.is_court_admin(request.user, point.court_id):
        raise Http404("point")
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "update":
                services.point_update(actor=request.user, point=point, active=request.POST.get("active") == "1",
                                      **_point_fields(request.POST))
                messages.success(request, _("Saved."))
            elif op == "add_staff":
                services.point_add_staff(actor=request.user, point=point, username=request.POST.get("username", ""))
                messages.success(request, _("The staff member was added."))
            elif op == "remove_staff":
                services.point_remove_staff(actor=request.user, point=point,
                                            user_id=int(request.POST.get("user_id") or 0))
                messages.success(request, _("The staff member was removed."))
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("sharedcourt:manage_point", point_id=point.pk)
    return render(request, "sharedcourt/manage_point.html", {
        "point": point, "staff": selectors.point_staff(point), "kinds": PointKind.choices,
        "equipment": Equipment.choices, "section": "sharedcourt_manage"})


# --- a case's panel: apply, propose, decide -------------------------------------------------------------------------
def _parse_when(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat((value or "").strip()).replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


@login_required
def case_panel(request, case_id: int):
    try:
        access = access_case_for(request.user, case_id, need=Capability.VIEW_CASE)
    except CaseNotFound:
        raise Http404("case") from None
    case = access.case
    court_side = access.can(Capability.VIEW_PERSONAL_DATA)
    judge = services.is_case_judge(request.user, case.pk)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            point = selectors.point_get(request.POST.get("point"))
            when = _parse_when(request.POST.get("scheduled_at", ""))
            if op == "apply":
                seat = next((s for s in selectors.sessions_to_apply_for(request.user, case)
                             if str(s.pk) == request.POST.get("seat")), None)
                if seat is None:
                    raise services.errors.not_party()
                services.attendance_apply(actor=request.user, room=seat.room, point=point, scheduled_at=when,
                                          reason=request.POST.get("reason", ""))
                messages.success(request, _("Your application was sent to the judge."))
            elif op == "propose":
                seat = next((s for s in selectors.party_seats_of_case(case)
                             if str(s.pk) == request.POST.get("seat")), None)
                if seat is None:
                    raise services.errors.invalid(_("Choose a party's seat in this session."), field="seat")
                services.attendance_propose(actor=request.user, room=seat.room, participant=seat, point=point,
                                            scheduled_at=when, reason=request.POST.get("reason", ""))
                messages.success(request, _("The party was told where and when to attend."))
        except ApplicationError as exc:
            _fail(request, exc)
        return redirect("sharedcourt:case", case_id=case.pk)
    _log(request, "sharedcourt.case", case_id=case.pk, object_type="case", object_id=case.pk)
    rows = selectors.attendances_for_case(case)
    if not court_side:
        rows = [a for a in rows if a.party_id == request.user.pk]
    return render(request, "sharedcourt/case.html", {
        "case": case, "rows": rows, "court_side": court_side, "judge": judge,
        "my_seats": selectors.sessions_to_apply_for(request.user, case),
        "party_seats": selectors.party_seats_of_case(case) if judge else [],
        "points": selectors.points_of_court(case.court), "section": "sharedcourt"})


@login_required
@require_POST
def decide(request, attendance_id: int):
    a = _attendance(request, attendance_id, need="court")
    try:
        services.attendance_decide(actor=request.user, attendance=a, approve=request.POST.get("approve") == "1",
                                   reason=request.POST.get("reason", ""))
        messages.success(request, _("Decided; the party is told."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("sharedcourt:case", case_id=a.case_id)


@login_required
def mine(request):
    rows = selectors.attendances_for_party(request.user)
    _log(request, "sharedcourt.mine", object_type="attendances")
    return render(request, "sharedcourt/mine.html", {"rows": rows, "section": "sharedcourt"})


# --- the staff workbench ---------------------------------------------------------------------------------------------
def _attendance(request, attendance_id, *, need: str | None = None) -> Attendance:
    try:
        a, how = selectors.attendance_for(request.user, attendance_id)
    except ApplicationError:
        raise Http404("attendance") from None
    if need is not None and how != need:
        raise Http404("attendance")
    request.attendance_view = how
    return a


@login_required
def workbench(request):
    points = selectors.staff_points(request.user)
    if not points:
        raise Http404("workbench")
    rows = selectors.workbench_for_staff(request.user)
    _log(request, "sharedcourt.workbench", object_type="attendances")
    return render(request, "sharedcourt/workbench.html", {
        "points": points, "rows": rows, "filings": selectors.assisted_filings_for_staff(request.user),
        "section": "sharedcourt_staff"})


@login_required
def attendance(request, attendance_id: int):
    a = _attendance(request, attendance_id)
    how = request.attendance_view
    _log(request, "sharedcourt.attendance", case_id=a.case_id, object_type="attendance", object_id=a.pk)
    return render(request, "sharedcourt/attendance.html", {
        "a": a, "how": how, "staff": how == "staff", "court": how == "court",
        "signatures": selectors.signatures_of(a), "approved": a.status == AttendanceStatus.APPROVED,
        "section": "sharedcourt_staff" if how == "staff" else "sharedcourt"})


@login_required
def photo(request, attendance_id: int):
    """The ID photo: the court and the point's staff only, never the party or anyone else."""
    from yunting.kernel.blobs.models import Blob
    from yunting.kernel.blobs.store import blob_read

    a = _attendance(request, attendance_id)
    if request.attendance_view not in ("staff", "court") or not a.photo_sha256:
        raise Http404("photo")
    _log(request, "sharedcourt.photo", case_id=a.case_id, object_type="attendance", object_id=a.pk)
    blob = Blob.objects.get(pk=a.photo_sha256)
    response = HttpResponse(blob_read(a.photo_sha256), content_type=blob.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def identity(request, attendance_id: int):
    a = _attendance(request, attendance_id, need="staff")
    try:
        services.attendance_check_identity(actor=request.user, attendance=a,
                                           id_number=request.POST.get("id_number", ""),
                                           photo=request.FILES.get("photo"))
        messages.success(request, _("Identity checked."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("sharedcourt:attendance", attendance_id=a.pk)


@login_required
@require_POST
def join(request, attendance_id: int):
    """Join the room for the party: this browser takes the party's seat (remembered in the session, as an
    invitation link does), then opens the courtroom."""
    a = _attendance(request, attendance_id, need="staff")
    try:
        seat = services.attendance_join(actor=request.user, attendance=a)
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect("sharedcourt:attendance", attendance_id=a.pk)
    ids = [i for i in request.session.get(GUEST_SESSION_KEY, []) if i != seat.pk]
    request.session[GUEST_SESSION_KEY] = [*ids, seat.pk][-20:]
    return redirect("rooms:room", room_id=seat.room_id)


@login_required
@require_POST
def presence(request, attendance_id: int):
    a = _attendance(request, attendance_id, need="staff")
    try:
        services.attendance_confirm_presence(actor=request.user, attendance=a, alone=request.POST.get("alone") == "1")
        messages.success(request, _("Presence confirmed: the party is here and alone."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("sharedcourt:attendance", attendance_id=a.pk)


def _png(data_url: str) -> bytes:
    head, _sep, body = (data_url or "").partition(",")
    if head != "data:image/png;base64":
        return b""
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return b""


@login_required
@require_POST
def sign(request, attendance_id: int):
    a = _attendance(request, attendance_id, need="staff")
    try:
        services.attendance_sign(actor=request.user, attendance=a, strokes_png=_png(request.POST.get("strokes", "")),
                                 title=request.POST.get("title", ""))
        messages.success(request, _("Signed on the pad; the party and you are recorded."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("sharedcourt:attendance", attendance_id=a.pk)


@login_required
def assisted_filing(request):
    """File online for a party present at the point: a simple complaint, the party named by their ID number."""
    points = selectors.staff_points(request.user)
    if not points:
        raise Http404("workbench")
    if request.method == "POST":
        point = next((p for p in points if str(p.pk) == request.POST.get("point")), points[0])
        post = request.POST
        data = {
            "case_type": "民初", "cause": post.get("cause", ""), "procedure": "",
            "claim_amount": post.get("claim_amount", "").strip(),
            "claims": [c.strip() for c in post.get("claims", "").splitlines() if c.strip()],
            "facts": post.get("facts", "").strip(),
            "parties": [{"role": "plaintiff", "kind": "natural", "name": "", "id_number": "", "phone": "",
                         "address": post.get("party_address", "").strip()},
                        {"role": "defendant", "kind": "natural", "name": post.get("defendant_name", "").strip(),
                         "address": post.get("defendant_address", "").strip()}],
        }
        try:
            filing = services.assisted_filing_submit(actor=request.user, point=point,
                                                     party_id_number=post.get("id_number", ""),
                                                     party_name=post.get("party_name", ""), data=data)
            messages.success(request, _("Filed for the party (filing %(id)s); the court reviews it.")
                             % {"id": filing.pk})
            return redirect("sharedcourt:workbench")
        except ApplicationError as exc:
            _fail(request, exc)
            for p in exc.data.get("problems", [])[:6]:
                messages.error(request, p.get("message", ""))
    return render(request, "sharedcourt/filing.html", {"points": points, "post": request.POST,
                                                       "section": "sharedcourt_staff"})


# --- statistics and digest -------------------------------------------------------------------------------------------
def _stats_court(request):
    courts = selectors.courts_for_stats(request.user)
    if not courts:
        raise Http404("court")
    wanted = request.GET.get("court")
    return next((c for c in courts if str(c.pk) == str(wanted)), courts[0]), courts


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def stats_page(request):
    court, courts = _stats_court(request)
    start, end = _day(request.GET.get("start")), _day(request.GET.get("end"))
    _log(request, "sharedcourt.stats", object_type="court", object_id=court.pk)
    return render(request, "sharedcourt/stats.html", {
        "court": court, "courts": courts, "stats": stats.point_stats(court=court, start=start, end=end),
        "monthly": stats.monthly_use(court=court), "start": start, "end": end, "section": "sharedcourt_stats",
        "admin": services.is_court_admin(request.user, court.pk)})


@login_required
def digest_page(request):
    court, courts = _stats_court(request)
    digest = stats.weekly_digest(court=court, week_start=_day(request.GET.get("week")))
    _log(request, "sharedcourt.digest", object_type="court", object_id=court.pk)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(stats.digest_pdf(digest), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="sharedcourt-digest-{digest.week_start}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "sharedcourt/digest.html", {"court": court, "courts": courts, "d": digest,
                                                       "text": stats.digest_text(digest),
                                                       "section": "sharedcourt_stats"})
