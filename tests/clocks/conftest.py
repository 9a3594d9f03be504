from datetime import datetime, timedelta

import pytest

from yunting.kernel.common.timeutil import SHANGHAI


@pytest.fixture
def dated_case(make_case):
    """A case registered on a given Shanghai date (the trial clock runs from registration)."""
    from yunting.core.cases.models import Case
    from yunting.core.clocks.services import clocks_refresh

    def make(day: str = "2026-03-02", procedure: str = "simple", **kw):
        case = make_case(procedure=procedure, **kw)
        at = datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI)
        Case.objects.filter(pk=case.pk).update(registered_at=at, filed_at=at - timedelta(days=1))
        case.refresh_from_db()
        clocks_refresh([case.pk])
        return case

    return make


@pytest.fixture
def access_of():
    from yunting.core.cases.access import access_case_for

    def get(user, case):
        return access_case_for(user, case.pk)

    return get


@pytest.fixture
def head(court, users, db):
    """民一庭 with the cast's judge and a division head (庭长), and a president (院长): posts set through the court
    administration services. `head["assign"](case, procedure)` puts a case in that division."""
    from yunting.core.courts import services as court_services
    from yunting.core.people.models import User

    admin = users["court_admin"]
    division = court_services.division_create(court=court, actor=admin, name="民一庭")
    court_services.staff_post_set(court=court, actor=admin, user=users["judge"], role="judge", division=division)

    def person(username, name, role, division=None):
        user = User.objects.create_user(username=username, password="pw-for-tests-123", real_name=name)
        court_services.staff_post_set(court=court, actor=admin, user=user, role=role, division=division)
        return user

    def assign(case, procedure="simple"):
        court_services.case_assign(case=case, actor=admin, judge=users["judge"].pk, procedure=procedure,
                                   reason="测试分案")
        return case

    return {"division_head": person("head1", "钱庭长", "division_head", division),
            "president": person("pres1", "孙院长", "president"), "assign": assign, "division": division}
