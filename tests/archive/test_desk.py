"""The archivist's side: the three-month limit with a warning before it, the one-click archive button with
retention and security level, and the package download."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from yunting.core.journal.models import JournalEntry
from yunting.workflows.archive.selectors import archive_due_list, archive_due_on

pytestmark = pytest.mark.django_db


def test_the_limit_is_three_months_after_closure(closed_case):
    assert archive_due_on(closed_case) == date(2027, 2, 20)


@pytest.mark.parametrize(("today", "state"), [(date(2026, 12, 1), "ok"), (date(2027, 2, 10), "near"),
                                              (date(2027, 2, 21), "overdue")])
def test_the_desk_warns_before_the_limit(client, closed_case, users, today, state):
    rows = archive_due_list(court_ids=[closed_case.court_id], today=today)
    assert [(r.case.pk, r.state) for r in rows] == [(closed_case.pk, state)]
    with time_machine.travel(f"{today.isoformat()} 10:00 +0800", tick=False):
        client.force_login(users["archivist"])
        page = client.get("/archive/").content.decode()
    assert closed_case.number in page
    if state == "overdue":
        assert "alert-danger" in page
    elif state == "near":
        assert "alert-warning" in page and "10" in page
    else:
        assert "alert-warning" not in page and "alert-danger" not in page


def test_only_archivists_have_a_desk(client, closed_case, users):
    client.force_login(users["judge"])
    assert client.get("/archive/").status_code == 403


def test_the_archivist_archives_with_one_click(client, closed_case, users):
    client.force_login(users["judge"])  # a judge may not archive
    res = client.post(f"/archive/cases/{closed_case.pk}/archive/", {"retention": "permanent",
                                                                   "security_level": "internal"})
    assert res.status_code == 403
    client.force_login(users["archivist"])
    res = client.post(f"/archive/cases/{closed_case.pk}/archive/", {"retention": "eternal",
                                                                   "security_level": "internal"}, follow=True)
    assert "alert-danger" in res.content.decode()
    assert not JournalEntry.objects.filter(case=closed_case, kind="archive.archived").exists()
    res = client.post(f"/archive/cases/{closed_case.pk}/archive/", {"retention": "permanent",
                                                                   "security_level": "confidential"}, follow=True)
    page = res.content.decode()
    assert "-Y-Z" in page and "-Y-F" in page  # both volumes, permanent
    entry = JournalEntry.objects.get(case=closed_case, kind="archive.archived")
    assert entry.actor_id == users["archivist"].pk and entry.payload["security_level"] == "confidential"
    assert archive_due_list(court_ids=[closed_case.court_id], today=date(2027, 3, 1)) == []
    zipped = client.get(f"/archive/cases/{closed_case.pk}/volumes/main.zip")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    client.force_login(users["lawyer"])  # parties never download the court's packages
    assert client.get(f"/archive/cases/{closed_case.pk}/volumes/secondary.zip").status_code == 404
