"""诉前调解 pages: the party's intake (a questionnaire on a phone, with the self-help panel), the coordinator's
queue with suggested mediators, the mediator's workspace, the party's dispute page (signing, confirmation,
conversion), the judge's confirmation queue and the dashboards. Each act: access, one service, a message, back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunting.core.cases.access import cases_visible_to
from yunting.core.cases.models import Cause
from yunting.core.people.choices import OrganisationKind
from yunting.core.people.models import Organisation
from yunting.interfaces.web.filing.views import _elements, _explain, form_to_payload
from yunting.kernel.common.errors import ApplicationError, ValidationFailed
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.filing.questionnaires import QUESTIONNAIRES
from yunting.workflows.mediation import dashboards, selectors, services

PAGE_SIZE = 20


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _dispute(request, dispute_id: int):
    """The dispute if the user may see it (its parties, its mediator, coordinators); 404 for all else."""
    dispute = dashboards.dispute_for(request.user, dispute_id)
    if dispute is None:
        raise Http404("dispute")
    return dispute


def _back(dispute_id: int, anchor: str = ""):
    return redirect(reverse("mediation:dispute", args=[dispute_id]) + anchor)


def _act(request, dispute_id: int, fn, done: str, anchor: str = ""):
    """Run one service on a dispute the user may see; its refusal becomes the page's error message."""
    dispute = _dispute(request, dispute_id)
    try:
        result = fn(dispute)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(dispute_id, anchor)
    messages.success(request, done)
    return result if hasattr(result, "status_code") else _back(dispute_id, anchor)


def _courts():
    return Organisation.objects.filter(kind=OrganisationKind.COURT).order_by("name")


def _causes():
    """The causes people pick on a phone: those with a questionnaire first, then the common others."""
    names = list(QUESTIONNAIRES)
    return list(Cause.objects.filter(name__in=names, selectable=True).order_by("code"))


# --- the list ---------------------------------------------------------------------------------------------------
@login_required
@require_GET
def dispute_list(request):
    """My disputes (party, mediator, coordinator), with state filter, search and pages."""
    state, q = request.GET.get("state", ""), request.GET.get("q", "").strip()
    rows = dashboards.dispute_rows(request.user, state=state or None, q=q)
    return render(request, "mediation/list.html", {
        "page": _page(request, rows), "state": state, "q": q, "states": dashboards.STATE_LABELS,
        "who": dashboards.roles_of(request.user), "nav": "mediation"})


# --- intake and self-help --------------------------------------------------------------------------------------
def _intake_payload(post) -> dict:
    """The filing payload (the same shape as `POST /api/v1/filings`) plus the dispute type and the township."""
    data = form_to_payload(post)
    data["case_type"] = "民初"
    data["dispute_type"] = post.get("dispute_type", "").strip()
    data["locality"] = post.get("locality", "").strip()
    return data


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """The party's application for mediation: the cause's questionnaire becomes the formatted complaint."""
    payload, problems = {}, []
    if request.method == "POST":
        payload = _intake_payload(request.POST)
        try:
            dispute = services.dispute_submit(actor=request.user, payload=payload)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            problems = exc.data.get("problems") or [{"field": exc.data.get("field", ""), "message": str(exc.message)}]
        else:
            messages.success(request, _("Your application is registered as %(number)s. A mediator will be assigned "
                                        "within 3 working days.") % {"number": dispute.case.number})
            return redirect("mediation:dispute", dispute_id=dispute.pk)
    elif request.GET.get("cause"):
        payload = {"cause": request.GET["cause"]}
    rows, by_input = _explain(problems, payload)
    parties = [p for p in payload.get("parties") or [] if isinstance(p, dict)]
    me = parties[0] if parties else {"name": request.user.real_name, "phone": request.user.phone,
                                     "id_number": request.user.id_number}
    other = parties[1] if len(parties) > 1 else {}
    first = _courts().first()
    court = payload.get("court") or (first.court_code if first else "")
    return render(request, "mediation/intake.html", {
        "p": payload, "me_party": me, "other": other, "problems": rows, "field_errors": by_input,
        "causes": _causes(), "courts": _courts(), "court": court, "elements": _elements(payload),
        "dispute_types": dashboards.DISPUTE_TYPES, "claims_text": "\n".join(payload.get("claims") or []),
        "help": _help(payload.get("cause"), payload.get("claim_amount"), court), "nav": "mediation"})


