"""Who sees which case, pinned for every role on the three read paths that must agree: the list (workbench, API
case list), its count and filter choices, and the case itself (access_case_for). Written before the visible set
became an index-friendly UNION (issue 18), so the rewrite keeps exactly the visibility it had."""

import pytest

from tests.courts.conftest import setup_court  # noqa: F401  (fixture)
from yunting.core.cases.access import access_case_for, cases_visible_to
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.selectors import case_list_for
from yunting.interfaces.web.selectors import case_filter_choices


@pytest.fixture
def world(setup_court, make_case, users):  # noqa: F811
    """Cases of the demo court reachable by different paths, and a second court with an admin and a case."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.courts import services as s
    from yunting.core.people.models import Membership, Organisation, User

    ns = setup_court
    cases = {
        # the judge, clerk, assistant and the plaintiff's lawyer take part; the plaintiff is a party
        "ours": make_case(participants=("judge", "clerk", "assistant", "lawyer")),
        # nobody of the cast takes part but the defendant (as the party on record) and the mediator
        "plain": make_case(participants=("mediator",), plaintiff="defendant"),
        # secret: only those who take part, never the court-wide roles or a division head
        "secret": make_case(participants=("judge",), security_level="secret"),
        # assigned by rule into 速裁团队: its judge and clerk take part, its head reaches it by scope
        "assigned": make_case(participants=(), plaintiff="defendant"),
        "assigned_secret": make_case(participants=(), plaintiff="defendant", security_level="secret"),
        "public": make_case(participants=(), plaintiff="defendant", security_level="public"),
    }
    s.cases_assign_auto(case_ids=[cases["assigned"].pk, cases["assigned_secret"].pk], actor=users["filing_officer"])
    other = Organisation.objects.create(kind="court", name="深圳市南山区人民法院", court_code="粤0305")
    other_admin = User.objects.create(username="other_admin", real_name="外院管理员")
    Membership.objects.create(user=other_admin, organisation=other, role="court_admin")
    cases["other_court"] = case_open(data=CaseInput(
        court=other, case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[PartyInput(role="plaintiff", kind="natural", name="外院原告"),
                 PartyInput(role="defendant", kind="natural", name="外院被告")],
    ), actor=other_admin)
    president = User.objects.create(username="president", real_name="院长")
    s.staff_post_set(court=ns.court, actor=ns.admin, user=president, role="president")
    people = {**users, "head": ns.head, "head_civil": ns.head_civil, "other_admin": other_admin,
              "president": president}
    for judge in {c.state.judge for c in (cases["assigned"], cases["assigned_secret"])}:
        people.setdefault(judge.username, judge)
    return cases, people


def expected_visibility(cases):
    """The visibility as it stands (pinned): role → names of the cases that role sees."""
    court = {"ours", "plain", "assigned", "public"}  # every non-secret case of the demo court
    assigned = {"assigned", "assigned_secret"}
    judged = {}  # the judges the rule chose for the two assigned cases: each sees the case they were given
    for name in assigned:
        judged.setdefault(cases[name].state.judge.username, set()).add(name)
    return {
        **judged,
        "plaintiff": {"ours", "secret"},
        "lawyer": {"ours"},
        "defendant": {"plain", "assigned", "assigned_secret", "public"},  # the party on record
        "judge": {"ours", "secret"} | judged.get("judge", set()),
        "clerk": {"ours"} | assigned,  # the division's clerk is assigned with the judge
        "assistant": {"ours"} | assigned,
        "mediator": {"plain"},
        "filing_officer": court,
        "court_admin": court,
        "archivist": court,
        "service_officer": set(),  # works from the service centre's queue, not from cases
        "appraiser": set(),
        "prison_officer": set(),
        "point_staff": set(),
        "procurator": set(),
        "head": {"assigned"},  # 速裁团队's head: the division's cases, not secret ones
        "head_civil": set(),
        "president": court,
        "other_admin": {"other_court"},
    }


def test_every_role_sees_the_same_cases_in_list_count_filters_and_detail(world):
    cases, people = world
    for who, names in expected_visibility(cases).items():
        user = people[who]
        want = {cases[n].pk for n in names}
        visible = cases_visible_to(user)
        assert set(visible.values_list("pk", flat=True)) == want, who
        assert visible.count() == len(want), who
        listed = list(case_list_for(user))
        assert [c.pk for c in listed] == sorted(want, key=lambda pk: next(
            (-c.registered_at.timestamp(), -c.pk) for c in cases.values() if c.pk == pk)), who
        assert case_list_for(user, type_code="民初").count() == len(want), who
        types, years = case_filter_choices(visible)
        assert [t.code for t in types] == (["民初"] if want else []), who
        assert years == sorted({c.year for c in cases.values() if c.pk in want}, reverse=True), who
        for name, case in cases.items():
            if case.pk in want:
                assert access_case_for(user, case.pk).case.pk == case.pk, (who, name)
            else:
                with pytest.raises(CaseNotFound):
                    access_case_for(user, case.pk)


def test_a_filter_narrows_within_the_visible_set_only(world):
    cases, people = world
    admin = people["court_admin"]
    assert set(case_list_for(admin, status="registered")) <= set(cases_visible_to(admin))
    assert not case_list_for(admin, type_code="刑初").exists()
    assert not case_list_for(people["lawyer"], year=1999).exists()
    assert list(case_list_for(people["other_admin"], status="registered")) == [cases["other_court"]]


def test_a_lost_post_or_participation_takes_the_cases_away(world):
    from yunting.core.people.models import Membership

    cases, people = world
    Membership.objects.filter(user=people["filing_officer"], role="filing_officer").delete()
    assert not cases_visible_to(people["filing_officer"]).exists()
    with pytest.raises(CaseNotFound):
        access_case_for(people["filing_officer"], cases["plain"].pk)


def test_workbench_and_api_list_show_exactly_the_visible_cases(world, client, bearer):
    cases, people = world
    want = expected_visibility(cases)
    for who in ("lawyer", "clerk", "court_admin", "service_officer"):
        client.force_login(people[who])
        page = client.get("/").content.decode()
        for name, case in cases.items():
            assert (case.number in page) == (name in want[who]), (who, name)
        api = bearer(who).get("/api/v1/cases?page_size=100").json()
        assert {item["id"] for item in api["items"]} == {cases[n].pk for n in want[who]}, who
        assert api["count"] == len(want[who]), who


def test_within_a_read_request_the_memo_gives_the_same_answers(world):
    """Pages keep the user's posts and each case's access for the rest of a GET (kernel/common/memo): asked
    twice inside one request scope, every role gets the pinned answer both times, and the workbench's one-pass
    facets (types, years, count) agree with the list."""
    from yunting.interfaces.web.selectors import case_facets
    from yunting.kernel.common.memo import request_scope

    cases, people = world
    for who, names in expected_visibility(cases).items():
        user = people[who]
        want = {cases[n].pk for n in names}
        with request_scope():
            for _ in range(2):
                types, years, total = case_facets(cases_visible_to(user))
                assert total == len(want), who
                assert [t.code for t in types] == (["民初"] if want else []), who
                assert years == sorted({c.year for c in cases.values() if c.pk in want}, reverse=True), who
                for name, case in cases.items():
                    if case.pk in want:
                        assert access_case_for(user, case.pk).case.pk == case.pk, (who, name)
                    else:
                        with pytest.raises(CaseNotFound):
                            access_case_for(user, case.pk)


def test_a_post_lost_in_the_middle_of_a_request_takes_the_case_away_at_once(world):
    """A write to memberships, staff posts or participations empties the request's memo: the next check in the
    same request asks the database again."""
    from yunting.core.cases.models import Participation
    from yunting.core.courts.models import StaffPost
    from yunting.core.people.models import Membership
    from yunting.kernel.common.memo import request_scope

    cases, people = world
    with request_scope():
        access_case_for(people["filing_officer"], cases["plain"].pk)
        Membership.objects.get(user=people["filing_officer"], role="filing_officer").delete()
        with pytest.raises(CaseNotFound):
            access_case_for(people["filing_officer"], cases["plain"].pk)

        access_case_for(people["head"], cases["assigned"].pk)
        for post in StaffPost.objects.filter(user=people["head"], role="division_head"):
            post.active = False
            post.save()
        with pytest.raises(CaseNotFound):
            access_case_for(people["head"], cases["assigned"].pk)

        access_case_for(people["lawyer"], cases["ours"].pk)
        Participation.objects.get(user=people["lawyer"], case=cases["ours"]).delete()
        with pytest.raises(CaseNotFound):
            access_case_for(people["lawyer"], cases["ours"].pk)
