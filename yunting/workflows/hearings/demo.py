"""Demo: the court's courtrooms (3 physical, 2 online), a confirmed online hearing on the rooms demo's case (in its
demo room) and a hearing in voting on another case of the demo judge with the demo plaintiff and defendant.
Reuses existing cases; idempotent."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

from yunting.core.cases.access import access_case_for
from yunting.core.cases.models import Case
from yunting.core.rooms.demo import plaintiff_agent_ensure
from yunting.kernel.common.errors import ApplicationError

from . import services
from .models import Courtroom, Hearing

COURTROOMS = [("第一法庭", "physical", 60, "审判楼三楼"), ("第二法庭", "physical", 40, "审判楼三楼"),
              ("第三法庭", "physical", 30, "审判楼四楼"), ("在线法庭一", "online", 20, ""), ("在线法庭二", "online", 20, "")]


def _courtrooms(court, admin) -> int:
    made = 0
    for i, (name, kind, seats, where) in enumerate(COURTROOMS):
        if Courtroom.objects.filter(court=court, name=name).exists():
            continue
        room = services.courtroom_save(actor=admin, court=court, name=name, kind=kind, capacity=seats, location=where)
        Courtroom.objects.filter(pk=room.pk).update(order=i)
        made += 1
    return made


def _rooms_case(orgs):
    from yunting.core.rooms.demo import TITLE
    from yunting.core.rooms.models import Room

    room = Room.objects.filter(title=TITLE, case__court=orgs["court"]).select_related("case").first()
    return (room.case, room) if room else (None, None)


def _other_case(orgs, users, exclude) -> Case | None:
    return (Case.objects.filter(court=orgs["court"], closed_at__isnull=True, case_type_id="民初")
            .filter(participations__user=users["judge"], participations__role__in=("judge", "presiding_judge"))
            .filter(participations__user=users["plaintiff"]).filter(participations__user=users["defendant"])
            .exclude(pk__in=exclude).exclude(security_level="secret")
            .exclude(status__in=("closed", "archived", "decided")).order_by("id").first())


@contextmanager
def _reported(progress):
    """A demo hearing that cannot be planned today (nobody free, no courtroom) is reported, not fatal: the rest of
    the demo still loads, and the next run tries again."""
    try:
        yield
    except ApplicationError as exc:
        progress(f"hearings: demo hearing not planned: {exc.message}")


def hearings_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    court, judge = orgs["court"], users["judge"]
    made = _courtrooms(court, users["court_admin"])
    out = {"courtrooms": made}

    def acc(case, who):
        return access_case_for(users[who], case.pk)

    case, room = _rooms_case(orgs)
    other = _other_case(orgs, users, {case.pk} if case else set())
    for c in (case, other):  # the demo lawyer acts for the plaintiff wherever the demo holds a hearing
        if c is not None:
            plaintiff_agent_ensure(c, users)
    if case is not None and not Hearing.objects.filter(case=case).exists():
        with _reported(progress), transaction.atomic():
            hearing = services.hearing_request(access=acc(case, "judge"), actor=judge)
            for who in ("plaintiff", "defendant"):
                services.hearing_consent(access=acc(case, who), actor=users[who], hearing=hearing, action="consent")
            Hearing.objects.filter(pk=hearing.pk).update(room=room)  # held in the rooms demo's courtroom
            hearing.refresh_from_db()
            services.hearing_propose(access=acc(case, "judge"), actor=judge, hearing=hearing)
            first = hearing.options.order_by("number").first()
            hearing = services.hearing_confirm(access=acc(case, "judge"), actor=judge, hearing=hearing,
                                               option_id=first.pk)
            out["confirmed"] = hearing.pk
            progress(f"hearings: {case.number} online hearing confirmed for {hearing.date} {hearing.slot}")
    if other is not None and not Hearing.objects.filter(case=other).exists():
        with _reported(progress), transaction.atomic():
            hearing = services.hearing_request(access=acc(other, "judge"), actor=judge)
            services.hearing_consent(access=acc(other, "plaintiff"), actor=users["plaintiff"], hearing=hearing,
                                     action="consent")
            services.hearing_propose(access=acc(other, "judge"), actor=judge, hearing=hearing)
            out["voting"] = hearing.pk
            progress(f"hearings: {other.number} hearing times proposed; the parties are voting")
    if made == 0 and "confirmed" not in out and "voting" not in out:
        progress("hearings: demo courtrooms and hearings already present; nothing to add")
    return out
