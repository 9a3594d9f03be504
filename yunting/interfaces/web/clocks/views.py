"""期限: the acts on a case's clocks (forms on the case page), the warning lists, the digest inbox and the court's
declared closures. Each view: access, one service, a message, back to the page it came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunting.core.cases.access import access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.clocks import services
from yunting.core.clocks.models import Digest
from yunting.core.clocks.selectors import (
    closure_list,
    leads,
    pending_extensions_for,
    warnings_for,
)
from yunting.core.people.choices import COURT_STAFF_ROLES, Role
from yunting.core.people.models import Membership, Organisation
from yunting.kernel.common.errors import ApplicationError


def _access(request, case_id):
    try:
        return access_case_for(request.user, case_id)
    except CaseNotFound:
        raise Http404("case") from None


def _back(case_id):
    return redirect(reverse("web:case", args=[case_id]) + "#deadlines")


def _act(request, case_id, fn, done: str):
    access = _access(request, case_id)
    try:
        fn(access)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(case_id)


@login_required
@require_POST
def suspend(request, case_id: int):
    return _act(request, case_id, lambda a: services.case_suspend(
        access=a, actor=request.user, on=request.POST.get("on"), reason=request.POST.get("reason", "")),
        _("The case is suspended; its trial period has stopped."))


@login_required
@require_POST
def resume(request, case_id: int):
    return _act(request, case_id, lambda a: services.case_resume(access=a, actor=request.user,
                                                                 on=request.POST.get("on")),
                _("The case is resumed; its trial period runs again."))


@login_required
@require_POST
def exclude(request, case_id: int):
    return _act(request, case_id, lambda a: services.case_exclude_period(
        access=a, actor=request.user, kind=request.POST.get("kind", ""), start=request.POST.get("start"),
        end=request.POST.get("end")), _("The interval is recorded and not counted in the trial period."))


@login_required
@require_POST
def extension_request(request, case_id: int):
    return _act(request, case_id, lambda a: services.case_extension_request(
        access=a, actor=request.user, months=request.POST.get("months"), reason=request.POST.get("reason", "")),
        _("The extension request is sent for approval."))


@login_required
@require_POST
def service(request, case_id: int):
    return _act(request, case_id, lambda a: services.service_register(
        access=a, actor=request.user, document_kind=request.POST.get("document_kind", ""),
        served_on=request.POST.get("served_on"), party_id=request.POST.get("party_id") or None,
        foreign=request.POST.get("foreign") == "1"), _("Service is registered; the periods that run from it start."))


@login_required
@require_POST
def extension_decide(request, case_id: int):
    """The division head or president decides, from the warning list or the case page (their post lets them
    reach the case: a division head the division's, a president the court's)."""
    access = _access(request, case_id)
    try:
        services.case_extension_decide(case=access.case, actor=request.user,
                                       approved=request.POST.get("approved") == "1",
                                       months=request.POST.get("months") or None,
                                       reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The decision on %(number)s is recorded.") % {"number": access.case.number})
    if request.POST.get("back") == "case":
        return _back(case_id)
    return redirect(reverse("clocks:warnings") + "?scope=led")


@login_required
@require_GET
def warnings(request):
    """期限预警: my cases due within 3 working days or overdue; a division head's or president's whole court."""
    leading = leads(request.user)
    if not leading and not Membership.objects.filter(user=request.user, role__in=COURT_STAFF_ROLES).exists():
        raise Http404("warnings")  # parties, lawyers and other outsiders have no warning list
    scope = "led" if request.GET.get("scope") == "led" and leading else "mine"
    items = warnings_for(request.user, scope=scope)
    return render(request, "clocks/warnings.html", {
        "items": items, "scope": scope, "leads": leading, "nav": "clocks",
        "pending": pending_extensions_for(request.user) if scope == "led" else [],
        "overdue": sum(1 for w in items if w.deadline.status == "overdue"),
    })


@login_required
@require_GET
def digests(request):
    """The in-app inbox of daily digests; opening it marks them read."""
    rows = list(Digest.objects.filter(user=request.user).order_by("-day")[:30])
    for d in rows:
        services.digest_mark_read(digest=d)
    return render(request, "clocks/digests.html", {"digests": rows, "nav": "clocks"})


def _admin_court(request):
    m = (Membership.objects.filter(user=request.user, role=Role.COURT_ADMIN, organisation__kind="court")
         .select_related("organisation").first())
    if m is None:
        raise DjangoPermissionDenied
    return m.organisation


@login_required
def closures(request):
    """The court's working calendar: days it declared closed, on top of the official holidays."""
    court: Organisation = _admin_court(request)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.closure_remove(court=court, actor=request.user, closure_id=request.POST["remove"])
                messages.success(request, _("The closure is removed; deadlines are recomputed."))
            else:
                services.closure_declare(court=court, actor=request.user, day=request.POST.get("day"),
                                         reason=request.POST.get("reason", ""))
                messages.success(request, _("The day is declared closed; deadlines ending on it move to the next "
                                            "working day."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("clocks:closures")
    return render(request, "clocks/closures.html", {"court": court, "closures": closure_list(court),
                                                    "nav": "closures"})