def _help(cause_ref, amount, court_code) -> dict | None:
    """The self-help panel: fee (the filing calculator), expected duration, common risks; None without a cause."""
    cause = Cause.objects.filter(code=str(cause_ref or "")).first() or \
        Cause.objects.filter(name=str(cause_ref or "")).first()
    if cause is None:
        return None
    court = (Organisation.objects.filter(kind=OrganisationKind.COURT, court_code=court_code or "").first()
             or _courts().first())
    try:
        return selectors.self_help_estimate(cause, "" if amount is None else str(amount).strip(), court)
    except ApplicationError as exc:
        return {"error": exc.message}


@login_required
@require_GET
def self_help(request):
    """The self-help panel alone (HTMX, as the party types the cause and amount); with a new cause also that
    cause's questionnaire (out of band), never when only the amount changed (answers typed would be lost)."""
    questionnaire = request.GET.get("questionnaire") == "1"  # a new cause: its questions replace the old ones
    return render(request, "mediation/_help.html", {
        "help": _help(request.GET.get("cause"), request.GET.get("claim_amount"), request.GET.get("court")),
        "elements": _elements({"cause": request.GET.get("cause", "")}) if questionnaire else [],
        "oob": questionnaire})


@login_required
@require_http_methods(["GET", "POST"])
def from_filing(request, filing_id: int):
    """At the filing desk: the filer consents to 诉前调解 and the filing becomes a 民诉前调 case."""
    from yunting.workflows.filing.errors import FilingNotFound
    from yunting.workflows.filing.selectors import access_filing_for

    try:
        filing = access_filing_for(request.user, filing_id)
    except FilingNotFound:
        raise Http404("filing") from None
    if request.method == "POST":
        if request.POST.get("consent") != "1":
            messages.error(request, _("Tick the box to consent to pre-filing mediation."))
            return redirect("mediation:from_filing", filing_id=filing_id)
        try:
            dispute = services.dispute_from_filing(filing=filing, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("mediation:from_filing", filing_id=filing_id)
        messages.success(request, _("The filing is now pre-filing mediation %(number)s.")
                         % {"number": dispute.case.number})
        return redirect("mediation:dispute", dispute_id=dispute.pk)
    payload = filing.payload or {}
    return render(request, "mediation/from_filing.html", {
        "filing": filing, "p": payload,
        "help": _help(payload.get("cause"), payload.get("claim_amount"), payload.get("court")), "nav": "mediation"})


# --- the dispute ------------------------------------------------------------------------------------------------
@login_required
@require_GET
def dispute_page(request, dispute_id: int):
    """One page for everyone on the dispute; each sees the parts of their role."""
    dispute = _dispute(request, dispute_id)
    read_log(user=request.user, action="mediation.view", channel="web", case_id=dispute.case_id,
             object_type="dispute", object_id=dispute.pk, ip=client_ip(request))
    ctx = dashboards.dispute_context(dispute, request.user)
    if ctx["who"]["coordinator"] and dispute.state == "new":
        ctx["suggestions"] = dashboards.suggestion_rows(dispute)
    if ctx["who"]["party"] and dispute.state in ("new", "assigned", "mediating", "failed"):  # before and during
        ctx["help"] = _help(dispute.cause.code, dispute.claim_amount, dispute.court.court_code)
    ctx["nav"] = "mediation"
    return render(request, "mediation/dispute.html", ctx)


def _mediator(request):
    mediator = dashboards.mediator_get(request.POST.get("mediator"))
    if mediator is None:
        raise ValidationFailed(_("Choose a mediator."), code="mediation_invalid", data={"field": "mediator"})
    return mediator


@login_required
@require_POST
def assign(request, dispute_id: int):
    return _act(request, dispute_id, lambda d: services.dispute_assign(
        dispute=d, mediator=_mediator(request), actor=request.user),
        _("Assigned. The mediator has 3 working days to accept."))


@login_required
@require_POST
def link(request, dispute_id: int):
    """The coordinator links a party (say the respondent, once reached) to their platform account."""
    def act(d):
        party, user = dashboards.party_and_account(d, request.POST.get("party"), request.POST.get("username", ""))
        return services.dispute_link_party(dispute=d, party=party, user=user, actor=request.user)
    return _act(request, dispute_id, act, _("The party is linked to the account and can now take part."))


@login_required
@require_POST
def answer(request, dispute_id: int):
    """The mediator accepts, or declines with a reason."""
    accept = request.POST.get("decision") == "accept"

    def act(d):
        assignment = dashboards.open_assignment(d, request.user)
        if assignment is None:
            raise ApplicationError(_("There is no request awaiting your answer."), code="mediation_no_assignment")
        if accept:
            return services.assignment_accept(assignment=assignment, actor=request.user)
        return services.assignment_decline(assignment=assignment, actor=request.user,
                                           reason=request.POST.get("reason", ""))
    return _act(request, dispute_id, act, _("Accepted. You can start the mediation.") if accept
                else _("Declined. The coordinator will assign another mediator."))


@login_required
@require_POST
def pick(request, dispute_id: int):
    return _act(request, dispute_id, lambda d: services.parties_pick(
        dispute=d, mediator=_mediator(request), actor=request.user),
        _("Your pick is recorded. It takes effect when every party picks the same mediator."))


@login_required
@require_POST
def start(request, dispute_id: int):
    mode = "room" if request.POST.get("mode") == "room" else "thread"

    def act(d):
        result = services.mediation_start(dispute=d, actor=request.user, mode=mode)
        room_url = dashboards.room_url(d) if mode == "room" else None
        return redirect(room_url) if room_url else result
    return _act(request, dispute_id, act, _("The mediation has started."))


@login_required
@require_POST
def post(request, dispute_id: int):
    """A message or proposal on the dispute's thread, to both sides or one side only."""
    return _act(request, dispute_id, lambda d: services.proposal_post(
        dispute=d, actor=request.user, text=request.POST.get("text", ""),
        visibility=request.POST.get("visibility", "all"), kind=request.POST.get("kind", "message")),
        _("Posted."), "#thread")


@login_required
@require_POST
def agreement(request, dispute_id: int):
    terms = [line.strip() for line in request.POST.get("terms", "").splitlines() if line.strip()]
    return _act(request, dispute_id, lambda d: services.agreement_draft(dispute=d, terms=terms, actor=request.user),
                _("The agreement is drafted. Each party signs it on their phone."), "#agreement")


def _png(data_url: str) -> bytes:
    """The canvas as PNG bytes (the browser sends a data: URL); b"" for anything else (the service says why)."""
    import base64
    import binascii

    head, _sep, body = (data_url or "").partition(",")
    if head != "data:image/png;base64":
        return b""
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return b""


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, dispute_id: int):
    """Sign the agreement: a handwritten signature on the canvas and the code sent by SMS."""
    dispute = _dispute(request, dispute_id)
    agreement_row = selectors.current_agreement(dispute)
    if agreement_row is None:
        raise Http404("agreement")
    error = ""
    if request.method == "POST":
        try:
            services.agreement_sign(agreement=agreement_row, actor=request.user,
                                    strokes_png=_png(request.POST.get("strokes", "")),
                                    device=request.headers.get("User-Agent", ""),
                                    session_key=request.session.session_key or "")
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("You signed the agreement."))
            return _back(dispute_id, "#agreement")
    read_log(user=request.user, action="mediation.agreement.view", channel="web", case_id=dispute.case_id,
             object_type="agreement", object_id=agreement_row.pk, ip=client_ip(request))
    return render(request, "mediation/sign.html", {
        "dispute": dispute, "agreement": agreement_row, "error": error, "nav": "mediation",
        "terms": agreement_row.terms,
        "document_id": dashboards.document_id_of(dispute.case_id, agreement_row.pdf_sha256)})


