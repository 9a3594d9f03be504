import pytest


@pytest.fixture
def space_case(cast):
    """A civil case the demo judge hears (assistant and clerk too), plaintiff with a lawyer, defendant on its own
    account."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    orgs, users = cast
    data = CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[
            PartyInput(role="plaintiff", kind="natural", name=users["plaintiff"].real_name,
                       id_number=users["plaintiff"].id_number, user=users["plaintiff"], phone=users["plaintiff"].phone),
            PartyInput(role="defendant", kind="natural", name=users["defendant"].real_name,
                       id_number=users["defendant"].id_number, user=users["defendant"], phone=users["defendant"].phone),
        ],
        participants=[(users["judge"], "judge"), (users["assistant"], "judge_assistant"), (users["clerk"], "clerk")],
        security_level="internal",
    )
    case = case_open(data=data, actor=users["filing_officer"])
    from yunting.core.cases.services import case_add_participant

    case_add_participant(case=case, user=users["lawyer"], role="lawyer", party=case.parties.get(role="plaintiff"))
    return case


@pytest.fixture
def space(space_case, users):
    from yunting.workflows.casespace.services import space_ensure

    return space_ensure(case=space_case, actor=users["judge"])


@pytest.fixture
def deliver():
    """deliver(entry) or deliver(case=…): run this app's journal subscribers on the entry (every entry of the case),
    as the background worker does after commit (a test's transaction never commits)."""
    from yunting.core.journal.models import JournalEntry
    from yunting.core.journal.registry import subscribers_for
    from yunting.core.journal.tasks import deliver_entry

    def run(entry=None, *, case=None):
        found = [entry] if entry is not None else list(JournalEntry.objects.filter(case=case).order_by("seq"))
        for e in found:
            for sub in subscribers_for(e.kind):
                if sub.startswith("yunting.workflows.casespace."):
                    deliver_entry.call(entry_id=e.pk, subscriber=sub)

    return run


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
