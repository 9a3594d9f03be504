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
from yunting.core.people.models import Membership, User
from yunting.kernel.calendar.periods import add_months, nth_working_day_after
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import rules, services
from .models import CourtClosure
from .selectors import DIVISION_HEAD, PRESIDENT

MARK = "演示：等待另案审理结果"


def _head(court, role: str, username: str, name: str, password: str) -> User:
    """The court's division head / president from the court's own demo if it made one, else a demo account."""
    m = Membership.objects.filter(organisation=court, role=role).select_related("user").first()
    if m is not None:
        return m.user
    user, created = User.objects.get_or_create(username=username, defaults={"real_name": name})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=court, role=role)
    return user


def _backdate(case: Case, day) -> None:
    at = datetime.combine(day, time(9, 30), tzinfo=SHANGHAI)
    Case.objects.filter(pk=case.pk).update(registered_at=at, filed_at=at - timedelta(days=2))
    case.refresh_from_db()


def clocks_demo(*, orgs, users, password: str, progress: Callable[[str], None] = lambda s: None) -> dict:
    court, judge, clerk = orgs["court"], users["judge"], users["clerk"]
    head = _head(court, DIVISION_HEAD, "tingzhang", "钱立群", password)
    president = _head(court, PRESIDENT, "yuanzhang", "孙振华", password)
    open_cases = list(Case.objects.filter(court=court, case_type_id="民初", closed_at__isnull=True,
                                          participations__user=judge, participations__role__in=("presiding_judge", "judge"))
                      .exclude(security_level="secret").exclude(status="closed").order_by("pk").distinct()[:8])
    if len(open_cases) < 8 or JournalEntry.objects.filter(kind=rules.SUSPENDED, payload__reason=MARK).exists():
        progress("clocks: demo history already present (or too few cases); nothing to add")
        return {"created": False}
    today = shanghai_today()
    with transaction.atomic():
        overdue, near, suspended, extended, pending, excluded, served, decided = open_cases

        def trial_months(case):
            kind = rules.trial_kind(case.case_type_id, case.procedure) or "trial-ordinary"
            return {"trial-simple": 3, "trial-small-claims": 2}.get(kind, 6)

        _backdate(overdue, add_months(today, -trial_months(overdue)) - timedelta(days=20))
        _backdate(near, add_months(nth_working_day_after(today, 2), -trial_months(near)))
        for case, days in ((suspended, 60), (extended, 150), (pending, 140), (excluded, 90), (served, 20),
                           (decided, 120)):
            _backdate(case, today - timedelta(days=days))
        access = access_case_for(judge, suspended.pk)
        services.case_suspend(access=access, actor=judge, on=today - timedelta(days=12), reason=MARK)
        access = access_case_for(judge, extended.pk)
        services.case_extension_request(access=access, actor=judge, months=3, reason="需等待司法鉴定意见")
        approver = president if services.rules.extension_rule(
            rules.trial_kind(extended.case_type_id, extended.procedure) or "")[1] else head
        services.case_extension_decide(case=extended, actor=approver, approved=True, reason="同意延长")
        access = access_case_for(judge, pending.pk)
        services.case_extension_request(access=access, actor=judge, months=2, reason="案情复杂，需追加当事人")
        access = access_case_for(judge, excluded.pk)
        services.case_exclude_period(access=access, actor=judge, kind="appraisal",
                                     start=today - timedelta(days=60), end=today - timedelta(days=40))
        for case, kind, days in ((served, "complaint", 4), (decided, "judgment", 3)):
            defendant = case.parties.order_by("order", "id").last()
            services.service_register(access=access_case_for(clerk, case.pk), actor=clerk, document_kind=kind,
                                      served_on=today - timedelta(days=days), party_id=defendant.pk)
        day = today - timedelta(days=25)
        CourtClosure.objects.get_or_create(court=court, day=day, defaults={
            "reason": "台风红色预警，全院停止对外办公", "created_by": users["court_admin"]})
        services.clocks_refresh([c.pk for c in open_cases])
    sent = services.digest_send()
    progress(f"clocks: overdue {overdue.number}, due soon {near.number}, suspended {suspended.number}, "
             f"extended {extended.number}, extension waiting {pending.number}; {sent} digests; "
             f"division head {head.username}, president {president.username}")
    return {"created": True, "digests": sent}
