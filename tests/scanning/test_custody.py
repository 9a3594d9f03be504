"""Paper originals in the intermediate store (人卷分离): registered, moved, lent and returned with a log and a
journal entry each; the archivist's check lists what is not accounted for."""

from __future__ import annotations

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import ValidationFailed
from yunting.workflows.scanning.models import Original
from yunting.workflows.scanning.selectors import originals_unaccounted
from yunting.workflows.scanning.services import original_move, original_register

pytestmark = pytest.mark.django_db


def test_lend_and_return_are_logged_and_checked_before_archiving(make_case, users, clerk_access):
    case = make_case()
    access = clerk_access(case)
    original = original_register(access=access, actor=users["clerk"], description="借条原件 1 张", location="A-03-2")
    assert originals_unaccounted(case) == []
    original_move(access=access, actor=users["clerk"], original=original, action="lend", holder=users["judge"],
                  reason="合议庭核对原件")
    (missing,) = originals_unaccounted(case)
    assert (missing.barcode, "王立明" in missing.reason) == (original.barcode, True)
    original_move(access=access, actor=users["clerk"], original=original, action="return", location="A-04-1")
    assert originals_unaccounted(case) == []
    original.refresh_from_db()
    assert (original.status, original.location, original.holder) == ("in_store", "A-04-1", None)
    assert [m.action for m in original.movements.all()] == ["register", "lend", "return"]
    assert [m.to_location for m in original.movements.all()] == ["A-03-2", "A-03-2", "A-04-1"]
    kinds = list(JournalEntry.objects.filter(case=case, kind__startswith="scanning.").values_list("kind", flat=True))
    assert kinds == ["scanning.original_registered", "scanning.original_moved", "scanning.original_moved"]


def test_refused_moves_change_nothing(make_case, users, clerk_access):
    case = make_case()
    access = clerk_access(case)
    original = original_register(access=access, actor=users["clerk"], description="合同原件", location="B-1")
    entries = JournalEntry.objects.filter(case=case).count()
    for kwargs in ({"action": "return", "location": "B-2"},  # not lent
                   {"action": "lend"},  # nobody named
                   {"action": "release"},  # no reason
                   {"action": "move"},  # no shelf
                   {"action": "burn"}):
        with pytest.raises(ValidationFailed):
            original_move(access=access, actor=users["clerk"], original=original, **kwargs)
    original.refresh_from_db()
    assert (original.status, original.location, original.movements.count()) == ("in_store", "B-1", 1)
    assert JournalEntry.objects.filter(case=case).count() == entries


def test_an_original_with_no_shelf_and_paper_never_registered_are_unaccounted(make_case, users, clerk_access):
    case = make_case()
    original = original_register(access=clerk_access(case), actor=users["clerk"], description="收条", location="C")
    Original.objects.filter(pk=original.pk).update(location="")
    assert [u.barcode for u in originals_unaccounted(case)] == [original.barcode]


def test_parties_cannot_touch_custody(make_case, users):
    from yunting.core.cases.access import Capability, access_case_for
    from yunting.core.cases.errors import CaseNotFound

    case = make_case()
    with pytest.raises(CaseNotFound):
        access_case_for(users["lawyer"], case.pk, need=Capability.WRITE_JOURNAL)
