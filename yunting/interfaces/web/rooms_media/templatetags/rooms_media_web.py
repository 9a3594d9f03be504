from django import template

register = template.Library()
DECIDERS = ("judge", "judge_assistant", "clerk", "court_admin")


@register.simple_tag
def patrol_nav(user) -> bool:
    """Whether the navbar offers the patrol page: court staff who may decide suspicions (judges, assistants,
    clerks); which suspicions they see is still decided per case on the page."""
    if not getattr(user, "is_authenticated", False):
        return False
    from yunting.core.people.selectors import holds

    return holds(user, DECIDERS)
