"""A double click (two officers, two threads, at the same moment) opens one case, on a real committed database."""

import threading

import pytest
from django.db import connections

from yunting.core.cases.models import Case
from yunting.kernel.common.errors import Conflict
from yunting.workflows.filing.models import Filing


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_open_exactly_one_case(users, submitted):
    from yunting.workflows.filing.acceptance import filing_accept

    filing = submitted()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def click(username):
        try:
            barrier.wait()
            filing_accept(filing=Filing.objects.get(pk=filing.pk), actor=users[username], notify=False)
            outcomes.append("accepted")
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(u,)) for u in
               ("filing_officer", "court_admin", "filing_officer", "court_admin")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["accepted", "conflict", "conflict", "conflict"]
    assert Case.objects.count() == 1
    assert Filing.objects.get(pk=filing.pk).case_id == Case.objects.get().pk
