"""The court's pages: administration (divisions, people, CSV import with a per-row report, settings), the
assignment queue, the caseload workbench and the case page's panel — and 404 for everyone else."""

import pytest

from yunting.core.courts import services as s
from yunting.core.courts.models import CourtRecord, Division, StaffPost

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, users):
    def as_(who):
        client.force_login(users[who] if isinstance(who, str) else who)
        return client

    return as_


def test_admin_creates_a_division_and_it_is_recorded(setup_court, login):
    c = login("court_admin")
    assert "民一庭" in c.get("/court/").content.decode()
    r = c.post("/court/divisions/new/", {"name": "民二庭", "default_procedure": "ordinary"}, follow=True)
    assert "民二庭" in r.content.decode()
    assert Division.objects.filter(name="民二庭", default_procedure="ordinary").exists()
    assert CourtRecord.objects.filter(kind="court.division_created", payload__name="民二庭").exists()
    r = c.post("/court/divisions/new/", {"name": "民二庭"}, follow=True)  # a clear error, nothing changed
    assert Division.objects.filter(name="民二庭").count() == 1 and "alert" in r.content.decode()


def test_court_pages_are_404_for_others(setup_court, login):
    for who in ("judge", "plaintiff", "lawyer", "filing_officer"):
        c = login(who)
        assert c.get("/court/").status_code == 404
        assert c.get("/court/people/").status_code == 404
        assert c.post("/court/divisions/new/", {"name": "X"}).status_code == 404
    assert login("plaintiff").get("/court/assign/").status_code == 404
    assert login("judge").get("/court/assign/").status_code == 404


def test_csv_import_reports_each_row(setup_court, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = ("username,real_name,role,division,weight\n"
                "j_new1,新法官一,审判员,民一庭,1\n"
                "j_new2,新法官二,judge,不存在庭,1\n"
                "c_new,新书记员,书记员,民一庭,\n"
                "x_bad,某人,清洁工,民一庭,1\n"
                "j_new3,新法官三,judge,民一庭,9\n")
    c = login("court_admin")
    r = c.post("/court/people/import/", {"file": SimpleUploadedFile("people.csv", csv_text.encode("utf-8"))},
               follow=True)
    page = r.content.decode()
    assert 'data-testid="import-report"' in page
    assert "不存在庭" in page and "清洁工" in page
    assert StaffPost.objects.filter(user__username="j_new1", role="judge", division__name="民一庭").exists()
    assert StaffPost.objects.filter(user__username="c_new", role="clerk").exists()
    assert not StaffPost.objects.filter(user__username__in=["j_new2", "x_bad", "j_new3"]).exists()
    from yunting.core.people.models import Membership

    assert Membership.objects.filter(user__username="j_new1", role="judge").exists()  # access rules see the judge


def test_deactivating_a_judge_stops_assignment(setup_court, login, make_case, users):
    ns = setup_court
    post = StaffPost.objects.get(user=ns.judges["zhang"], role="judge")
    login("court_admin").post(f"/court/people/{post.pk}/", {"division": ns.fast.pk, "weight": "1", "active": "0"})
    results = s.cases_assign_auto(case_ids=[make_case(participants=()).pk for _ in range(4)],
                                  actor=users["filing_officer"])
    assert ns.judges["zhang"].pk not in {r.judge for r in results}


def test_assign_queue_assigns_all_by_rule(setup_court, login, make_case):
    cases = [make_case(participants=()) for _ in range(3)]
    c = login("filing_officer")
    page = c.get("/court/assign/").content.decode()
    assert all(case.number in page for case in cases)
    r = c.post("/court/assign/auto/", {"all": "1"}, follow=True)
    page = r.content.decode()
    assert 'data-testid="assign-results"' in page and "速裁团队" in page
    assert "Every case is assigned" in page or "全部案件均已分案" in page


def test_workbench_for_judge_and_division_head(setup_court, login, make_case, users):
    ns = setup_court
    case = make_case(participants=())
    s.case_assign(case=case, actor=users["filing_officer"], judge=ns.judges["li"].pk, procedure="simple",
                  reason="指定")
    page = login(ns.judges["li"]).get("/court/work/").content.decode()
    assert case.number in page and 'data-testid="my-open-cases"' in page
    assert case.number not in login(ns.judges["zhang"]).get("/court/work/").content.decode()
    head = login(ns.head).get("/court/work/").content.decode()
    assert case.number in head and 'data-testid="division-cases"' in head and "李法官" in head
    assert case.number not in login(ns.head_civil).get("/court/work/").content.decode()
    assert case.number not in login("plaintiff").get("/court/work/").content.decode()


def test_case_page_shows_judge_to_party_and_reason_only_to_staff(setup_court, login, make_case, users):
    ns = setup_court
    case = make_case(participants=("lawyer",))
    s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    party = login("plaintiff").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="lifecycle-judge"' in party and "最低" not in party and "Re-assign" not in party
    staff = login(ns.head).get(f"/cases/{case.pk}/").content.decode()
    assert "最低" in staff and f"/court/cases/{case.pk}/assign/" in staff


def test_reassign_from_the_case_page(setup_court, login, make_case, users):
    ns = setup_court
    case = make_case(participants=())
    s.case_assign(case=case, actor=users["filing_officer"], judge=ns.judges["li"].pk, procedure="simple",
                  reason="指定")
    c = login(ns.head)
    r = c.post(f"/court/cases/{case.pk}/assign/", {"judge": ns.judges["zhang"].pk, "procedure": "simple",
                                                   "reason": "李法官借调"}, follow=True)
    assert r.status_code == 200
    from yunting.core.courts.selectors import case_lifecycle

    assert case_lifecycle(case).judge == "张法官"
    assert login(ns.head_civil).post(f"/court/cases/{case.pk}/assign/", {"judge": ns.judges["li"].pk,
                                                                         "procedure": "simple",
                                                                         "reason": "x"}).status_code == 404
