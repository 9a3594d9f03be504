"""{% sharedcourt_nav %}: the navbar's shared-court entries (the staff's workbench; the court's statistics)."""

from django import template

from yunting.workflows.sharedcourt import selectors

register = template.Library()


@register.inclusion_tag("sharedcourt/_nav.html", takes_context=True)
def sharedcourt_nav(context) -> dict:
    request = context["request"]
    user = request.user
    match = getattr(request, "resolver_match", None)
    active = bool(match and match.app_name == "sharedcourt")
    return {"staff": bool(selectors.staff_points(user)), "court": bool(selectors.courts_for_stats(user)),
            "active": active}
