"""{% service_panel %} on the case page, {% service_nav %} in the navbar, {% service_notices %} on the workbench,
and the labels and badges of the 送达 pages."""

from django import template
from django.utils.translation import pgettext_lazy

from yunting.core.cases.access import Capability
from yunting.core.service.choices import Outcome, TaskStatus

from .. import access as acc

register = template.Library()

TASK_BADGES = {TaskStatus.PENDING: "text-bg-secondary", TaskStatus.IN_PROGRESS: "text-bg-info",
               TaskStatus.SERVED: "text-bg-success", TaskStatus.FAILED: "text-bg-danger"}
OUTCOME_BADGES = {Outcome.DELIVERED: "text-bg-success", Outcome.READ: "text-bg-success",
                  Outcome.PUBLISHED: "text-bg-primary", Outcome.FAILED: "text-bg-danger",
                  Outcome.REFUSED: "text-bg-warning"}


# The pages' own words for the service app's codes (context "service web", so they never collide with the app's).
CHANNEL_LABELS = {
    "portal": pgettext_lazy("service web", "Platform account"), "sms": pgettext_lazy("service web", "SMS"),
    "email": pgettext_lazy("service web", "E-mail"), "phone": pgettext_lazy("service web", "Telephone"),
    "post": pgettext_lazy("service web", "Post (EMS)"), "direct": pgettext_lazy("service web", "In person"),
    "announcement": pgettext_lazy("service web", "Public announcement"),
}
OUTCOME_LABELS = {
    "delivered": pgettext_lazy("service web", "Delivered"), "read": pgettext_lazy("service web", "Read"),
    "failed": pgettext_lazy("service web", "Failed"), "refused": pgettext_lazy("service web", "Refused"),
    "published": pgettext_lazy("service web", "Published"), "sent": pgettext_lazy("service web", "Sent"),
}
STATUS_LABELS = {
    "pending": pgettext_lazy("service web", "Waiting"), "in_progress": pgettext_lazy("service web", "Being served"),
    "served": pgettext_lazy("service web", "Served"), "failed": pgettext_lazy("service web", "Not served"),
}


@register.filter
def channel_label(value: str) -> str:
    return str(CHANNEL_LABELS.get(value, value or "—"))


@register.filter
def outcome_label(value: str) -> str:
    return str(OUTCOME_LABELS.get(value, value))


@register.filter
def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


CONTACT_LABELS = {"phone": pgettext_lazy("service web", "Phone"), "email": pgettext_lazy("service web", "E-mail"),
                  "address": pgettext_lazy("service web", "Address"),
                  "account": pgettext_lazy("service web", "Platform account")}


@register.filter
def contact_label(value: str) -> str:
    return str(CONTACT_LABELS.get(value, value))


@register.filter
def task_badge(status: str) -> str:
    return TASK_BADGES.get(status, "text-bg-light border")


@register.filter
def outcome_badge(outcome: str) -> str:
    return OUTCOME_BADGES.get(outcome, "text-bg-light border")


@register.inclusion_tag("service_web/_case_panel.html", takes_context=True)
def service_panel(context) -> dict:
    """送达 on the case page: the court staff of the case see every task and the request form; a party sees the
    documents served on them (opening one is the read receipt); anyone else sees nothing."""
    request, case, access = context["request"], context["case"], context.get("access")
    staff = bool(access and access.can(Capability.WRITE_JOURNAL))
    out = {"case": case, "staff": staff, "csrf_token": context.get("csrf_token"), "request": request}
    if staff:
        tasks = list(acc.case_tasks(case))
        out |= {"tasks": tasks,
                "all_served": bool(tasks) and all(t.status == TaskStatus.SERVED for t in tasks),
                "documents": acc.servable_documents(case), "recipients": list(case.parties.order_by("order", "id"))}
    else:
        parties = acc.party_ids_of(request.user, case.pk)
        out |= {"mine": list(acc.tasks_served_on(request.user, case.pk)), "is_party": bool(parties),
                "consented": acc.consent_of(case, parties) if parties else set()}
    return out


@register.inclusion_tag("service_web/_nav.html", takes_context=True)
def service_nav(context) -> dict:
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    return {"officer": bool(acc.officer_court_ids(request.user)),
            "active": bool(match and match.app_name == "service_web")}


@register.inclusion_tag("service_web/_notices.html", takes_context=True)
def service_notices(context) -> dict:
    """送达完成 notices for the judge, clerk and assistant on their workbench (gone once the case is opened), and for
    a party the documents delivered to their account and not yet opened."""
    user = context["request"].user
    return {"notices": acc.all_served_notices(user), "unread": acc.unread_served_on_me(user)}


@register.filter
def percent(value) -> str:
    """0.973 → 97.3%; — when there is nothing to divide."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def pct_int(value) -> int:
    return round(float(value or 0) * 100)


@register.filter
def days(value) -> str:
    from django.utils.translation import gettext as _

    if value is None or value == "":
        return "—"
    return _("%(n)s days") % {"n": f"{max(float(value), 0.0):.1f}"}  # an attempt dated the minute before: 0


CONSENT_FORM_LABELS = {
    "explicit": pgettext_lazy("service web", "Explicit consent"),
    "prior_agreement": pgettext_lazy("service web", "Prior agreement or undertaking"),
    "pleading": pgettext_lazy("service web", "Address given in a pleading"),
    "accepted_earlier": pgettext_lazy("service web", "Accepted an earlier electronic service"),
}
CONFIRMED_BY_LABELS = {"phone": pgettext_lazy("service web", "By telephone"),
                       "platform": pgettext_lazy("service web", "On the platform"),
                       "form": pgettext_lazy("service web", "Signed confirmation form")}


@register.filter
def consent_form_label(value: str) -> str:
    return str(CONSENT_FORM_LABELS.get(value, value))


@register.filter
def confirmed_by_label(value: str) -> str:
    return str(CONFIRMED_BY_LABELS.get(value, value))
