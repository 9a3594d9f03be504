import pytest


@pytest.fixture
def svc_case(make_case, add_document, users):
    """A 民初 case: plaintiff 张伟 (account, lawyer), defendant 李娜 with ID number, phone and address; a complaint
    filed into the e-file. Returns (case, plaintiff party, defendant party, complaint document)."""
    from yunting.core.cases.models import Participation

    case = make_case(procedure="ordinary")
    plaintiff = case.parties.get(role="plaintiff")
    defendant = case.parties.get(role="defendant")
    defendant.id_number = "11010519491231002X"
    defendant.phone = "13987654321"
    defendant.address = "天津市河西区友谊路 1 号"
    defendant.user = users["defendant"]
    defendant.save()
    Participation.objects.get_or_create(case=case, user=users["plaintiff"], role="party", party=plaintiff)
    Participation.objects.get_or_create(case=case, user=users["defendant"], role="party", party=defendant)
    Participation.objects.filter(case=case, user=users["lawyer"]).update(party=plaintiff)
    complaint = add_document(case)
    return case, plaintiff, defendant, complaint


@pytest.fixture
def kinds():
    from yunting.core.journal.models import JournalEntry

    def read(case, kind):
        return [e.payload for e in JournalEntry.objects.filter(case=case, kind=kind).order_by("seq")]

    return read


@pytest.fixture
def deliver():
    """Run the journal subscribers of every pending delivery now (what the background worker does)."""
    from yunting.core.journal.models import Delivery
    from yunting.core.journal.tasks import deliver_entry

    def run():
        for d in Delivery.objects.exclude(status="done").order_by("id"):
            deliver_entry.call(entry_id=d.entry_id, subscriber=d.subscriber)

    return run
