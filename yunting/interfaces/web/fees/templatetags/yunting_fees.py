"""{% fee_panel %} on the case page (one line in case_detail.html) and {% fee_nav %} in the navbar."""

from django import template

from yunting.core.fees.access import decides_relief, handles_payments, payment_courts, pays_for
from yunting.core.fees.choices import NoticeKind
from yunting.core.fees.payments import online_gateway_for
from yunting.core.fees.selectors import fees_for_case

register = template.Library()


@register.inclusion_tag("fees/_panel.html", takes_context=True)
def fee_panel(context) -> dict:
    """The case's fees as the viewer may act on them; the view only needs `case` and `request` in context."""
    request, case = context["request"], context["case"]
    user = request.user
    gateway = online_gateway_for(case.court)
    return {
        "case": case, "views": fees_for_case(case), "csrf_token": context.get("csrf_token"),
        "pays": pays_for(user, case), "fee_staff": handles_payments(user, case.court_id),
        "decides": decides_relief(user, case), "gateway": gateway, "notice_kinds": NoticeKind.choices,
    }


@register.inclusion_tag("fees/_nav.html", takes_context=True)
def fee_nav(context) -> dict:
    """诉讼费 in the navbar: for the court's fee staff (the desk) and for judges (their unpaid list)."""
    from yunting.core.courts.selectors import holds_post
    from yunting.core.people.selectors import holds

    user = context["request"].user
    staff = bool(payment_courts(user))
    judge = not staff and (holds(user, ["judge"]) or holds_post(user, ["judge", "division_head", "president"]))
    match = getattr(context["request"], "resolver_match", None)
    return {"staff": staff, "judge": judge, "active": bool(match and match.app_name == "fees")}


FEE_BADGES = {
    "overdue": "text-bg-danger", "unpaid": "text-bg-warning", "part_paid": "text-bg-warning",
    "relief_pending": "text-bg-info", "deferred": "text-bg-info", "paid": "text-bg-success",
    "waived": "text-bg-secondary", "cancelled": "text-bg-secondary", "refund_due": "text-bg-primary", "refunded": "text-bg-secondary",
    "none": "text-bg-light border",
}


@register.filter
def fee_badge(state: str) -> str:
    return FEE_BADGES.get(state, "text-bg-light border")


@register.filter
def fee_state(state: str) -> str:
    """The label of a case's fee state (fee_states) for lists such as the workbench."""
    from yunting.core.fees.selectors import fee_state_label

    return fee_state_label(state)
