from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "yunting.core.courts"
    label = "courts"
    verbose_name = "法院管理与分案"

    def ready(self):
        from yunting.core.cases.access import register_scope
        from yunting.core.journal.registry import register_participation_grants, register_recorder, subscribe

        from . import entries
        from .projection import state_record, state_record_many
        from .selectors import division_cases_q, presided_cases_q

        # the case's stage, judge, procedure and outcome follow its journal in the same transaction
        register_recorder("courts.state", state_record, state_record_many)
        # `yunting audit` re-derives who takes part in a case: an assignment grants the judge, panel, clerk…
        register_participation_grants(entries.ASSIGNED, entries.assigned_grants)
        # a division head sees the division's cases, a president the court's
        register_scope(division_cases_q)
        register_scope(presided_cases_q)
        # acceptance → assignment by rule; a sealed closing paper → case.closed
        subscribe("filing.accepted", "yunting.core.courts.services.assignment_on_acceptance")
        subscribe("papers.sealed", "yunting.core.courts.services.closure_on_sealed_paper")
