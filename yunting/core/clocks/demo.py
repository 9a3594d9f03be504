"""The demo's clocks: after the cases exist (and the court's demo has assigned them), a few open first-instance
cases get a history that shows every kind of deadline — overdue, due in two working days, suspended, extended,
an extension waiting for the division head, a 鉴定 interval not counted, answer and appeal periods running from
registered service — plus one declared court closure, and today's digests. Run again, it adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.db import transaction

from yunting.core.cases.access import access_case_for
from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry
from yunting.core.people.models import User
from yunting.kernel.calendar.periods import add_months, nth_working_day_after
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import rules, services
from .models import CourtClosure
from .selectors import JUDGE_ROLES, PRESIDENT, case_clock

MARK = "演示：等待另案审理结果"


def _president(court) -> User | None:
    """The court's president from the court administration's posts (the court's demo appoints one)."""
    from yunting.core.courts.models import StaffPost

    post = StaffPost.objects.filter(court=court, role=PRESIDENT, active=True).select_related("user").first()
    return post.user if post else None


def _actor(case: Case, roles) -> User | None:
    p = case.participations.filter(role__in=roles).select_related("user").order_by("id").first()
    return p.user if p else None


def _backdate(case: Case, day) -> None:
    at = datetime.combine(day, time(9, 30), tzinfo=SHANGHAI)
    Case.objects.filter(pk=case.pk).update(registered_at=at, filed_at=at - timedelta(days=2))
    case.refresh_from_db()


def clocks_demo(*, orgs, users, password: str = "", progress: Callable[[str], None] = lambda s: None) -> dict:
    court = orgs["court"]
    president = _president(court)
    open_cases = list(Case.objects.filter(court=court, case_type_id="民初", closed_at__isnull=True,
                                          participations__role__in=JUDGE_ROLES)
                      .exclude(security_level="secret").exclude(status__in=("closed", "archived"))
                      .exclude(state__status="closed").order_by("pk").distinct()[:8])
    if len(open_cases) < 8 or JournalEntry.objects.filter(kind=rules.SUSPENDED, payload__reason=MARK).exists():
        progress("clocks: demo history already present (or too few cases); nothing to add")
        return {"created": False}
    today = shanghai_today()
    with transaction.atomic():
        overdue, near, suspended, extended, pending, excluded, served, decided = open_cases

        def trial_months(case):  # the procedure as assigned (the journal), not as first registered
            kind = rules.trial_kind(case.case_type_id, case_clock(case)[0].procedure) or "trial-ordinary"
            return {"trial-simple": 3, "trial-small-claims": 2}.get(kind, 6)

        _backdate(overdue, add_months(today, -trial_months(overdue)) - timedelta(days=20))
        _backdate(near, add_months(nth_working_day_after(today, 2), -trial_months(near)))
        for case, days in ((suspended, 60), (extended, 100), (pending, 80), (excluded, 60), (served, 20),
                           (decided, 70)):
            _backdate(case, today - timedelta(days=days))

        def judge_of(case):
            judge = _actor(case, JUDGE_ROLES)
            return judge, access_case_for(judge, case.pk)

        judge, access = judge_of(suspended)
        services.case_suspend(access=access, actor=judge, on=today - timedelta(days=12), reason=MARK)
        judge, access = judge_of(extended)
        services.case_extension_request(access=access, actor=judge, months=1, reason="需等待司法鉴定意见")
        if president is not None:  # the president may decide any extension
            services.case_extension_decide(case=extended, actor=president, approved=True, reason="同意延长")
        judge, access = judge_of(pending)
        services.case_extension_request(access=access, actor=judge, months=1, reason="案情复杂，需追加当事人")
        judge, access = judge_of(excluded)
        services.case_exclude_period(access=access, actor=judge, kind="appraisal",
                                     start=today - timedelta(days=50), end=today - timedelta(days=30))
        for case, kind, days in ((served, "complaint", 4), (decided, "judgment", 3)):
            defendant = case.parties.order_by("order", "id").last()
            clerk = _actor(case, ("clerk",)) or _actor(case, JUDGE_ROLES)
            services.service_register(access=access_case_for(clerk, case.pk), actor=clerk, document_kind=kind,
                                      served_on=today - timedelta(days=days), party_id=defendant.pk)
        day = today - timedelta(days=25)
        CourtClosure.objects.get_or_create(court=court, day=day, defaults={
            "reason": "台风红色预警，全院停止对外办公", "created_by": users["court_admin"]})
        services.clocks_refresh([c.pk for c in open_cases])
    sent = services.digest_send()
    progress(f"clocks: overdue {overdue.number}, due soon {near.number}, suspended {suspended.number}, "
             f"extended {extended.number}, extension waiting {pending.number}; {sent} digests")
    return {"created": True, "digests": sent}
