from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "yunting.core.courts"
    label = "courts"
    verbose_name = "法院管理与分案"

    def ready(self):
        from yunting.core.cases.access import register_scope
        from yunting.core.journal.registry import register_participation_grants, register_recorder, subscribe
        from yunting.kernel.common.memo import invalidate_on

        from . import entries
        from .choices import MEMBERSHIP_ROLES, StaffRole
        from .models import StaffPost
        from .projection import state_record, state_record_many
        from .selectors import headed_cases_q, headed_cases_resolved

        invalidate_on(StaffPost)  # the request memo of active_posts
        # the case's stage, judge, procedure and outcome follow its journal in the same transaction
        register_recorder("courts.state", state_record, state_record_many)
        # `yunting audit` re-derives who takes part in a case: an assignment grants the judge, panel, clerk…
        register_participation_grants(entries.ASSIGNED, entries.assigned_grants)
        # a division head sees the division's cases, a president the court's
        register_scope(headed_cases_q, resolve=headed_cases_resolved, only_for_roles=(
            MEMBERSHIP_ROLES[StaffRole.DIVISION_HEAD], MEMBERSHIP_ROLES[StaffRole.PRESIDENT]))
        # acceptance → assignment by rule; a sealed closing paper → case.closed
        subscribe("filing.accepted", "yunting.core.courts.services.assignment_on_acceptance")
        subscribe("papers.sealed", "yunting.core.courts.services.closure_on_sealed_paper")
