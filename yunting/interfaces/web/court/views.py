"""Court administration (divisions, people, settings), assignment and the workbench: thin views over
yunting.core.courts services and selectors. Every change is post/redirect/get with a message."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunting.core.cases.access import access_case_for, cases_visible_to
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Case, Cause
from yunting.core.courts import permissions
from yunting.core.courts import selectors as sel
from yunting.core.courts import services as svc
from yunting.core.courts.choices import AssignProcedure, FeeChannel, RecusalKind, StaffRole
from yunting.core.courts.models import CauseRoute, Division, SmallClaimsThreshold, StaffPost
from yunting.core.people.models import Organisation, User
from yunting.kernel.common.errors import ApplicationError


def _admin_court(request) -> Organisation:
    """The court the signed-in administrator runs; 404 for anyone else (the pages do not exist for them)."""
    court = sel.admin_courts(request.user).first()
    if court is None:
        raise Http404
    return court


def _fail(request, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))


def _act(request, call, success: str, *redirect_to):
    """Post/redirect/get around one service call: its success message, or its refusal as the message."""
    try:
        call()
        messages.success(request, success)
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect(*redirect_to)


def _division(court, value) -> Division | None:
    if not value:
        return None
    return Division.objects.filter(court=court, pk=value if str(value).isdigit() else 0).first()


def _user(value) -> User | None:
    return User.objects.filter(pk=value).first() if str(value or "").isdigit() else None


# --- administration -----------------------------------------------------------------------------------------------
@login_required
@require_GET
def admin_home(request):
    court = _admin_court(request)
    settings = svc.court_settings(court)
    return render(request, "court/admin.html", {
        "court": court, "divisions": sel.divisions_of(court), "settings": settings, "nav": "court_admin",
        "procedures": AssignProcedure.choices, "channels": FeeChannel.choices,
        "routes": CauseRoute.objects.filter(court=court).select_related("cause", "division").order_by("cause__name"),
        "thresholds": SmallClaimsThreshold.objects.all()[:20], "records": sel.court_records(court),
        "counts": sel.court_counts(court), "province": (court.court_code or "")[:1],
    })


@login_required
@require_POST
def division_new(request):
    court = _admin_court(request)
    try:
        division = svc.division_create(court=court, actor=request.user, name=request.POST.get("name", ""),
                                       default_procedure=request.POST.get("default_procedure", ""))
        messages.success(request, _("Division %(name)s created.") % {"name": division.name})
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("court:admin")


@login_required
@require_POST
def division_edit(request, division_id: int):
    court = _admin_court(request)
    division = _division(court, division_id)
    if division is None:
        raise Http404
    return _act(request, lambda: svc.division_update(
        division=division, actor=request.user, name=request.POST.get("name", division.name),
        active=request.POST.get("active") == "1",
        default_procedure=request.POST.get("default_procedure", division.default_procedure),
    ), _("Division %(name)s saved.") % {"name": division.name}, "court:admin")


@login_required
@require_GET
def people(request):
    court = _admin_court(request)
    division = _division(court, request.GET.get("division"))
    return render(request, "court/people.html", {
        "court": court, "posts": sel.staff_of(court, division=division, role=request.GET.get("role", "")),
        "divisions": Division.objects.filter(court=court), "roles": StaffRole.choices, "nav": "court_admin",
        "recusal_kinds": RecusalKind.choices, "filters": {"division": division.pk if division else "",
                                                          "role": request.GET.get("role", "")},
        "judges": StaffPost.objects.filter(court=court, role=StaffRole.JUDGE, active=True).select_related("user"),
        "report": request.session.pop("court_import_report", None),
    })


@login_required
@require_POST
def person_new(request):
    court = _admin_court(request)
    try:
        post = svc.person_create(court=court, actor=request.user, username=request.POST.get("username", ""),
                                 real_name=request.POST.get("real_name", ""), role=request.POST.get("role", ""),
                                 phone=request.POST.get("phone", ""),
                                 division=_division(court, request.POST.get("division")),
                                 weight=request.POST.get("weight") or "1")
        messages.success(request, _("%(name)s added as %(role)s.") % {"name": post.user.display_name,
                                                                     "role": post.get_role_display()})
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("court:people")


@login_required
@require_POST
def people_import(request):
    court = _admin_court(request)
    upload = request.FILES.get("file")
    text = ""
    if upload is not None:
        raw = upload.read(2_000_001)
        if len(raw) > 2_000_000:
            messages.error(request, _("The CSV file is larger than 2 MB."))
            return redirect("court:people")
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    text = text or request.POST.get("text", "")
    if not text.strip():
        messages.error(request, _("Choose a CSV file or paste its lines."))
        return redirect("court:people")
    try:
        report = svc.staff_import_csv(court=court, actor=request.user, text=text)
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect("court:people")
    request.session["court_import_report"] = [r.__dict__ for r in report]
    ok = sum(1 for r in report if r.outcome != "error")
    messages.info(request, _("%(ok)s rows imported, %(bad)s refused.") % {"ok": ok, "bad": len(report) - ok})
    return redirect("court:people")


@login_required
@require_POST
def post_edit(request, post_id: int):
    court = _admin_court(request)
    post = StaffPost.objects.filter(court=court, pk=post_id).select_related("user").first()
    if post is None:
        raise Http404
    try:
        svc.staff_post_set(court=court, actor=request.user, user=post.user, role=post.role,
                           division=_division(court, request.POST.get("division")),
                           weight=request.POST.get("weight") or post.weight,
                           works_with=_user(request.POST.get("works_with")),
                           active=request.POST.get("active") == "1")
        messages.success(request, _("%(name)s saved.") % {"name": post.user.display_name})
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("court:people")


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_POST
def absence_new(request):
    court = _admin_court(request)
    user, start, end = _user(request.POST.get("user")), _date(request.POST.get("start")), _date(request.POST.get("end"))
    if user is None or start is None or end is None:
        messages.error(request, _("Choose the judge and both dates."))
        return redirect("court:people")
    return _act(request, lambda: svc.absence_add(court=court, actor=request.user, user=user, start=start, end=end,
                                                 reason=request.POST.get("reason", "")),
                _("Absence recorded."), "court:people")


@login_required
@require_POST
def recusal_new(request):
    court = _admin_court(request)
    user = _user(request.POST.get("user"))
    if user is None:
        messages.error(request, _("Choose the judge."))
        return redirect("court:people")
    return _act(request, lambda: svc.recusal_add(court=court, actor=request.user, user=user,
                                                 kind=request.POST.get("kind", ""), name=request.POST.get("name", ""),
                                                 note=request.POST.get("note", "")),
                _("Recusal recorded."), "court:people")


@login_required
@require_POST
def settings_save(request):
    court = _admin_court(request)
    return _act(request, lambda: svc.settings_update(
        court=court, actor=request.user, default_division=_division(court, request.POST.get("default_division")),
        fee_channel=request.POST.get("fee_channel"), auto_assign=request.POST.get("auto_assign") == "1",
    ), _("Settings saved."), "court:admin")


@login_required
@require_POST
def route_save(request):
    court = _admin_court(request)
    cause = Cause.objects.filter(name=request.POST.get("cause", "").strip(), selectable=True).first()
    if cause is None:
        messages.error(request, _("No cause of action by that name."))
        return redirect("court:admin")
    return _act(request, lambda: svc.cause_route_set(court=court, actor=request.user, cause=cause,
                                                     division=_division(court, request.POST.get("division"))),
                _("Route saved."), "court:admin")


@login_required
@require_POST
def threshold_save(request):
    court = _admin_court(request)
    try:
        svc.small_claims_threshold_set(court=court, actor=request.user, province=request.POST.get("province", ""),
                                       year=int(request.POST.get("year") or 0), amount=request.POST.get("amount", ""))
        messages.success(request, _("Threshold saved."))
    except (ApplicationError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", _("Enter a positive amount and a year."))))
    return redirect("court:admin")


# --- workbench and assignment ------------------------------------------------------------------------------------
@login_required
@require_GET
def workbench(request):
    """承办案件: my open cases (judge), the division's (division head), the court's figures (head, president)."""
    user = request.user
    divisions = list(sel.headed_divisions(user))
    president_of = [p.court for p in sel.posts_of(user, roles=[StaffRole.PRESIDENT])]
    judges_here = StaffPost.objects.filter(user=user, role=StaffRole.JUDGE, active=True).exists()
    if not (judges_here or divisions or president_of or sel.nav_flags(user)["court_work"]):
        raise Http404  # a caseload page exists only for judges, division heads and presidents
    mine = division_rows = None
    if judges_here or not (divisions or president_of):
        mine = Paginator(sel.workbench_queryset(judge=user), PAGE).get_page(request.GET.get("page"))
        mine.object_list = sel.workbench_rows(mine.object_list)
    if divisions:
        division_rows = Paginator(sel.workbench_queryset(division_ids=[d.pk for d in divisions]), PAGE).get_page(
            request.GET.get("dpage"))
        division_rows.object_list = sel.workbench_rows(division_rows.object_list)
    courts = {d.court for d in divisions} | set(president_of)
    counts = [(c, sel.court_counts(c)) for c in courts]
    return render(request, "court/workbench.html", {
        "mine": mine, "divisions": divisions, "division_rows": division_rows, "counts": counts,
        "is_judge": judges_here, "nav": "court_work",
    })


PAGE = 50


def _assign_court(request) -> Organisation:
    for court in Organisation.objects.filter(kind="court"):
        if permissions.may_assign_first(request.user, court.pk):
            return court
    raise Http404


@login_required
@require_GET
def assign_queue(request):
    court = _assign_court(request)
    cases = list(sel.unassigned_cases(court))
    results = request.session.pop("court_assign_results", None)
    # a division head assigns every new case of the court by rule, but opens only the cases their post reaches
    ids = {c.pk for c in cases} | {r["case_id"] for r in results or []}
    opens = set(cases_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return render(request, "court/assign_queue.html", {
        "court": court, "cases": cases, "nav": "court_assign", "results": results, "opens": opens,
    })


@login_required
@require_POST
def assign_auto(request):
    """分案 by rule for the chosen cases, or every unassigned case of the court (one action for a batch)."""
    court = _assign_court(request)
    if request.POST.get("all") == "1":
        ids = list(Case.objects.filter(court=court, status="registered").values_list("pk", flat=True))
    else:
        ids = [int(v) for v in request.POST.getlist("case") if v.isdigit()]
    if not ids:
        messages.error(request, _("Choose at least one case."))
        return redirect("court:assign_queue")
    results = svc.cases_assign_auto(case_ids=ids, actor=request.user)
    done = [r for r in results if r.assigned]
    messages.success(request, _("%(n)s cases assigned by rule.") % {"n": len(done)})
    numbers = dict(Case.objects.filter(pk__in=[r.case_id for r in results[:200]]).values_list("pk", "number"))
    request.session["court_assign_results"] = [
        {"case_id": r.case_id, "number": numbers.get(r.case_id, ""), "judge": r.judge_name, "reason": str(r.reason),
         "assigned": r.assigned} for r in results[:200]]
    return redirect("court:assign_queue")


def _case_for(request, case_id) -> Case:
    try:
        return access_case_for(request.user, case_id).case
    except CaseNotFound:
        case = (Case.objects.filter(pk=case_id, status="registered").exclude(security_level="secret")
                .exclude(state__judge__isnull=False).first())  # unassigned cases only: others are not theirs
        if case is not None and permissions.may_assign_first(request.user, case.court_id):
            return case
        raise Http404 from None


@login_required
@require_POST
def case_assign_view(request, case_id: int):
    case = _case_for(request, case_id)
    try:
        svc.case_assign(case=case, actor=request.user, judge=int(request.POST.get("judge") or 0),
                        panel=[int(v) for v in request.POST.getlist("panel") if v.isdigit()],
                        clerk=int(request.POST.get("clerk") or 0) or None,
                        assistant=int(request.POST.get("assistant") or 0) or None,
                        procedure=request.POST.get("procedure", ""), reason=request.POST.get("reason", ""))
        messages.success(request, _("The case is assigned."))
    except ApplicationError as exc:
        _fail(request, exc)
    except ValueError:
        messages.error(request, _("Choose the judge."))
    return redirect("web:case", case.pk)


@login_required
@require_POST
def case_procedure_view(request, case_id: int):
    case = _case_for(request, case_id)
    return _act(request, lambda: svc.case_procedure_change(case=case, actor=request.user, to=request.POST.get("to", ""),
                                                           reason=request.POST.get("reason", "")),
                _("The procedure is changed."), "web:case", case.pk)
