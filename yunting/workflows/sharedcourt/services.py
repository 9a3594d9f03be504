"""Writes of the shared courts. Each act is one transaction with its journal entry (on the case, once there is one);
the actor is explicit, and where staff act for a party both are recorded.

Who may do what is checked here, whatever page, API or command calls: court administrators manage the registry
and the travel table; a party with a seat in a room applies; a judge of the case proposes and decides; the staff
of the chosen point check identity, join the room in the party's seat, confirm presence, file and take signatures.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.models import Participation
from yunting.core.efile.intake import strokes_through_intake
from yunting.core.journal.services import journal_append
from yunting.core.people.choices import OrganisationKind, Role
from yunting.core.people.models import Membership, Organisation, User
from yunting.core.rooms.choices import COURT_SEATS, ParticipantState, RoomState
from yunting.core.rooms.models import Participant, Room
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.security.identifiers import IdentifierError, ric_validate
from yunting.kernel.security.masking import mask_id_number

from . import entries, errors
from .choices import (
    OPEN_STATUSES,
    SESSION_BY_ACTIVITY,
    AttendanceStatus,
    Equipment,
    PointKind,
    SessionKind,
)
from .models import AssistedFiling, AssistedSignature, Attendance, ServicePoint, TravelEstimate

JUDGE_ROLES = ("judge", "presiding_judge")
PHOTO_PURPOSE = "sharedcourt_id"  # Upload.purpose: ≤ 16 characters
SIGN_PURPOSE = "sharedcourt_sig"
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


# --- who ---------------------------------------------------------------------------------------------------------
def is_court_admin(user, court_id) -> bool:
    from yunting.core.courts.selectors import admin_courts

    return bool(getattr(user, "is_authenticated", False)) and admin_courts(user).filter(pk=court_id).exists()


def is_point_staff(user, point: ServicePoint) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, organisation_id=point.organisation_id, role=Role.SERVICE_POINT_STAFF).exists()


def is_case_judge(user, case_id) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Participation.objects.filter(
        case_id=case_id, user=user, role__in=JUDGE_ROLES).exists()


def _require_admin(actor, court) -> None:
    if not is_court_admin(actor, court.pk):
        raise errors.not_admin()


def _require_staff(actor, point: ServicePoint) -> None:
    if not is_point_staff(actor, point):
        raise errors.not_staff()


# --- registry ------------------------------------------------------------------------------------------------------
def _clean_point(*, kind: str, township: str, address: str, equipment, opening_hours: str, phone: str) -> dict:
    if kind not in PointKind.values:
        raise errors.invalid(_("Choose the kind of service point."), field="kind")
    township, address = (township or "").strip(), (address or "").strip()
    if not township:
        raise errors.invalid(_("Enter the township or street the point serves."), field="township")
    if not address:
        raise errors.invalid(_("Enter the point's address."), field="address")
    equipment = [e for e in dict.fromkeys(equipment or ()) if e]
    unknown = [e for e in equipment if e not in Equipment.values]
    if unknown:
        raise errors.invalid(_("Unknown equipment: %(items)s") % {"items": ", ".join(unknown)}, field="equipment")
    if len(township) > 60 or len(address) > 200 or len(opening_hours or "") > 120 or len(phone or "") > 20:
        raise errors.invalid(_("A field is too long."), field="address")
    return {"kind": kind, "township": township, "address": address, "equipment": equipment,
            "opening_hours": (opening_hours or "").strip(), "phone": (phone or "").strip()}


@transaction.atomic
def point_create(*, actor, court: Organisation, name: str, kind: str, township: str, address: str,
                 equipment=(), opening_hours: str = "", phone: str = "") -> ServicePoint:
    """Register a point of `court`: its organisation (kind service_point, under the court) and its details."""
    _require_admin(actor, court)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise errors.invalid(_("Enter the point's name."), field="name")
    fields = _clean_point(kind=kind, township=township, address=address, equipment=equipment,
                          opening_hours=opening_hours, phone=phone)
    if Organisation.objects.filter(name=name).exists():
        raise errors.invalid(_("An organisation with this name already exists."), field="name")
    org = Organisation.objects.create(kind=OrganisationKind.SERVICE_POINT, name=name, parent=court)
    return ServicePoint.objects.create(organisation=org, court=court, **fields)


@transaction.atomic
def point_update(*, actor, point: ServicePoint, kind: str, township: str, address: str, equipment=(),
                 opening_hours: str = "", phone: str = "", active: bool = True) -> ServicePoint:
    _require_admin(actor, point.court)
    fields = _clean_point(kind=kind, township=township, address=address, equipment=equipment,
                          opening_hours=opening_hours, phone=phone)
    for key, value in fields.items():
        setattr(point, key, value)
    point.active = bool(active)
    point.save()
    return point


@transaction.atomic
def point_add_staff(*, actor, point: ServicePoint, username: str) -> User:
    """Make an existing account staff of the point (role service_point_staff in the point's organisation)."""
    _require_admin(actor, point.court)
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None:
        raise errors.invalid(_("There is no account with this username."), field="username")
    Membership.objects.get_or_create(user=user, organisation=point.organisation, role=Role.SERVICE_POINT_STAFF)
    return user


@transaction.atomic
def point_remove_staff(*, actor, point: ServicePoint, user_id: int) -> None:
    _require_admin(actor, point.court)
    Membership.objects.filter(user_id=user_id, organisation=point.organisation,
                              role=Role.SERVICE_POINT_STAFF).delete()


@transaction.atomic
def travel_set(*, actor, court: Organisation, township: str, distance_km, minutes) -> TravelEstimate:
    """Set (or replace) the one-way distance and travel time from a township to the court."""
    _require_admin(actor, court)
    township = (township or "").strip()
    if not township or len(township) > 60:
        raise errors.invalid(_("Enter the township or street."), field="township")
    try:
        km = Decimal(str(distance_km)).quantize(Decimal("0.1"))
        mins = int(minutes)
    except (InvalidOperation, TypeError, ValueError):
        raise errors.invalid(_("Enter the distance in km and the time in minutes as numbers."),
                             field="distance_km") from None
    if not (Decimal(0) <= km < Decimal(10000)) or not (0 <= mins < 100000):
        raise errors.invalid(_("Enter the distance in km and the time in minutes as numbers."), field="distance_km")
    row, _created = TravelEstimate.objects.update_or_create(court=court, township=township,
                                                            defaults={"distance_km": km, "minutes": mins})
    return row


def travel_saved(point: ServicePoint) -> tuple[Decimal | None, int | None]:
    """There and back from the point's township to the court, from the court's table (None when not listed)."""
    row = TravelEstimate.objects.filter(court_id=point.court_id, township=point.township).first()
    if row is None:
        return None, None
    return row.distance_km * 2, row.minutes * 2


# --- attendance: apply, propose, decide ------------------------------------------------------------------------------
def _payload(a: Attendance, **extra) -> dict[str, Any]:
    return {"attendance_id": a.pk, "point_id": a.point_id, **extra}


def _party_seat(room: Room, user) -> Participant | None:
    return (Participant.objects.filter(room=room, user=user).exclude(seat__in=COURT_SEATS)
            .exclude(state=ParticipantState.REMOVED).first())


def _check_session(room: Room, point: ServicePoint, scheduled_at: datetime) -> None:
    if room.state == RoomState.CLOSED:
        raise errors.invalid(_("This session has ended."), field="room")
    if room.activity not in SESSION_BY_ACTIVITY:
        raise errors.invalid(_("This session cannot be attended from a service point."), field="room")
    if not point.active or point.court_id != room.case.court_id:
        raise errors.invalid(_("Choose an open service point of the court hearing the case."), field="point")
    if not isinstance(scheduled_at, datetime) or timezone.is_naive(scheduled_at):
        raise errors.invalid(_("Enter the date and time of the session."), field="scheduled_at")
    if scheduled_at < timezone.now() - timedelta(hours=12):
        raise errors.invalid(_("The session time is in the past."), field="scheduled_at")


def _session_kind(room: Room, seat: Participant) -> str:
    """A witness's seat is a testimony whatever room it is in (the witnesses app keys on "witness")."""
    return SessionKind.WITNESS if seat.seat == "witness" else SESSION_BY_ACTIVITY[room.activity]


def _already_open(participant: Participant) -> bool:
    return Attendance.objects.filter(participant=participant, status__in=OPEN_STATUSES).exists()


def _notify(a: Attendance, text: str) -> None:
    from yunting.kernel.notify.services import outbox_enqueue

    if a.party.phone:
        outbox_enqueue(phone=a.party.phone, body=text, purpose="sharedcourt")


@transaction.atomic
def attendance_apply(*, actor, room: Room, point: ServicePoint, scheduled_at: datetime, reason: str = "") -> Attendance:
    """A party asks to attend `room` from `point`; the judge of the case decides."""
    room = Room.objects.select_related("case").get(pk=room.pk)
    seat = _party_seat(room, actor)
    if seat is None or not Participation.objects.filter(case=room.case, user=actor, role="party").exists():
        raise errors.not_party()
    _check_session(room, point, scheduled_at)
    if _already_open(seat):
        raise errors.invalid(_("There is already an application for this session."), field="room")
    a = Attendance.objects.create(point=point, case=room.case, room=room, participant=seat, party=actor,
                                  session_kind=_session_kind(room, seat), scheduled_at=scheduled_at,
                                  requested_by=actor, reason=(reason or "").strip()[:2000])
    journal_append(case=room.case, kind=entries.ATTENDANCE_REQUESTED, actor=actor, payload=_payload(
        a, room_id=room.pk, session_kind=a.session_kind, party_user_id=actor.pk,
        scheduled_at=scheduled_at.isoformat(), proposed_by_court=False))
    return a


@transaction.atomic
def attendance_propose(*, actor, room: Room, participant: Participant, point: ServicePoint, scheduled_at: datetime,
                       reason: str = "") -> Attendance:
    """The judge proposes that a party attend from a point: approved at once, the party is told."""
    room = Room.objects.select_related("case").get(pk=room.pk)
    if not is_case_judge(actor, room.case_id):
        raise errors.not_judge()
    seat = Participant.objects.filter(pk=participant.pk, room=room).exclude(seat__in=COURT_SEATS).exclude(
        state=ParticipantState.REMOVED).select_related("user").first()
    if seat is None or seat.user_id is None:
        raise errors.invalid(_("Choose a party's seat in this session."), field="participant")
    _check_session(room, point, scheduled_at)
    if _already_open(seat):
        raise errors.invalid(_("There is already an application for this session."), field="participant")
    now = timezone.now()
    a = Attendance.objects.create(point=point, case=room.case, room=room, participant=seat, party=seat.user,
                                  session_kind=_session_kind(room, seat), scheduled_at=scheduled_at,
                                  requested_by=actor, proposed_by_court=True, reason=(reason or "").strip()[:2000],
                                  status=AttendanceStatus.APPROVED, decided_by=actor, decided_at=now)
    journal_append(case=room.case, kind=entries.ATTENDANCE_REQUESTED, actor=actor, payload=_payload(
        a, room_id=room.pk, session_kind=a.session_kind, party_user_id=seat.user_id,
        scheduled_at=scheduled_at.isoformat(), proposed_by_court=True))
    journal_append(case=room.case, kind=entries.ATTENDANCE_APPROVED, actor=actor, payload=_payload(
        a, room_id=room.pk, session_kind=a.session_kind, party_user_id=seat.user_id))
    _notify(a, _approved_text(a))
    return a


def _local(dt: datetime) -> str:
    from yunting.kernel.common.timeutil import SHANGHAI

    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _approved_text(a: Attendance) -> str:
    return _("%(case)s: you may attend the session on %(when)s at the shared-court point %(point)s (%(address)s). "
             "Bring your ID card.") % {"case": a.case.number, "when": _local(a.scheduled_at), "point": a.point.name,
                                       "address": a.point.address}


def _lock(a: Attendance) -> Attendance:
    found = (Attendance.objects.select_for_update(of=("self",)).select_related("case", "room", "point", "party",
                                                                                "point__organisation")
             .filter(pk=a.pk).first())
    if found is None:
        raise errors.not_found()
    return found


@transaction.atomic
def attendance_decide(*, actor, attendance: Attendance, approve: bool, reason: str = "") -> Attendance:
    """The judge of the case approves or refuses (a refusal needs a reason); the party is told either way."""
    a = _lock(attendance)
    if not is_case_judge(actor, a.case_id):
        raise errors.not_judge()
    if a.status != AttendanceStatus.REQUESTED:
        raise errors.wrong_state(a.status)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise errors.invalid(_("Give the reason for refusing."), field="reason")
    a.status = AttendanceStatus.APPROVED if approve else AttendanceStatus.REFUSED
    a.decided_by, a.decided_at, a.decision_reason = actor, timezone.now(), reason[:2000]
    a.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    if approve:
        journal_append(case=a.case, kind=entries.ATTENDANCE_APPROVED, actor=actor, payload=_payload(
            a, room_id=a.room_id, session_kind=a.session_kind, party_user_id=a.party_id))
        _notify(a, _approved_text(a))
    else:
        journal_append(case=a.case, kind=entries.ATTENDANCE_REFUSED, actor=actor, payload=_payload(
            a, room_id=a.room_id, party_user_id=a.party_id, reason=a.decision_reason))
        _notify(a, _("%(case)s: the court did not approve attending from %(point)s. Reason: %(reason)s")
                % {"case": a.case.number, "point": a.point.name, "reason": a.decision_reason})
    return a


# --- on site: identity, join, presence, signature --------------------------------------------------------------------
def _sniff(stream, types: set[str]) -> bool:
    """The photo's type by its first bytes, before anything is stored (the intake proves it again)."""
    head = stream.read(16)
    stream.seek(0)
    kinds = {"image/jpeg": head.startswith(b"\xff\xd8\xff"), "image/png": head.startswith(b"\x89PNG"),
             "image/webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP"}
    return any(kinds.get(t) for t in types)


def _through_intake(actor, stream, *, purpose: str, subject: str, types: set[str]) -> str:
    """A photo enters like every upload: the one checked intake, waited for here because the act needs the
    answer. The bytes as taken are kept (not the intake's straightened PDF). Signature strokes take
    `strokes_through_intake`."""
    from yunting.core.efile.intake import upload_check, upload_receive, upload_refusal
    from yunting.core.efile.models import UploadStatus

    if not _sniff(stream, types):  # refused before a byte is stored, with the intake's code for a wrong type
        raise errors.invalid(_("The file must be a photo (JPEG or PNG)."), "upload_type", field="photo")
    upload = upload_receive(streams=[stream], purpose=purpose, user=actor, subject=subject)
    upload = upload_check(upload_id=upload.pk)
    if upload.status != UploadStatus.ACCEPTED:
        raise upload_refusal(upload)
    return upload.parts.order_by("position").values_list("blob_id", flat=True).first()


def _staff_attendance(actor, attendance: Attendance) -> Attendance:
    a = _lock(attendance)
    _require_staff(actor, a.point)
    if a.status != AttendanceStatus.APPROVED:
        raise errors.wrong_state(a.status)
    return a


def attendance_check_identity(*, actor, attendance: Attendance, id_number: str, photo) -> Attendance:
    """Check the party's ID card on site: the number (GB 11643 checksum, and the party's own number when the
    account has one) and a photo from the document camera, kept for the court and the staff only. A bad number
    changes nothing and stores nothing."""
    a = Attendance.objects.select_related("point", "party").filter(pk=attendance.pk).first()
    if a is None:
        raise errors.not_found()
    _require_staff(actor, a.point)
    if a.status != AttendanceStatus.APPROVED:
        raise errors.wrong_state(a.status)
    try:
        number = ric_validate(id_number or "")
    except IdentifierError as exc:
        raise errors.invalid(str(exc), "sharedcourt_id_number", field="id_number", reason=exc.code) from None
    if a.party.id_number and a.party.id_number != number:
        raise errors.invalid(_("This ID number is not the party's: check the ID card again."),
                             "sharedcourt_id_mismatch", field="id_number")
    if photo is None:
        raise errors.invalid(_("Take the photo of the ID card holder with the document camera."), field="photo")
    sha = _through_intake(actor, photo, purpose=PHOTO_PURPOSE, subject=f"sharedcourt:{a.pk}", types=PHOTO_TYPES)
    with transaction.atomic():
        a = _staff_attendance(actor, a)
        a.id_checked_at, a.id_checked_by = timezone.now(), actor
        a.id_number_masked, a.photo_sha256 = mask_id_number(number), sha
        a.save(update_fields=["id_checked_at", "id_checked_by", "id_number_masked", "photo_sha256", "updated_at"])
        journal_append(case=a.case, kind=entries.IDENTITY_CHECKED, actor=actor, payload=_payload(
            a, participant_id=a.participant_id, party_user_id=a.party_id, staff_user_id=actor.pk,
            id_number_masked=a.id_number_masked, photo_sha256=sha))
    return a


@transaction.atomic
def attendance_join(*, actor, attendance: Attendance) -> Participant:
    """The staff's device takes the party's seat: the courtroom rules are acknowledged and the identity counts as
    re-verified on site (OLR art 7), recorded with both people. The caller then opens the room with this seat."""
    from yunting.core.rooms.services import room_acknowledge_rules, room_verify_on_site

    a = _staff_attendance(actor, attendance)
    if a.id_checked_at is None:
        raise errors.identity_first()
    seat = Participant.objects.select_related("room").filter(pk=a.participant_id).first()
    if seat is None or seat.state == ParticipantState.REMOVED or seat.room.state == RoomState.CLOSED:
        raise errors.invalid(_("This session has ended."), field="room")
    room_acknowledge_rules(participant=seat)
    seat = room_verify_on_site(participant=seat, actor=actor)
    if a.joined_at is None:
        a.joined_at, a.joined_by = timezone.now(), actor
        a.travel_km, a.travel_minutes = travel_saved(a.point)
        a.save(update_fields=["joined_at", "joined_by", "travel_km", "travel_minutes", "updated_at"])
        journal_append(case=a.case, kind=entries.ASSISTED_JOIN, actor=actor, payload=_payload(
            a, room_id=a.room_id, participant_id=seat.pk, seat=seat.seat, party_user_id=a.party_id,
            staff_user_id=actor.pk))
    return seat


@transaction.atomic
def attendance_confirm_presence(*, actor, attendance: Attendance, alone: bool) -> Attendance:
    """The staff confirm the party is present and alone in the point's room: `sharedcourt.presence_confirmed`."""
    a = _staff_attendance(actor, attendance)
    if a.joined_at is None:
        raise errors.join_first()
    if not alone:
        raise errors.invalid(_("Presence can be confirmed only when the party is alone in the room."), field="alone")
    if a.presence_confirmed_at is None:
        a.presence_confirmed_at, a.presence_confirmed_by = timezone.now(), actor
        a.save(update_fields=["presence_confirmed_at", "presence_confirmed_by", "updated_at"])
    journal_append(case=a.case, kind=entries.PRESENCE_CONFIRMED, actor=actor, payload={
        "point_id": a.point_id, "session_kind": a.session_kind, "room_id": a.room_id,
        "participant_id": a.participant_id, "person_name": a.party.display_name, "alone": True,
        "staff_user_id": actor.pk, "attendance_id": a.pk})
    return a


def _bad_strokes(message: str = "") -> ValidationFailed:
    return errors.invalid(message or _("The handwritten signature is missing or not a PNG image."), field="strokes")


def attendance_sign(*, actor, attendance: Attendance, strokes_png: bytes, title: str = "") -> AssistedSignature:
    """The party signs on the point's signature pad, the staff present; the record names both."""
    a = Attendance.objects.select_related("point").filter(pk=attendance.pk).first()
    if a is None:
        raise errors.not_found()
    _require_staff(actor, a.point)
    if a.id_checked_at is None:
        raise errors.identity_first()
    title = (title or "").strip()[:120] or _("On-site attendance confirmation")
    sha = strokes_through_intake(png=strokes_png, user=actor, purpose=SIGN_PURPOSE, subject=f"sharedcourt:{a.pk}",
                                 invalid=_bad_strokes).sha256
    with transaction.atomic():
        a = _staff_attendance(actor, a)
        sig = AssistedSignature.objects.create(point=a.point, attendance=a, party=a.party, staff=actor, title=title,
                                               strokes_sha256=sha)
        journal_append(case=a.case, kind=entries.SIGNED, actor=actor, payload=_payload(
            a, party_user_id=a.party_id, staff_user_id=actor.pk, title=title, strokes_sha256=sha))
    return sig


# --- assisted filing ---------------------------------------------------------------------------------------------------
def assisted_filing_submit(*, actor, point: ServicePoint, party_id_number: str, party_name: str,
                           data: dict[str, Any]):
    """File online for a party present at the point: the filing's filer is the party (found by the ID number and
    the name the staff read on the card, both of which must match the account), the submission's actor is the
    staff member; both are shown on the record. Asking for the name too keeps the form from telling the staff
    whose account an ID number is."""
    from yunting.core.people.services import user_find_by_id_number
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    _require_staff(actor, point)
    try:
        ric_validate(party_id_number or "")
    except IdentifierError as exc:
        raise errors.invalid(str(exc), "sharedcourt_id_number", field="id_number", reason=exc.code) from None
    name = (party_name or "").strip()
    if not name:
        raise errors.invalid(_("Enter the party's name as it is on the ID card."), "sharedcourt_party_name",
                             field="party_name")
    party = user_find_by_id_number(party_id_number)
    if party is None or party.real_name.strip() != name:  # one answer for both: no name lookup by ID number
        raise errors.invalid(_("No account matches this ID card (number and name): the party registers first "
                               "(the staff can help)."), "sharedcourt_no_account", field="id_number")
    data = {**data, "court": point.court.court_code}
    data.pop("on_behalf_of", None)
    parties = [dict(p) for p in data.get("parties") or []]
    for p in parties:  # the party present is the plaintiff: named from the account the ID number found
        if p.get("role") == "plaintiff" and not p.get("name"):
            p.update(name=party.real_name, id_number=party.id_number, phone=p.get("phone") or party.phone)
            break
    data["parties"] = parties
    with transaction.atomic():
        filing = filing_save_draft(filer=party, data=data)
        filing = filing_submit(filing=filing, actor=actor)
        km, minutes = travel_saved(point)
        try:
            AssistedFiling.objects.create(point=point, filing_id=filing.pk, party=party, staff=actor, travel_km=km,
                                          travel_minutes=minutes)
        except IntegrityError:  # pragma: no cover - a filing is new here
            raise errors.invalid(_("This filing is already recorded."), field="filing") from None
    return filing
