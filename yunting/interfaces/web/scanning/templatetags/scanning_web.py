from django import template

from yunting.core.cases.access import Capability
from yunting.core.people.selectors import holds

register = template.Library()


@register.inclusion_tag("scanning/_nav_item.html", takes_context=True)
def scanning_nav(context) -> dict:
    """扫描 in the navbar for court staff (the station, the clerk's queue, the store); 全文检索 for everyone."""
    user = context["request"].user
    staff = bool(user.is_authenticated and holds(user, kind="court"))
    return {"staff": staff, "section": context.get("section", ""), "user": user}


@register.inclusion_tag("scanning/_case_panel.html", takes_context=True)
def scanning_panel(context) -> dict:
    """Paper of the case (cover sheets, originals) on the case page, for the court staff of the case."""
    from yunting.workflows.scanning.selectors import originals_of, originals_unaccounted

    access, case = context.get("access"), context["case"]
    if not (access and access.can(Capability.WRITE_JOURNAL)):
        return {"show": False}
    return {"show": True, "case": case, "originals": len(originals_of(case)),
            "unaccounted": len(originals_unaccounted(case))}
