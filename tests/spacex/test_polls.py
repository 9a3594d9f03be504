"""Hearing-time negotiation in the case space: the judge posts the scheduler's candidate times, members vote on
their phones, the judge fixes one and the summons follows (all through workflows/hearings)."""

import pytest
import time_machine

from yunting.core.journal.models import JournalEntry
from yunting.workflows.hearings.models import Hearing

pytestmark = pytest.mark.django_db
MONDAY = "2026-04-27 10:00 +08:00"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rooms(court, users):
    from yunting.workflows.hearings.services import courtroom_save

    admin = users["court_admin"]
    return [courtroom_save(actor=admin, court=court, name="第一法庭", kind="physical"),
            courtroom_save(actor=admin, court=court, name="在线法庭1", kind="online")]


def test_poll_card_votes_then_the_fixed_time_and_the_summons(login, scase, rooms, users, outsider,
                                                             django_capture_on_commit_callbacks):
    from yunting.workflows.spacepolls.services import on_hearing_confirmed

    judge = login("judge")
    # a party cannot open a poll
    login("plaintiff").post(f"/space-extras/cases/{scase.pk}/polls/", {"vote_hours": "24"})
    assert not Hearing.objects.filter(case=scase).exists()
    r = judge.post(f"/space-extras/cases/{scase.pk}/polls/", {"vote_hours": "24"})
    hearing = Hearing.objects.get(case=scase)
    assert r.status_code == 302 and r.url == f"/space-extras/cases/{scase.pk}/polls/{hearing.pk}/"
    assert hearing.state == "voting"
    card = JournalEntry.objects.get(case=scase, kind="casespace.card_wanted")
    assert card.payload["card"] == "poll" and card.payload["user_ids"] is None and card.payload["url"] == r.url
    options = list(hearing.options.filter(withdrawn=False).order_by("number"))
    assert len(options) >= 2
    first, second = options[0], options[1]
    page = login("defendant").get(r.url)
    assert page.status_code == 200 and "vote-form" in page.content.decode()
    login("plaintiff").post(r.url, {"op": "vote", f"option_{first.pk}": "0", f"option_{second.pk}": "1"})
    login("defendant").post(r.url, {"op": "vote", f"option_{first.pk}": "1", f"option_{second.pk}": "1"})
    assert JournalEntry.objects.filter(case=scase, kind="hearing.voted").count() == 2
    # both consent to attend online on the same page (OLR art 4: per stage)
    login("plaintiff").post(r.url, {"op": "consent", "action": "consent", "party": scase.plaintiff.pk})
    login("defendant").post(r.url, {"op": "consent", "action": "consent", "party": scase.defendant.pk})
    assert JournalEntry.objects.filter(case=scase, kind="hearing.consent").count() == 2
    tally = judge.get(r.url).content.decode()
    assert "✔ 2 · ✘ 0" in tally and "✔ 1 · ✘ 1" in tally
    # strangers see nothing of it
    stranger = login("judge")
    stranger.force_login(outsider)
    assert stranger.get(r.url).status_code == 404
    # a party cannot fix the time
    login("plaintiff").post(r.url, {"op": "confirm", "option": second.pk})
    hearing.refresh_from_db()
    assert hearing.state == "voting"
    with django_capture_on_commit_callbacks(execute=True):
        judge.post(r.url, {"op": "confirm", "option": second.pk})
    hearing.refresh_from_db()
    assert (hearing.state, hearing.date, hearing.slot) == ("confirmed", second.date, second.slot)
    assert hearing.summons_paper_ids and JournalEntry.objects.filter(case=scase, kind="hearing.summons_ready").exists()
    confirmed = JournalEntry.objects.get(case=scase, kind="hearing.confirmed")
    on_hearing_confirmed(confirmed)  # a retried delivery posts no second card
    notices = JournalEntry.objects.filter(case=scase, kind="casespace.card_wanted", payload__card="notice")
    assert notices.count() == 1 and second.date.isoformat() in notices.get().payload["title"]
    assert "poll-confirmed" in login("defendant").get(r.url).content.decode()
