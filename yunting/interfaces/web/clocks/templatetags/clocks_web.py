"""The case page's 期限 panel and the navbar's 期限预警 entry."""

from django import template

from yunting.core.cases.access import Capability
from yunting.core.cases.models import Party
from yunting.core.clocks.selectors import JUDGE_ROLES, case_clock, deadlines_for, digest_unread, leads
from yunting.core.clocks.services import EXCLUDED_KINDS, can_decide_extension, can_register_service
from yunting.core.people.choices import COURT_STAFF_ROLES
from yunting.core.people.selectors import holds

register = template.Library()

STATUS_CLASSES = {"near": "text-bg-warning", "overdue": "text-bg-danger", "expired": "text-bg-secondary",
                  "suspended": "text-bg-secondary", "done": "text-bg-light border", "running": "text-bg-success"}


@register.filter
def deadline_badge(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.inclusion_tag("clocks/_deadlines.html", takes_context=True)
def deadlines_panel(context):
    """Every deadline of the case with its start, due date, days left, basis and steps; for the judge the forms
    that stop, exclude and lengthen the trial clock; for court staff the 登记送达 form."""
    access, user = context["access"], context["request"].user
    case = access.case
    items = deadlines_for(case)
    is_judge = access.can(Capability.WRITE_JOURNAL) and bool(access.roles & set(JUDGE_ROLES))
    clock = case_clock(case)[0] if is_judge else None
    return {
        "request": context["request"], "csrf_token": context.get("csrf_token"), "case": case, "items": items,
        "is_judge": is_judge, "suspended_on": clock.suspended_on if clock else None,
        "closed": bool(clock and clock.closed_on), "pending": clock.pending_extension if clock else None,
        "has_trial": any(i.key == "trial" for i in items),
        "can_serve": can_register_service(access, user),
        "parties": Party.objects.filter(case=case).order_by("order", "id") if access.can(Capability.WRITE_JOURNAL) else [],
        "excluded_kinds": EXCLUDED_KINDS,
        "decides": not is_judge and access.can(Capability.WRITE_JOURNAL) and can_decide_extension(user, case),
        "pending_asked": next((i.pending_extension for i in items if i.key == "trial"), 0),
    }


@register.simple_tag
def clocks_nav(user) -> dict:
    """Whether the user gets the 期限预警 entry (court staff) and how many digests are unread."""
    if not getattr(user, "is_authenticated", False):
        return {"show": False}
    staff = holds(user, [*COURT_STAFF_ROLES, "division_head", "president"])
    leading = leads(user)
    return {"show": staff or leading, "unread": digest_unread(user) if staff or leading else 0}
