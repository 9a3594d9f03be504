"""The demo's online room: an open hearing in a case the demo judge hears, with the demo plaintiff (and the demo
lawyer, its 代理人) and defendant admitted and the demo witness (`witness`, created if missing) waiting in the
lobby after using their invitation link and re-verifying identity. Run again, it adds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import transaction

from yunting.core.people.models import User

from . import services
from .models import Participant, Room

TITLE = "演示：民间借贷纠纷在线庭审"
WITNESS = ("witness", "钱多多", "440306199303031238", "13800138020")
ROOMS_LOGINS = [("witness", "钱多多", "证人（在线庭审演示）")]


def _witness(password: str) -> User:
    from yunting.core.people.services import user_set_id_number
    from yunting.interfaces.cli.cast import _fix_check

    username, name, id_number, phone = WITNESS
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=name, phone=phone)
        user.set_password(password)
        user.save()
        user_set_id_number(user=user, id_number=_fix_check(id_number))
    return user


def _last_code(verification) -> str:
    """The code just issued, as the person reads it in their SMS (the demo types it for them)."""
    from yunting.kernel.notify.models import OutboxMessage

    msg = OutboxMessage.objects.filter(purpose__startswith="otp:room").order_by("-id").first()
    return re.search(r"\d{6}", msg.body).group(0)


def _enter(participant: Participant) -> Participant:
    """What the courtroom page does for a person: rules acknowledged, code sent and typed, socket joined."""
    services.room_acknowledge_rules(participant=participant)
    participant.refresh_from_db()
    if participant.verified_at is None and not participant.is_host:
        verification = services.room_verify_request(participant=participant)
        services.room_verify(participant=participant, code=_last_code(verification))
    participant.refresh_from_db()
    return services.participant_join(participant=participant)


def _existing_case(orgs, plaintiff, defendant, judge):
    """An open case of the demo court that the demo judge hears and where the demo plaintiff and defendant take
    part on their accounts (the main demo has some): the room joins the demo's story instead of adding a case."""
    from yunting.core.cases.models import Case

    return (Case.objects.filter(court=orgs["court"], closed_at__isnull=True, participations__user=judge,
                                participations__role__in=("judge", "presiding_judge"))
            .filter(participations__user=plaintiff).filter(participations__user=defendant)
            .exclude(security_level="secret").exclude(status__in=("closed", "archived", "decided"))
            .order_by("id").first())


def plaintiff_agent_ensure(case, users) -> None:
    """The demo lawyer acts for the demo plaintiff in this case (代理人), as a filing made on the plaintiff's
    behalf records them: a lawyer participation tied to the plaintiff's party, journaled. Without the party the
    lawyer has no seat in the room, no witness panel and nothing to sign. Idempotent."""
    from yunting.core.cases.models import Party
    from yunting.core.cases.services import case_add_participant

    party = Party.objects.filter(case=case, user=users["plaintiff"]).order_by("order", "id").first()
    if party is not None:
        case_add_participant(case=case, user=users["lawyer"], role="lawyer", party=party,
                             actor=users["filing_officer"])


def rooms_demo(*, orgs, users, password: str = "", progress: Callable[[str], None] = lambda s: None) -> dict:
    if Room.objects.filter(title=TITLE).exists():
        progress("rooms: demo hearing room already present; nothing to add")
        return {"created": False}
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    plaintiff, defendant, judge = users["plaintiff"], users["defendant"], users["judge"]
    case = _existing_case(orgs, plaintiff, defendant, judge)
    if case is None:  # a demo without the main cases (tests): open one
        with transaction.atomic():
            case = case_open(data=CaseInput(
                court=orgs["court"], case_type=CaseType.objects.get(code="民初"),
                cause=Cause.objects.get(name="民间借贷纠纷"),
                parties=[PartyInput(role="plaintiff", kind="natural", name=plaintiff.real_name,
                                    id_number=plaintiff.id_number, user=plaintiff, phone=plaintiff.phone),
                         PartyInput(role="defendant", kind="natural", name=defendant.real_name,
                                    id_number=defendant.id_number, user=defendant, phone=defendant.phone)],
                participants=[(judge, "judge"), (users["clerk"], "clerk")], security_level="internal",
            ), actor=users["filing_officer"])
    plaintiff_agent_ensure(case, users)  # before the room is opened: seated as the plaintiff's 代理人
    room = services.room_open(case, "hearing", judge, services.seats_from_case(case, host=judge), title=TITLE)
    _enter(Participant.objects.get(room=room, user=judge))
    for user in (plaintiff, users["lawyer"], defendant):
        seat = _enter(Participant.objects.get(room=room, user=user))
        services.room_admit(room, seat, actor=judge)
    services.room_start(room=room, actor=judge)
    witness_user = _witness(password)
    invited = services.room_invite(room, witness_user, "witness", actor=judge)
    services.room_invitation_accept(token=invited.invitation_token, user=witness_user)
    _enter(Participant.objects.get(pk=invited.pk))
    progress(f"rooms: hearing room #{room.pk} in {case.number}: plaintiff, its lawyer and defendant admitted, "
             f"witness in the lobby (/rooms/{room.pk}/)")
    return {"created": True, "room_id": room.pk, "case_id": case.pk}
