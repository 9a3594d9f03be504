import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from yunting.core.cases.access import Capability, access_case_for, cases_visible_to
from yunting.core.cases.errors import CaseNotFound
from yunting.kernel.security.audit import read_log
from yunting.kernel.security.models import ReadLog


def test_participants_see_their_case_and_others_do_not(make_case, users):
    case = make_case(participants=("judge", "clerk", "lawyer"))
    for name in ("judge", "clerk", "lawyer", "plaintiff"):
        assert access_case_for(users[name], case.pk).case == case
    for name in ("defendant", "mediator", "appraiser", "prison_officer", "point_staff", "assistant"):
        with pytest.raises(CaseNotFound):
            access_case_for(users[name], case.pk)


def test_not_yours_looks_exactly_like_does_not_exist(make_case, users):
    case = make_case()
    with pytest.raises(CaseNotFound) as not_yours:
        access_case_for(users["mediator"], case.pk)
    with pytest.raises(CaseNotFound) as missing:
        access_case_for(users["mediator"], 999_999)
    assert not_yours.value.as_dict() == missing.value.as_dict()


def test_court_wide_roles_see_their_court_but_not_secret_cases(make_case, users):
    ordinary = make_case(participants=())
    secret = make_case(participants=("judge",), security_level="secret")
    for name in ("court_admin", "filing_officer", "archivist"):
        assert access_case_for(users[name], ordinary.pk)
        with pytest.raises(CaseNotFound):
            access_case_for(users[name], secret.pk)
    assert access_case_for(users["judge"], secret.pk)
    assert set(cases_visible_to(users["court_admin"])) == {ordinary}


def test_secondary_volume_and_personal_data_are_court_only(make_case, users):
    case = make_case(participants=("judge", "lawyer"))
    judge = access_case_for(users["judge"], case.pk)
    assert judge.can(Capability.VIEW_SECONDARY) and judge.can(Capability.VIEW_PERSONAL_DATA)
    lawyer = access_case_for(users["lawyer"], case.pk)
    assert lawyer.can(Capability.VIEW_EFILE)
    assert not lawyer.can(Capability.VIEW_SECONDARY) and not lawyer.can(Capability.VIEW_PERSONAL_DATA)
    with pytest.raises(CaseNotFound):
        access_case_for(users["lawyer"], case.pk, need=Capability.VIEW_SECONDARY)


def test_anonymous_sees_nothing(make_case):
    from django.contrib.auth.models import AnonymousUser

    case = make_case()
    with pytest.raises(CaseNotFound):
        access_case_for(AnonymousUser(), case.pk)
    assert not cases_visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("sql", ["UPDATE security_readlog SET username = 'nobody'", "DELETE FROM security_readlog"])
def test_read_log_is_append_only(users, sql):
    read_log(user=users["judge"], action="case.view", channel="web", case_id=1)
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert ReadLog.objects.get().username == "judge"