@login_required
@require_POST
def outcome(request, dispute_id: int):
    """Withdrawal (by a party or the mediator) or failure (by the mediator, with the reason)."""
    which = request.POST.get("outcome", "")
    reason = request.POST.get("reason", "")
    if which == "withdraw":
        return _act(request, dispute_id, lambda d: services.dispute_withdraw(dispute=d, actor=request.user,
                                                                             reason=reason), _("Withdrawn."))
    if which == "fail":
        return _act(request, dispute_id, lambda d: services.dispute_fail(dispute=d, actor=request.user,
                                                                         reason=reason),
                    _("Recorded as failed. A party can now turn the dispute into a lawsuit in one click."))
    messages.error(request, _("Choose an outcome."))
    return _back(dispute_id)


@login_required
@require_POST
def confirm(request, dispute_id: int):
    """申请司法确认: one click opens the 民特 case with the agreement and the file."""
    def act(d):
        case = services.dispute_confirm(dispute=d, actor=request.user)
        messages.info(request, _("Judicial confirmation case %(number)s is open.") % {"number": case.number})
    return _act(request, dispute_id, act, _("Applied for judicial confirmation."))


@login_required
@require_POST
def convert(request, dispute_id: int):
    """转为诉讼: the filing with everything carried over, shown at once."""
    def act(d):
        filing = services.dispute_convert(dispute=d, actor=request.user)
        return redirect("filing:detail", filing_id=filing.pk)
    return _act(request, dispute_id, act, _("The dispute is now a filing; nothing needs typing again."))


