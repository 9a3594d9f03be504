"""Triage is explained and deterministic; disputes are seen by their parties, their mediator and the court's
coordinators only (404 for everyone else, as for a dispute that does not exist); limits show when overrun."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.mediation.conftest import dispute_payload
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import ApplicationError
from yunting.workflows.mediation import selectors, services
from yunting.workflows.mediation.models import Assignment, Dispute, Mediator

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_suggestions_are_ranked_explained_and_the_same_for_the_same_data(bearer, network, submit):
    dispute = submit()
    coord = bearer("coordinator")
    first = coord.get(f"/api/v1/mediation/disputes/{dispute.pk}/suggestions").json()
    again = coord.get(f"/api/v1/mediation/disputes/{dispute.pk}/suggestions").json()
    assert first == again
    items = first["items"]
    assert set(items[0]) >= {"mediator_id", "organisation_id", "score", "reasons"}
    # 林志远: loan specialist (+30), the cause (+15), covers 新安街道 (+20), empty (+15) → 80
    assert [i["mediator_id"] for i in items[:2]] == [network["med_c"].pk, network["mediator"].pk]
    assert items[0]["score"] == 80.0
    assert items[0]["reasons"][:3] == ["擅长民间借贷纠纷（+30）", "熟悉民间借贷纠纷（+15）", "负责纠纷发生地新安街道（+20）"]
    english = coord.get(f"/api/v1/mediation/disputes/{dispute.pk}/suggestions", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["items"][0]["reasons"][0] == "Specialises in Private lending disputes (+30)"
    assert all(len(i["reasons"]) >= 3 for i in items)
    scores = [(-i["score"], i["mediator_id"]) for i in items]
    assert scores == sorted(scores)  # best first; a tie goes to the lower id


def test_ties_break_on_the_lower_id_and_load_and_outcomes_count(network, submit, users):
    dispute = submit(locality="福永街道")  # nobody covers it: locality gives no one points
    twin = Mediator.objects.get(pk=network["med_b"].pk)
    clone = Mediator.objects.create(user=users["judge"], organisation=twin.organisation, court=twin.court,
                                    specialisms=twin.specialisms, causes=twin.causes, localities=twin.localities,
                                    capacity=twin.capacity)
    ranked = selectors.triage_suggestions(dispute)
    pos = {s.mediator_id: i for i, s in enumerate(ranked)}
    assert ranked[pos[twin.pk]].score == ranked[pos[clone.pk]].score and pos[twin.pk] < pos[clone.pk]
    # a record of settled loan disputes lifts a mediator; a full load drops them from the list
    Mediator.objects.filter(pk=clone.pk).update(type_stats={"loan": [10, 9]}, closed_count=10, success_count=9)
    ranked = selectors.triage_suggestions(dispute)
    pos = {s.mediator_id: i for i, s in enumerate(ranked)}
    assert pos[clone.pk] < pos[twin.pk]
    assert any("9" in r and "10" in r for r in ranked[pos[clone.pk]].reasons)
    Mediator.objects.filter(pk=clone.pk).update(open_count=5)
    assert clone.pk not in {s.mediator_id for s in selectors.triage_suggestions(dispute)}


def test_only_parties_mediator_and_coordinators_see_a_dispute(bearer, network, users, submit):
    dispute = submit(link_defendant=False)
    url = f"/api/v1/mediation/disputes/{dispute.pk}"
    assert bearer("plaintiff").get(url).status_code == 200
    assert bearer("coordinator").get(url).status_code == 200
    for outsider in ("defendant", "judge", "lawyer", "mediator", "filing_officer"):
        r = bearer(outsider).get(url)
        assert r.status_code == 404 and r.json()["code"] == "mediation_not_found", outsider
        assert bearer(outsider).get("/api/v1/mediation/disputes/999999").json() == r.json()
        assert dispute.pk not in [d["id"] for d in bearer(outsider).get("/api/v1/mediation/disputes").json()["items"]]
    assert bearer("plaintiff").get(f"{url}/suggestions").status_code == 403  # a party sees no mediator scores
    services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=users["coordinator"])
    assert bearer("mediator").get(url).status_code == 200  # asked: may read it to decide
    party = dispute.case.parties.get(role="defendant")
    services.dispute_link_party(dispute=dispute, party=party, user=users["defendant"], actor=users["coordinator"])
    assert bearer("defendant").get(url).status_code == 200


def test_only_a_coordinator_assigns_and_a_refusal_changes_nothing(network, users, submit):
    dispute = submit()
    before = JournalEntry.objects.filter(case=dispute.case).count()
    for who in ("plaintiff", "mediator", "judge"):
        with pytest.raises(ApplicationError) as err:
            services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=users[who])
        assert err.value.code == "mediation_not_coordinator"
    assert JournalEntry.objects.filter(case=dispute.case).count() == before
    assert not Assignment.objects.filter(dispute=dispute).exists()
    services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=users["coordinator"])
    with pytest.raises(ApplicationError) as err:  # a double click assigns once
        services.dispute_assign(dispute=dispute, mediator=network["med_a"], actor=users["coordinator"])
    assert err.value.code == "mediation_wrong_state"
    assert Assignment.objects.filter(dispute=dispute).count() == 1


def test_parties_pick_jointly_and_the_pick_becomes_an_assignment(network, users, submit):
    dispute = submit()
    services.parties_pick(dispute=dispute, mediator=network["med_a"], actor=users["plaintiff"])
    dispute.refresh_from_db()
    assert dispute.state == "new"  # one side only
    services.parties_pick(dispute=dispute, mediator=network["med_b"], actor=users["defendant"])
    dispute.refresh_from_db()
    assert dispute.state == "new"  # they disagree
    services.parties_pick(dispute=dispute, mediator=network["med_a"], actor=users["defendant"])
    dispute.refresh_from_db()
    assert dispute.state == "assigned" and dispute.mediator_id == network["med_a"].pk
    assert Assignment.objects.get(dispute=dispute).source == "parties"


def test_limits_run_on_working_days_and_overdue_shows(network, users, time_machine):
    # received Friday 2026-11-27: assign by the 3rd working day (Wed 12-02), pick jointly by the 2nd (Tue 12-01)
    time_machine.move_to(datetime(2026, 11, 27, 10, 0, tzinfo=SH), tick=False)
    dispute = services.dispute_submit(payload=dispute_payload(), actor=users["plaintiff"])
    assert (dispute.assign_due, dispute.pick_due) == (date(2026, 12, 2), date(2026, 12, 1))
    court = dispute.court
    assert selectors.overdue(court, today=date(2026, 12, 2)) == []
    late = selectors.overdue(court, today=date(2026, 12, 3))
    assert [(r["dispute_id"], r["limit"]) for r in late] == [(dispute.pk, "assign")]
    # the mediator asked on Thursday 12-03 answers by Tuesday 12-08
    time_machine.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=SH), tick=False)
    assignment = services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=users["coordinator"])
    assert assignment.accept_due == date(2026, 12, 8)
    entry = JournalEntry.objects.filter(case=dispute.case, kind="mediation.assigned").get()
    assert entry.payload["late"] is True  # assigned after the 3-working-day limit: recorded as such
    assert [r["limit"] for r in selectors.overdue(court, today=date(2026, 12, 9))] == ["accept"]
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=SH), tick=False)
    services.assignment_accept(assignment=assignment, actor=users["mediator"])
    dispute.refresh_from_db()
    assert dispute.mediation_due == date(2027, 1, 4)  # 30 days → Sunday 01-03 → Monday (provisional calendar)
    assert [r["limit"] for r in selectors.overdue(court, today=date(2027, 1, 5))] == ["mediation"]
    # the same limits on the case's clocks (core/clocks), with the one still running last
    from yunting.core.clocks.selectors import deadlines_for

    clocks = {d.key: d for d in deadlines_for(dispute.case, today=date(2026, 12, 4))}
    assert clocks["mediation:assign"].due == date(2026, 12, 2) and clocks["mediation:assign"].status == "done"
    assert clocks["mediation:accept"].due == date(2026, 12, 8) and clocks["mediation:accept"].status == "done"
    assert clocks["mediation:period"].due == date(2027, 1, 4) and clocks["mediation:period"].status == "running"
    with pytest.raises(ApplicationError) as err:  # joint pick closes after 2 working days
        services.parties_pick(dispute=Dispute.objects.get(pk=dispute.pk), mediator=network["med_a"],
                              actor=users["plaintiff"])
    assert err.value.code in ("mediation_wrong_state", "mediation_pick_late")


def test_ranking_points_are_the_explained_scores(network, submit, users):
    """Triage ranks every candidate on points alone (nothing built per candidate) and explains the ones it returns:
    the two must agree for every mediator, whatever the dispute."""
    Mediator.objects.filter(pk=network["med_b"].pk).update(type_stats={"loan": [4, 3]}, closed_count=6,
                                                           success_count=4, open_count=2)
    Mediator.objects.filter(pk=network["med_a"].pk).update(closed_count=5, success_count=2, languages=["闽南话"])
    for over in ({}, {"locality": "西乡街道", "dispute_type": "finance"}, {"locality": "", "language": "闽南话"},
                 {"dispute_type": "neighbour", "cause": "房屋租赁合同纠纷"}):
        dispute = submit(link_defendant=False, **over)
        candidates = selectors.triage_candidates(dispute.court_id)
        assert len(candidates) >= 4
        for c in candidates:
            explained = selectors._score(c, dispute, c.org_localities, c.org_specialisms)
            assert selectors._points(c, dispute.dispute_type, dispute.cause.name, dispute.locality,
                                     dispute.language) == explained.score, explained.reasons
