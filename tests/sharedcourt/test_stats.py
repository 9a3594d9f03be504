"""Statistics from known data: sessions held (the staff joined for the party), mediations, filings assisted,
travel saved from the court's table, use per point per month, and the weekly digest (page, PDF, command)."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from yunting.kernel.common.timeutil import SHANGHAI

pytestmark = pytest.mark.django_db


def _at(y, m, d, h=10):
    return datetime(y, m, d, h, 0, tzinfo=SHANGHAI)


@pytest.fixture
def known(hearing, point, other_point, users, seat):
    """西乡: 2 hearings and 1 mediation held in the week of 2026-11-16, one held in October; 福永: 1 filing that
    week. One approved for the next week, one still waiting."""
    from yunting.workflows.sharedcourt.models import AssistedFiling, Attendance

    def held(p, kind, when, km="19.0", minutes=70, status="approved"):
        return Attendance.objects.create(
            point=p, case=hearing.case, room=hearing, participant=seat(users["defendant"]), party=users["defendant"],
            session_kind=kind, scheduled_at=when, status=status, requested_by=users["defendant"],
            joined_at=when if km else None, travel_km=Decimal(km) if km else None, travel_minutes=minutes if km else None)

    held(point, "hearing", _at(2026, 11, 16))
    held(point, "hearing", _at(2026, 11, 18))
    held(point, "mediation", _at(2026, 11, 22, 23))  # Sunday 23:00 in Shanghai: still that week
    held(point, "hearing", _at(2026, 10, 5))
    held(point, "hearing", _at(2026, 11, 24), km="", minutes=None)  # approved for next week, not held yet
    held(point, "hearing", _at(2026, 11, 25), km="", minutes=None, status="requested")
    f = AssistedFiling.objects.create(point=other_point, filing_id=991, party=users["plaintiff"],
                                      staff=users["point_staff"], travel_km=Decimal("40.0"), travel_minutes=110)
    AssistedFiling.objects.filter(pk=f.pk).update(created_at=_at(2026, 11, 17))
    return point, other_point


def test_point_stats_and_court_totals(known, court):
    from yunting.workflows.sharedcourt.stats import point_stats

    s = point_stats(court=court, start=date(2026, 11, 16), end=date(2026, 11, 23))
    rows = {r.point.name: r for r in s.rows}
    x, f = rows["西乡街道共享法庭"], rows["福永街道共享法庭"]
    assert (x.sessions, x.mediations, x.filings, x.travel_km, x.travel_minutes) == (3, 1, 0, Decimal("57.0"), 210)
    assert (f.sessions, f.filings, f.travel_km, f.travel_minutes) == (0, 1, Decimal("40.0"), 110)
    assert (s.sessions, s.mediations, s.filings, s.travel_km, s.travel_minutes) == (3, 1, 1, Decimal("97.0"), 320)
    assert s.travel_hours == Decimal("5.3")
    everything = point_stats(court=court)
    assert everything.sessions == 4 and everything.filings == 1


def test_use_per_point_per_month(known, court):
    from yunting.workflows.sharedcourt.stats import monthly_use

    m = monthly_use(court=court, months=3, today=date(2026, 11, 30))
    assert m["months"] == ["2026-09", "2026-10", "2026-11"]
    rows = {r["point"].name: r["counts"] for r in m["rows"]}
    assert rows == {"西乡街道共享法庭": [0, 1, 3], "福永街道共享法庭": [0, 0, 1]}


def test_weekly_digest_text_pdf_and_command(known, court, tmp_path):
    from yunting.workflows.sharedcourt.stats import digest_pdf, digest_text, weekly_digest

    d = weekly_digest(court=court, week_start=date(2026, 11, 16))
    text = digest_text(d)
    assert "2026-11-16" in text and "2026-11-22" in text
    assert (d.stats.sessions, d.stats.mediations, d.stats.filings, d.pending, len(d.upcoming)) == (3, 1, 1, 1, 1)
    assert "97.0" in text and "西乡街道共享法庭（西乡街道）：3 / 1 / 0 / 57.0" in text
    assert digest_pdf(d).startswith(b"%PDF")

    out, err = io.StringIO(), io.StringIO()
    pdf, html = tmp_path / "d.pdf", tmp_path / "d.html"
    call_command("sharedcourt", "digest", "--court", "粤0306", "--week", "2026-11-16", "--pdf", str(pdf),
                 "--html", str(html), stdout=out, stderr=err)
    assert out.getvalue().strip() == text
    assert pdf.read_bytes().startswith(b"%PDF") and "西乡街道共享法庭" in html.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("sharedcourt", "digest", "--week", "2026-11-17", stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.code == 2


def test_stats_come_from_the_real_flow(approved, users, court):
    """One session joined through the services counts once, with the table's travel."""
    from tests.sharedcourt.conftest import jpeg
    from yunting.workflows.sharedcourt.services import attendance_check_identity, attendance_join
    from yunting.workflows.sharedcourt.stats import point_stats

    attendance_check_identity(actor=users["point_staff"], attendance=approved,
                              id_number=users["defendant"].id_number, photo=io.BytesIO(jpeg()))
    attendance_join(actor=users["point_staff"], attendance=approved)
    s = point_stats(court=court)
    # held counts when the staff joined (today), though the session was scheduled for tomorrow
    assert (s.sessions, s.travel_km, s.travel_minutes) == (1, Decimal("19.0"), 70)
