import pytest


@pytest.fixture
def fee_case(make_case, users):
    """A 民初 case (judge, clerk, plaintiff's lawyer, plaintiff 张伟) with a 2,300-yuan acceptance-fee notice issued
    on 2026-11-20 (due 2026-11-27), as the 受理通知书 creates it."""
    from yunting.core.cases.models import Participation
    from yunting.core.fees.services import fee_notice_issue

    case = make_case(claim_amount="100000.00", procedure="ordinary")
    party = case.parties.get(role="plaintiff")
    Participation.objects.get_or_create(case=case, user=users["plaintiff"], role="party", party=party)
    notice = fee_notice_issue(case=case, amount="2300.00", issued_on=__import__("datetime").date(2026, 11, 20),
                              calc_kind="property")
    return case, notice


@pytest.fixture
def entries_of():
    from yunting.core.journal.models import JournalEntry

    def read(case, kind):
        return list(JournalEntry.objects.filter(case=case, kind=kind).order_by("seq"))

    return read


@pytest.fixture
def append(django_capture_on_commit_callbacks):
    """journal_append, then the after-commit subscribers run as they would once the transaction commits."""
    from yunting.core.journal.services import journal_append

    def add(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return journal_append(**kwargs)

    return add
