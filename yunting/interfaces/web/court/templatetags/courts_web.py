from django import template

from yunting.core.courts import permissions
from yunting.core.courts import selectors as sel
from yunting.core.courts.choices import AssignProcedure, StaffRole

register = template.Library()


@register.inclusion_tag("court/_case_lifecycle.html", takes_context=True)
def lifecycle_panel(context):
    """The case page's 分案 panel: judge, division, procedure, status and outcome for everyone who sees the case;
    the assignment and procedure forms for those whose request would succeed."""
    case, user, access = context["case"], context["request"].user, context.get("access")
    life = sel.case_lifecycle(case)
    staff = bool(access and access.sees_internal_marks)
    closed = life.status == "closed"
    can_assign = staff and not closed and (
        permissions.may_assign_first(user, case.court_id) if life.judge_id is None
        else permissions.may_reassign(user, case.court_id, getattr(getattr(case, "state", None), "division_id", None)))
    can_change = staff and not closed and life.judge_id is not None and life.procedure in ("simple", "small_claims",
                                                                                            "expedited") and (
        user.pk == life.judge_id or permissions.may_reassign(user, case.court_id,
                                                             getattr(getattr(case, "state", None), "division_id", None)))
    out = {"case": case, "life": life, "staff": staff, "can_assign": can_assign, "can_change_procedure": can_change,
           "procedures": AssignProcedure.choices, "csrf_token": context.get("csrf_token"),
           "request": context["request"]}
    if can_assign:
        out |= {"judges": sel.judges_for_assignment(case.court),
                "clerks": sel.helpers_for_assignment(case.court, StaffRole.CLERK),
                "assistants": sel.helpers_for_assignment(case.court, StaffRole.JUDGE_ASSISTANT)}
    return out
