"""The demo lawyer acts for the demo plaintiff in the demo's hearing cases, recorded as a filing on the plaintiff's
behalf would record it (a journaled lawyer participation tied to the party): so the lawyer's login shows what a
plaintiff's agent sees — a seat in the hearing room, the witnesses panel, the transcript."""

import pytest

from yunting.core.cases.models import Participation
from yunting.core.journal.models import JournalEntry

pytestmark = pytest.mark.django_db


def _load(orgs, users):
    from yunting.core.rooms.demo import rooms_demo
    from yunting.workflows.hearings.demo import hearings_demo
    from yunting.workflows.transcripts.demo import transcripts_demo
    from yunting.workflows.witnesses.demo import witnesses_demo

    rooms_demo(orgs=orgs, users=users, password="demo-pass-123")
    out = hearings_demo(orgs=orgs, users=users)
    transcripts_demo(orgs=orgs, users=users)
    witnesses_demo(orgs=orgs, users=users)
    return out


def test_the_demo_lawyer_is_the_plaintiffs_agent_and_sees_the_witness_and_transcript_links(cast, client):
    from yunting.workflows.hearings.models import Hearing

    orgs, users = cast
    out = _load(orgs, users)
    hearing = Hearing.objects.get(pk=out["confirmed"])
    case = hearing.case
    agent = Participation.objects.get(case=case, user=users["lawyer"], role="lawyer")
    assert agent.party.user == users["plaintiff"]
    added = JournalEntry.objects.filter(case=case, kind="case.participant_added",
                                        payload__user_id=users["lawyer"].pk)
    assert [e.payload["party_id"] for e in added] == [agent.party_id]
    client.force_login(users["lawyer"])
    page = client.get(f"/hearings/cases/{case.pk}/").content.decode()
    assert 'data-testid="hearing-witnesses-link"' in page
    assert 'data-testid="transcript-link"' in page
    assert client.get(f"/witnesses/cases/{case.pk}/").status_code == 200
    # run again: nothing more recorded
    _load(orgs, users)
    assert added.count() == 1


def test_a_lawyer_recorded_without_a_party_is_tied_to_it_once(make_case, users):
    """A lawyer registered as a participant before their client was known (make_case does that): naming the party
    now ties the same participation to it, journaled once; another case's party is refused."""
    from yunting.core.cases.services import case_add_participant
    from yunting.kernel.common.errors import ValidationFailed

    case, other = make_case(), make_case(defendant_name="王五")
    lawyer = Participation.objects.get(case=case, user=users["lawyer"], role="lawyer")
    assert lawyer.party is None
    with pytest.raises(ValidationFailed):
        case_add_participant(case=case, user=users["lawyer"], role="lawyer", party=other.parties.get(role="plaintiff"))
    plaintiff = case.parties.get(role="plaintiff")
    entries = JournalEntry.objects.filter(case=case).count()
    for _ in range(2):
        case_add_participant(case=case, user=users["lawyer"], role="lawyer", party=plaintiff, actor=users["clerk"])
    lawyer.refresh_from_db()
    assert lawyer.party == plaintiff
    assert JournalEntry.objects.filter(case=case).count() == entries + 1
    assert Participation.objects.filter(case=case, user=users["lawyer"]).count() == 1
