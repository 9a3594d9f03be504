"""`yunting demo` shows every fee state: reconciled from a bank statement, paid online, partly paid, due, overdue
on the judge's list, relief waiting; run twice it adds nothing."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from yunting.core.fees.models import BankImport, FeeNotice, Payment, ReliefApplication
from yunting.core.fees.selectors import fee_states, overdue_notices_for

pytestmark = pytest.mark.django_db


def test_the_demo_puts_fees_in_every_state_once(users):
    call_command("demo", "--password", "demo-pass-123", stdout=(out := io.StringIO()))
    assert "fees: " in out.getvalue()
    notices = FeeNotice.objects.count()
    assert notices >= 10
    states = Counter(fee_states(FeeNotice.objects.values_list("case_id", flat=True)).values())
    assert {"paid", "part_paid", "unpaid", "overdue", "relief_pending"} <= set(states)
    statement = BankImport.objects.get()
    assert statement.matched_count >= 3 and Counter(r["outcome"] for r in statement.report)["unmatched"] == 1
    assert Payment.objects.filter(channel="online").exists()
    assert ReliefApplication.objects.filter(status="pending").exists()
    assert list(overdue_notices_for(users["judge"]))  # the demo judge has cases to treat as withdrawn
    call_command("demo", "--password", "demo-pass-123", stdout=io.StringIO())
    assert (FeeNotice.objects.count(), BankImport.objects.count()) == (notices, 1)
