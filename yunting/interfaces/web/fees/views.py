"""Fees in the browser: the fee desk (bank statements, refunds, relief), the judge's unpaid list, and the
actions the case page's fee panel offers. A notice, application or refund of a case the caller cannot see is
404; a person who sees the case but may not do the act gets the service's refusal as a message."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunting.core.cases.access import access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.fees import services
from yunting.core.fees.access import payment_courts, pays_for
from yunting.core.fees.choices import ReliefKind
from yunting.core.fees.models import FeeNotice, Refund, ReliefApplication
from yunting.core.fees.rules import MIN_REDUCTION, money
from yunting.core.fees.selectors import (
    bank_import_for,
    bank_imports_for,
    fees_for_case,
    overdue_notices_for,
    refunds_due_for,
    reliefs_pending_for,
)
from yunting.core.people.models import Organisation
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import shanghai_today


def _visible(request, model, pk):
    """The row, if its case is one the caller may see; else 404 (the same as no such row)."""
    row = model.objects.select_related("case").filter(pk=pk).first()
    try:
        access_case_for(request.user, row.case_id if row else 0)
    except CaseNotFound:
        raise Http404("fees") from None
    return row


def _back(row):
    return redirect(f"/cases/{row.case_id}/#fees")


def _staff_courts(request) -> list[Organisation]:
    courts = list(Organisation.objects.filter(pk__in=payment_courts(request.user)).order_by("id"))
    if not courts:
        raise Http404("fees")
    return courts


@login_required
@require_GET
def desk(request):
    """诉讼费 desk of the court's fee staff: import a bank statement, see refunds due, relief waiting, unpaid."""
    courts = _staff_courts(request)
    return render(request, "fees/desk.html", {
        "courts": courts, "imports": bank_imports_for(request.user), "refunds": list(refunds_due_for(request.user)),
        "reliefs": list(reliefs_pending_for(request.user)),
        "overdue": list(overdue_notices_for(request.user)[:50]), "nav": "fees", "today": shanghai_today(),
    })


@login_required
@require_GET
def unpaid(request):
    """按撤诉处理: cases whose fee is unpaid after its last day — the judge's list (and the fee desk's)."""
    notices = overdue_notices_for(request.user)
    if notices is None:
        raise Http404("fees")
    today = shanghai_today()
    notices = list(notices[:500])
    for n in notices:
        n.days_overdue = (today - n.due_on).days
    return render(request, "fees/unpaid.html", {"notices": notices, "today": today, "nav": "fees"})


@login_required
@require_POST
def statement_import(request):
    courts = _staff_courts(request)
    court = next((c for c in courts if str(c.pk) == request.POST.get("court", str(courts[0].pk))), None)
    upload = request.FILES.get("statement")
    if court is None or upload is None:
        messages.error(request, _("Choose the bank statement file (CSV) to import."))
        return redirect("fees:desk")
    try:
        statement = services.fee_statement_import(court=court, actor=request.user, data=upload.read(),
                                                  filename=upload.name or "")
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("fees:desk")
    messages.success(request, _("%(matched)s of %(lines)s lines recorded as payments.")
                     % {"matched": statement.matched_count, "lines": statement.line_count})
    return redirect("fees:statement", import_id=statement.pk)


@login_required
@require_GET
def statement_report(request, import_id: int):
    statement = bank_import_for(request.user, import_id)
    if statement is None:
        raise Http404("statement")
    return render(request, "fees/statement.html", {"statement": statement, "nav": "fees"})


@login_required
@require_POST
def pay_online(request, notice_id: int):
    notice = _visible(request, FeeNotice, notice_id)
    try:
        payment = services.fee_pay_online(notice=notice, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Paid %(amount)s yuan online.") % {"amount": payment.amount})
    return _back(notice)


@login_required
@require_POST
def pay_counter(request, notice_id: int):
    notice = _visible(request, FeeNotice, notice_id)
    try:
        paid_on = date.fromisoformat(request.POST.get("paid_on") or shanghai_today().isoformat())
        services.fee_payment_counter(notice=notice, actor=request.user, amount=request.POST.get("amount", ""),
                                     paid_on=paid_on, receipt=request.POST.get("receipt", ""))
    except ValueError:
        messages.error(request, _("Enter the date as YYYY-MM-DD."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Payment recorded."))
    return _back(notice)


@login_required
@require_http_methods(["GET", "POST"])
def relief_apply(request, notice_id: int):
    """申请缓交、减交、免交: the party's form."""
    notice = _visible(request, FeeNotice, notice_id)
    access = access_case_for(request.user, notice.case_id)
    if not pays_for(request.user, notice.case):
        raise Http404("fees")
    error, values = "", {"kind": ReliefKind.DEFER}
    if request.method == "POST":
        values = request.POST
        try:
            services.fee_relief_apply(notice=notice, actor=request.user, kind=values.get("kind", ""),
                                      reason=values.get("reason", ""), amount=values.get("amount") or None,
                                      until=values.get("until") or None)
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Your application was sent to the court."))
            return _back(notice)
    view = next(v for v in fees_for_case(notice.case) if v.notice.pk == notice.pk)
    return render(request, "fees/relief_apply.html", {
        "access": access, "case": notice.case, "view": view, "notice": notice, "kinds": ReliefKind.choices,
        "values": values, "error": error, "max_reduced": money(notice.amount_due * (1 - MIN_REDUCTION)),
    }, status=400 if error else 200)


@login_required
@require_POST
def relief_decide(request, application_id: int):
    application = _visible(request, ReliefApplication, application_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.fee_relief_decide(application=application, actor=request.user, approve=approve,
                                   reason=request.POST.get("reason", ""), amount=request.POST.get("amount") or None,
                                   until=request.POST.get("until") or None)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Application approved.") if approve else _("Application refused."))
    return _back(application)


@login_required
@require_POST
def refund_pay_out(request, refund_id: int):
    refund = _visible(request, Refund, refund_id)
    try:
        services.fee_refund_pay_out(refund=refund, actor=request.user,
                                    paid_out_on=request.POST.get("paid_out_on") or None)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Refund recorded as paid out."))
    if request.POST.get("next") == "desk":
        return redirect("fees:desk")
    return _back(refund)
