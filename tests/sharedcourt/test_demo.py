"""The shared-court demo: ≥ 5 points across the demo court's streets, the travel table, `pointstaff` at 西乡 who sees
the approved attendance for the demo hearing, one assisted filing; run again, it adds nothing."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_points_staff_attendance_and_filing_once(cast, client):
    from yunting.core.journal.models import JournalEntry
    from yunting.core.people.models import User
    from yunting.core.rooms.demo import rooms_demo
    from yunting.workflows.filing.models import Filing
    from yunting.workflows.sharedcourt.demo import SHAREDCOURT_LOGINS, sharedcourt_demo
    from yunting.workflows.sharedcourt.models import AssistedFiling, Attendance, ServicePoint, TravelEstimate
    from yunting.workflows.sharedcourt.selectors import workbench_for_staff

    orgs, users = cast
    rooms_demo(orgs=orgs, users=users, password="demo-pass-123")
    first = sharedcourt_demo(orgs=orgs, users=users, password="demo-pass-123")
    assert first == {"points": 7, "attendance": True, "filing": True}
    points = ServicePoint.objects.filter(court=orgs["court"])
    assert points.count() == 7 and len(set(points.values_list("township", flat=True))) == 7
    assert len(set(points.values_list("kind", flat=True))) == 5
    assert TravelEstimate.objects.filter(court=orgs["court"]).count() >= 7
    staff = User.objects.get(username="pointstaff")
    [a] = workbench_for_staff(staff)
    assert a.status == "approved" and a.party == users["defendant"] and a.point.name == "西乡街道共享法庭"
    assert [a.pk for a in workbench_for_staff(users["point_staff"])] == [a.pk]
    filing = Filing.objects.get(pk=AssistedFiling.objects.get().filing_id)
    assert filing.filer.username == "villager" and filing.status == "submitted"
    assert {u for u, _n, _r in SHAREDCOURT_LOGINS} == {"pointstaff", "villager"}

    counts = (ServicePoint.objects.count(), Attendance.objects.count(), AssistedFiling.objects.count(),
              Filing.objects.count(), JournalEntry.objects.count())
    again = sharedcourt_demo(orgs=orgs, users=users, password="demo-pass-123")
    assert again == {"points": 7, "attendance": False, "filing": False}
    assert (ServicePoint.objects.count(), Attendance.objects.count(), AssistedFiling.objects.count(),
            Filing.objects.count(), JournalEntry.objects.count()) == counts
    client.force_login(staff)
    assert "李娜" in client.get("/sharedcourt/workbench/").content.decode()
