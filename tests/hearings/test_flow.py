"""Request → propose → vote → confirm → summons sealed and served → reschedule, as the people involved see it."""

from datetime import date

import pytest
import time_machine

from yunting.core.journal.models import JournalEntry
from yunting.core.threads.models import Notice
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.workflows.hearings import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(act, hcase, rooms, consent_all):
    hearing = act(hcase, "judge", "hearing_request")
    consent_all(hcase, hearing)
    act(hcase, "judge", "hearing_propose", hearing=hearing)
    hearing.refresh_from_db()
    return hearing


def _options(hearing):
    return list(hearing.options.filter(withdrawn=False).order_by("number"))


def test_parties_vote_and_the_judge_confirms_the_favoured_time(act, hcase, voting, users):
    first, second, third = _options(voting)
    act(hcase, "plaintiff", "hearing_vote", hearing=voting, answers={first.pk: False, second.pk: True, third.pk: True})
    act(hcase, "defendant", "hearing_vote", hearing=voting, answers={str(second.pk): True, str(third.pk): False})
    tally = {t["option"].pk: (t["yes"], t["no"]) for t in services.vote_tally(voting)}
    assert tally[second.pk] == (2, 0) and tally[first.pk] == (0, 1)
    # the plaintiff cannot attend the first: confirming it needs a reason
    with pytest.raises(ValidationFailed):
        act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=first.pk)
    hearing = act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=second.pk)
    assert (hearing.state, hearing.date, hearing.form) == ("confirmed", second.date, "online")
    assert hearing.courtroom.kind == "online" and hearing.room_id
    assert JournalEntry.objects.filter(case=hcase, kind="hearing.confirmed").count() == 1
    assert Notice.objects.filter(user=users["defendant"], key__startswith="hearing:confirmed").exists()


def test_a_vote_after_the_deadline_or_by_court_staff_is_refused(act, hcase, voting, _clock):
    option = _options(voting)[0]
    with pytest.raises(PermissionDenied):
        act(hcase, "judge", "hearing_vote", hearing=voting, answers={option.pk: True})
    _clock.shift(25 * 3600)
    with pytest.raises(Conflict):
        act(hcase, "plaintiff", "hearing_vote", hearing=voting, answers={option.pk: True})
    assert not option.votes.exists()


def test_reminder_reaches_only_those_who_have_not_voted(act, hcase, voting, users, _clock):
    option = _options(voting)[0]
    act(hcase, "plaintiff", "hearing_vote", hearing=voting, answers={option.pk: True})
    _clock.shift(20 * 3600)
    assert services.hearing_remind_votes() == 1
    assert Notice.objects.filter(user=users["defendant"], key__startswith="hearing:remind").exists()
    assert not Notice.objects.filter(user=users["plaintiff"], key__startswith="hearing:remind").exists()
    assert services.hearing_remind_votes() == 0  # once


def test_summons_issued_sealed_by_the_seal_holder_then_served(act, hcase, voting, users):
    from yunting.core.papers.models import Paper
    from yunting.core.papers.services import paper_seal

    hearing = act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=_options(voting)[0].pk)
    papers = list(Paper.objects.filter(pk__in=hearing.summons_paper_ids).order_by("id"))
    assert [p.variables["recipient"] for p in papers] == [hcase.plaintiff.name, hcase.defendant.name]
    assert all(p.template_code == "summons" and p.status == "issued" for p in papers)  # the judge holds no seal
    assert JournalEntry.objects.filter(case=hcase, kind="hearing.summons_ready").exists()
    assert not JournalEntry.objects.filter(case=hcase, kind="service.wanted").exists()
    for paper in papers:
        paper_seal(paper=paper, actor=users["court_admin"])
    for entry in JournalEntry.objects.filter(case=hcase, kind="papers.sealed"):
        services.on_paper_sealed(entry)
        services.on_paper_sealed(entry)  # a retried delivery serves nothing twice
    wanted = list(JournalEntry.objects.filter(case=hcase, kind="service.wanted").order_by("seq"))
    assert len(wanted) == 2
    assert {w.payload["recipients"][0] for w in wanted} == {hcase.plaintiff.pk, hcase.defendant.pk}
    assert all(w.payload["purpose"] == "hearings.summons" and w.payload["documents"] for w in wanted)
    assert wanted[0].payload["due_on"] == str(date.fromordinal(hearing.date.toordinal() - 3))


