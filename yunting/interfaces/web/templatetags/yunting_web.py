from django import template
from django.utils.translation import gettext as _

from yunting.core.efile.catalog import DOCUMENT_KIND_LABELS
from yunting.interfaces.web import labels
from yunting.interfaces.web.selectors import is_court_admin, memberships_of

register = template.Library()

STATUS_BADGES = {
    "registered": "text-bg-primary",
    "in_trial": "text-bg-info",
    "mediation": "text-bg-warning",
    "hearing_scheduled": "text-bg-info",
    "decided": "text-bg-success",
    "closed": "text-bg-secondary",
    "archived": "text-bg-dark",
}
SECURITY_BADGES = {"public": "text-bg-light", "internal": "text-bg-secondary", "confidential": "text-bg-warning",
                   "secret": "text-bg-danger"}


@register.filter
def entry_kind(kind: str) -> str:
    return labels.entry_kind_label(kind)


@register.filter
def read_action(action: str) -> str:
    return labels.read_action_label(action)


@register.filter
def document_kind(kind: str) -> str:
    return DOCUMENT_KIND_LABELS.get(kind, kind)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-secondary")


@register.filter
def security_badge(level: str) -> str:
    return SECURITY_BADGES.get(level, "text-bg-secondary")


@register.filter
def volume_name(code: str) -> str:
    return _("Main volume") if code == "main" else _("Secondary volume")


@register.simple_tag
def navbar_identity(user) -> dict:
    """The signed-in user's standing roles ("Judge · 深圳市宝安区人民法院") and whether they administer a court."""
    roles = [f"{m.get_role_display()} · {m.organisation.name}" for m in memberships_of(user)]
    from yunting.core.courts.selectors import nav_flags
    from yunting.workflows.filing.selectors import reviewer_court_ids

    return {"roles": roles or [_("Individual user")], "court_admin": is_court_admin(user),
            "filing_reviewer": bool(reviewer_court_ids(user)),
            "archivist": any(m.role == "archivist" for m in memberships_of(user)), **nav_flags(user)}


@register.simple_tag(takes_context=True)
def navbar_section(context) -> str:
    """The navbar entry to light: the page's own `nav` when its view set one (a filing's page is 立案审查 for the
    officer reviewing it, 网上立案 for its filer), else the entry the URL belongs to."""
    if context.get("nav"):
        return context["nav"]
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    if match.app_name == "filing":
        return "filing_review" if match.url_name == "review" else "filing"
    return match.url_name or ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links that keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def choice(obj, field_name: str) -> str:
    """{{ case|choice:"status" }}: case.get_status_display(), without rebuilding the choices on every call."""
    return labels.choice_label(obj, field_name)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, []) if mapping else []


@register.filter
def yuan(value) -> str:
    """¥1,234,567.89 — the one way amounts are shown on every page (decimals, or their strings such as a fee
    "2300.00"); grouping by thousands as court papers print them."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return "—"
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"¥{amount:,.2f}"


@register.simple_tag
def party_invalid(field_errors, index, field) -> str:
    """" is-invalid" when the form's party row `index` has a problem in `field` (filing form)."""
    return " is-invalid" if (field_errors or {}).get(f"party-{index}-{field}") else ""


@register.inclusion_tag("filing/_field_errors.html")
def party_errors(field_errors, index, field) -> dict:
    name = f"party-{index}-{field}"
    return {"messages_for": (field_errors or {}).get(name, []), "for": name}


@register.simple_tag(takes_context=True)
def case_tabs(context, access) -> dict:
    """Which of the case's workflow tabs open for this person: a tab is shown only where its page answers.

    From the roles the case access already holds (memoised per request); the witnesses panel asks which party
    the person stands for only when they take part as a party or a lawyer."""
    from yunting.core.cases.access import Capability
    from yunting.workflows.casespace.services import ROLE_OF
    from yunting.workflows.witnesses.services import party_of

    roles = set(access.roles)
    court_side = access.can(Capability.WRITE_JOURNAL)
    witnesses = court_side or bool(roles & {"party", "lawyer"} and party_of(access, context["request"].user))
    return {"space": bool(roles & set(ROLE_OF)), "witnesses": witnesses}
