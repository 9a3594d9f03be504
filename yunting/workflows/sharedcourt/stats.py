"""Statistics of the shared courts, per point and court-wide, and the court's weekly digest.

A session is *held* when the point's staff joined the room for the party (`joined_at`); travel saved is the
court's township-to-court table (there and back), taken when the session was held or the filing made. Periods
are days in Asia/Shanghai, from `start` (included) to `end` (excluded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from .choices import AttendanceStatus, SessionKind
from .models import AssistedFiling, Attendance, ServicePoint


@dataclass
class PointRow:
    point: ServicePoint
    sessions: int = 0
    mediations: int = 0
    testimonies: int = 0
    filings: int = 0
    travel_km: Decimal = Decimal("0.0")
    travel_minutes: int = 0

    @property
    def travel_hours(self) -> Decimal:
        return (Decimal(self.travel_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def uses(self) -> int:
        return self.sessions + self.filings


@dataclass
class Stats:
    rows: list[PointRow] = field(default_factory=list)
    start: date | None = None
    end: date | None = None

    def _sum(self, name):
        return sum((getattr(r, name) for r in self.rows), Decimal(0) if name == "travel_km" else 0)

    @property
    def sessions(self) -> int:
        return self._sum("sessions")

    @property
    def mediations(self) -> int:
        return self._sum("mediations")

    @property
    def testimonies(self) -> int:
        return self._sum("testimonies")

    @property
    def filings(self) -> int:
        return self._sum("filings")

    @property
    def travel_km(self) -> Decimal:
        return self._sum("travel_km")

    @property
    def travel_minutes(self) -> int:
        return self._sum("travel_minutes")

    @property
    def travel_hours(self) -> Decimal:
        return (Decimal(self.travel_minutes) / 60).quantize(Decimal("0.1"))


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    return (datetime.combine(start, time.min, tzinfo=SHANGHAI) if start else None,
            datetime.combine(end, time.min, tzinfo=SHANGHAI) if end else None)


def point_stats(*, court, start: date | None = None, end: date | None = None, points=None) -> Stats:
    """Per point (all of the court's points, or `points`): sessions held, mediations, testimonies, filings
    assisted, travel saved."""
    lo, hi = _bounds(start, end)
    pts = list(points) if points is not None else list(
        ServicePoint.objects.filter(court=court).select_related("organisation").order_by("township", "id"))
    rows = {p.pk: PointRow(point=p) for p in pts}
    held = Q(joined_at__isnull=False)
    if lo:
        held &= Q(joined_at__gte=lo)
    if hi:
        held &= Q(joined_at__lt=hi)
    for r in (Attendance.objects.filter(held, point_id__in=rows).values("point_id").annotate(
            n=Count("id"), med=Count("id", filter=Q(session_kind=SessionKind.MEDIATION)),
            wit=Count("id", filter=Q(session_kind=SessionKind.WITNESS)),
            km=Sum("travel_km"), mins=Sum("travel_minutes"))):
        row = rows[r["point_id"]]
        row.sessions, row.mediations, row.testimonies = r["n"], r["med"], r["wit"]
        row.travel_km += r["km"] or 0
        row.travel_minutes += r["mins"] or 0
    filed = Q()
    if lo:
        filed &= Q(created_at__gte=lo)
    if hi:
        filed &= Q(created_at__lt=hi)
    for r in (AssistedFiling.objects.filter(filed, point_id__in=rows).values("point_id").annotate(
            n=Count("id"), km=Sum("travel_km"), mins=Sum("travel_minutes"))):
        row = rows[r["point_id"]]
        row.filings = r["n"]
        row.travel_km += r["km"] or 0
        row.travel_minutes += r["mins"] or 0
    return Stats(rows=list(rows.values()), start=start, end=end)


def monthly_use(*, court, months: int = 6, today: date | None = None) -> dict:
    """Use per point per month (sessions held + filings assisted), the last `months` months, oldest first."""
    today = today or shanghai_today()
    first = today.replace(day=1)
    keys = []
    y, m = first.year, first.month
    for _i in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    keys.reverse()
    start = date(int(keys[0][:4]), int(keys[0][5:]), 1)
    lo, _hi = _bounds(start, None)
    pts = list(ServicePoint.objects.filter(court=court).select_related("organisation").order_by("township", "id"))
    counts: dict[tuple[int, str], int] = {}
    for model, column in ((Attendance, "joined_at"), (AssistedFiling, "created_at")):
        qs = (model.objects.filter(point__court=court, **{f"{column}__gte": lo})
              .annotate(month=TruncMonth(column, tzinfo=SHANGHAI)).values("point_id", "month").annotate(n=Count("id")))
        for r in qs:
            key = (r["point_id"], r["month"].strftime("%Y-%m"))
            counts[key] = counts.get(key, 0) + r["n"]
    rows = [{"point": p, "counts": [counts.get((p.pk, k), 0) for k in keys]} for p in pts]
    return {"months": keys, "rows": rows}


@dataclass
class Digest:
    court: object
    week_start: date
    week_end: date  # excluded
    stats: Stats
    pending: int
    upcoming: list
    refused: int


def weekly_digest(*, court, week_start: date | None = None) -> Digest:
    """The court's week (Monday to Sunday, Asia/Shanghai): what the points did, what waits for a decision, and the
    sessions approved for the next week."""
    if week_start is None:
        today = shanghai_today()
        week_start = today - timedelta(days=today.weekday() + 7)  # the last full week
    week_end = week_start + timedelta(days=7)
    stats = point_stats(court=court, start=week_start, end=week_end)
    lo, hi = _bounds(week_end, week_end + timedelta(days=7))
    upcoming = list(Attendance.objects.filter(point__court=court, status=AttendanceStatus.APPROVED,
                                              scheduled_at__gte=lo, scheduled_at__lt=hi)
                    .select_related("point", "point__organisation", "case").order_by("scheduled_at", "id"))
    wlo, whi = _bounds(week_start, week_end)
    refused = Attendance.objects.filter(point__court=court, status=AttendanceStatus.REFUSED, decided_at__gte=wlo,
                                        decided_at__lt=whi).count()
    pending = Attendance.objects.filter(point__court=court, status=AttendanceStatus.REQUESTED).count()
    return Digest(court=court, week_start=week_start, week_end=week_end, stats=stats, pending=pending,
                  upcoming=upcoming, refused=refused)


def digest_text(d: Digest) -> str:
    """The digest as plain text: printed by `yunting sharedcourt digest`, and the body of its PDF."""
    last = d.week_end - timedelta(days=1)
    s = d.stats
    lines = [
        _("Shared courts · weekly digest · %(court)s") % {"court": d.court.name},
        _("Week %(start)s to %(end)s") % {"start": d.week_start.isoformat(), "end": last.isoformat()},
        "",
        _("Sessions held: %(n)d (mediations %(m)d, testimonies %(w)d)") % {"n": s.sessions, "m": s.mediations,
                                                                          "w": s.testimonies},
        _("Filings assisted: %(n)d") % {"n": s.filings},
        _("Travel saved for parties: %(km)s km, %(h)s hours") % {"km": s.travel_km, "h": s.travel_hours},
        _("Applications waiting for a decision: %(n)d; refused this week: %(r)d") % {"n": d.pending, "r": d.refused},
        "",
        _("Per point (sessions / mediations / filings / km saved):"),
    ]
    for r in s.rows:
        if r.uses:
            lines.append(f"  {r.point.name}（{r.point.township}）：{r.sessions} / {r.mediations} / {r.filings} / "
                         f"{r.travel_km}")
    if not any(r.uses for r in s.rows):
        lines.append("  " + _("No point was used this week."))
    lines += ["", _("Approved for next week: %(n)d") % {"n": len(d.upcoming)}]
    for a in d.upcoming:
        lines.append(f"  {a.scheduled_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} {a.point.name} {a.case.number} "
                     f"{a.get_session_kind_display()}")
    return "\n".join(lines)


def digest_pdf(d: Digest) -> bytes:
    """The digest as a PDF the court can keep (fonts embedded by kernel/pdf)."""
    from yunting.kernel.pdf.make import simple_pdf

    text = digest_text(d)
    title, body = text.split("\n", 1)
    wrapped = sum(max(1, -(-len(line) // 34)) for line in body.split("\n"))
    return simple_pdf(title=title, subtitle=d.week_start.isoformat(), body=body.strip("\n"),
                      pages=max(1, -(-wrapped // 30)))