def test_a_judge_who_holds_the_seal_serves_at_once(act, hcase, voting, users):
    from yunting.core.people.choices import Role
    from yunting.core.people.models import Membership

    Membership.objects.create(user=users["judge"], organisation=hcase.court, role=Role.COURT_ADMIN)
    act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=_options(voting)[0].pk)
    assert JournalEntry.objects.filter(case=hcase, kind="papers.sealed").count() == 2
    assert JournalEntry.objects.filter(case=hcase, kind="service.wanted").count() == 2


def test_late_service_warns_the_judge(act, hcase, voting, users):
    from yunting.core.journal.services import journal_append

    hearing = act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=_options(voting)[0].pk)
    late = date.fromordinal(hearing.date.toordinal() - 1)
    entry = journal_append(case=hcase, kind="service.completed", payload={
        "document_kind": "summons", "served_on": late.isoformat(), "party_id": hcase.defendant.pk})
    services.on_service_completed(entry)
    hearing.refresh_from_db()
    assert hearing.notice_short and hearing.served_on == late
    assert Notice.objects.filter(user=users["judge"], key__startswith="hearing:short").exists()
    assert JournalEntry.objects.filter(case=hcase, kind="hearing.notice_short").count() == 1


def test_reschedule_keeps_history_and_tells_everyone_again(act, hcase, voting, users):
    hearing = act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=_options(voting)[0].pk)
    old_papers, old_date = list(hearing.summons_paper_ids), hearing.date
    with pytest.raises(ValidationFailed):
        act(hcase, "judge", "hearing_reschedule", hearing=hearing, day="2026-05-12", slot="14:00", reason="")
    hearing = act(hcase, "judge", "hearing_reschedule", hearing=hearing, day="2026-05-12", slot="14:00",
                  reason="被告申请延期")
    assert (hearing.date, hearing.slot) == (date(2026, 5, 12), "14:00")
    kinds = list(hearing.changes.values_list("kind", flat=True))
    assert kinds == ["confirmed", "rescheduled"]
    moved = hearing.changes.get(kind="rescheduled")
    assert moved.before["date"] == old_date.isoformat() and moved.reason == "被告申请延期"
    entry = JournalEntry.objects.get(case=hcase, kind="hearing.rescheduled")
    assert entry.payload["reason"] == "被告申请延期"
    assert set(hearing.summons_paper_ids).isdisjoint(old_papers)
    for who in ("plaintiff", "defendant", "lawyer", "judge"):
        assert Notice.objects.filter(user=users[who], key__startswith="hearing:moved").exists(), who


def test_only_the_judge_confirms(act, hcase, voting):
    for who in ("clerk", "lawyer", "plaintiff"):
        with pytest.raises(PermissionDenied):
            act(hcase, who, "hearing_confirm", hearing=voting, option_id=_options(voting)[0].pk)
    voting.refresh_from_db()
    assert voting.state == "voting"


def test_stage_changes_are_journal_entries_and_ending_marks_it_held(act, hcase, voting, users):
    from yunting.workflows.hearings.selectors import hearing_stage

    hearing = act(hcase, "judge", "hearing_confirm", hearing=voting, option_id=_options(voting)[0].pk)
    with time_machine.travel("2026-05-06 09:00 +08:00", tick=False):
        with pytest.raises(PermissionDenied):
            services.hearing_stage_set(hearing, "opening", users["clerk"])
        services.hearing_stage_set(hearing, "opening", users["judge"])
        moved = services.hearing_stage_set(hearing, "identity", users["judge"])
        assert hearing_stage(moved)["stage"] == "identity"
        with pytest.raises(ValidationFailed):
            services.hearing_stage_set(hearing, "lunch", users["judge"])
        services.hearing_stage_set(hearing, "ended", users["judge"])
    stages = [e.payload["stage"] for e in JournalEntry.objects.filter(case=hcase, kind="hearing.stage_set").order_by("seq")]
    assert stages == ["opening", "identity", "ended"]
    hearing.refresh_from_db()
    assert hearing.state == "held"