# --- coordinator, judge, dashboards ----------------------------------------------------------------------------
@login_required
@require_GET
def coordinator_queue(request):
    """New disputes with the suggested organisation and mediator, score and reasons; overdue limits first."""
    me = dashboards.roles_of(request.user)
    if not me["coordinator"]:
        raise Http404("queue")
    q = request.GET.get("q", "").strip()
    page = _page(request, dashboards.queue_rows(request.user, q=q))
    dashboards.attach_suggestions(page.object_list)
    return render(request, "mediation/queue.html", {"page": page, "q": q, "who": me, "nav": "mediation"})


@login_required
@require_GET
def confirmation_queue(request):
    """The judge's 民特 judicial-confirmation cases awaiting a ruling, oldest first."""
    q = request.GET.get("q", "").strip()
    rows = dashboards.confirmation_rows(request.user, q=q)
    page = _page(request, rows)
    # every judge of the court may rule; the case page opens only for those the case reaches
    ids = {c.case_id for c in page}
    opens = set(cases_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return render(request, "mediation/confirmations.html", {"page": page, "q": q, "opens": opens,
                                                             "who": dashboards.roles_of(request.user),
                                                             "nav": "mediation"})


@login_required
@require_POST
def confirmation_rule_view(request, case_id: int):
    case = dashboards.confirmation_case_for(request.user, case_id)
    if case is None:
        raise Http404("case")
    granted = request.POST.get("decision") == "grant"
    try:
        services.confirmation_rule(case=case, actor=request.user, granted=granted,
                                   reasons=request.POST.get("reasons", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ruled: the agreement is confirmed. The ruling is served once it is sealed.")
                         if granted else _("Ruled: confirmation refused. The ruling is served once it is sealed."))
    return redirect("mediation:confirmations")


@login_required
@require_GET
def dashboard_page(request):
    """Coordinator's and court's figures: by type, locality and month, resolution, time, mediators, warnings."""
    court = dashboards.dashboard_court(request.user)
    if court is None:
        raise Http404("dashboard")
    filters, problems = dashboards.dashboard_filters(request.GET)
    data = selectors.dashboard(court, filters)
    q = request.GET.get("q", "").strip()
    return render(request, "mediation/dashboard.html", {
        "d": data, "filters": request.GET, "problems": problems, "court": court,
        "warnings": selectors.early_warnings(court), "page": _page(request, dashboards.mediator_rows(data, q=q)),
        "q": q, "dispute_types": dashboards.DISPUTE_TYPES, "who": dashboards.roles_of(request.user),
        "nav": "mediation"})
