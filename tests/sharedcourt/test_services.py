"""共享法庭 services: the registry, applying and deciding, the on-site identity check, joining the room in the
party's seat, the presence entry witnesses rely on, assisted signing and filing (both actors recorded)."""

import io

import pytest

from tests.sharedcourt.conftest import jpeg, kinds, strokes_png, tomorrow
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import ApplicationError

pytestmark = pytest.mark.django_db


# --- registry ------------------------------------------------------------------------------------------------------
def test_only_the_court_admin_registers_points_and_bad_input_changes_nothing(cast, users):
    from yunting.core.people.models import Membership, Organisation
    from yunting.workflows.sharedcourt.models import ServicePoint
    from yunting.workflows.sharedcourt.services import point_add_staff, point_create, point_update

    orgs, _ = cast
    kw = dict(court=orgs["court"], name="航城街道共享法庭", kind="post_office", township="航城街道",
              address="深圳市宝安区航城街道航城大道1号", equipment=["signature_pad", "document_camera"])
    for who in ("judge", "point_staff", "plaintiff"):
        with pytest.raises(ApplicationError) as exc:
            point_create(actor=users[who], **kw)
        assert exc.value.code == "sharedcourt_not_admin"
    with pytest.raises(ApplicationError) as exc:
        point_create(actor=users["court_admin"], **{**kw, "equipment": ["teleporter"]})
    assert exc.value.code == "sharedcourt_invalid" and exc.value.data["field"] == "equipment"
    with pytest.raises(ApplicationError):
        point_create(actor=users["court_admin"], **{**kw, "township": " "})
    assert not ServicePoint.objects.exists() and not Organisation.objects.filter(name="航城街道共享法庭").exists()

    p = point_create(actor=users["court_admin"], **kw)
    assert p.organisation.kind == "service_point" and p.organisation.parent == orgs["court"]
    point_update(actor=users["court_admin"], point=p, kind="bank", township="航城街道", address="新地址 2号",
                 equipment=["printer"], active=False)
    p.refresh_from_db()
    assert (p.kind, p.address, p.equipment, p.active) == ("bank", "新地址 2号", ["printer"], False)
    point_add_staff(actor=users["court_admin"], point=p, username="defendant")
    assert Membership.objects.filter(user=users["defendant"], organisation=p.organisation,
                                     role="service_point_staff").exists()


def test_public_search_by_township_and_address_paginated(cast, users, point, other_point):
    from yunting.workflows.sharedcourt.selectors import PAGE_SIZE, points_public
    from yunting.workflows.sharedcourt.services import point_create, point_update

    orgs, _ = cast
    assert [p.name for p in points_public(q="福永")] == ["福永街道共享法庭"]
    assert [p.name for p in points_public(q="宝源路")] == ["西乡街道共享法庭"]
    assert [p.name for p in points_public(q="西乡 108号")] == ["西乡街道共享法庭"]
    assert list(points_public(q="不存在的镇")) == []
    point_update(actor=users["court_admin"], point=other_point, kind="township", township="福永街道",
                 address=other_point.address, active=False)
    assert [p.name for p in points_public(q="福永")] == []  # closed points are not listed
    for i in range(PAGE_SIZE + 1):
        point_create(actor=users["court_admin"], court=orgs["court"], name=f"沙井网点{i}", kind="bank",
                     township="沙井街道", address=f"沙井路{i}号")
    page1, page2 = points_public(q="沙井"), points_public(q="沙井", page=2)
    assert len(page1) == PAGE_SIZE and len(page2) == 1 and page1.paginator.count == PAGE_SIZE + 1


# --- apply, propose, decide ---------------------------------------------------------------------------------------------
def test_party_applies_judge_approves_party_is_told(hearing, point, users, room_case):
    from yunting.kernel.notify.models import OutboxMessage
    from yunting.workflows.sharedcourt.services import attendance_apply, attendance_decide

    a = attendance_apply(actor=users["defendant"], room=hearing, point=point, scheduled_at=tomorrow())
    assert (a.status, a.session_kind, a.party, a.participant.seat) == ("requested", "hearing", users["defendant"],
                                                                       "defendant")
    for who in ("defendant", "clerk", "point_staff", "court_admin"):
        with pytest.raises(ApplicationError) as exc:
            attendance_decide(actor=users[who], attendance=a, approve=True)
        assert exc.value.code == "sharedcourt_not_judge"
    attendance_decide(actor=users["judge"], attendance=a, approve=True)
    a.refresh_from_db()
    assert a.status == "approved" and a.decided_by == users["judge"]
    assert kinds(room_case)[-2:] == ["sharedcourt.attendance_requested", "sharedcourt.attendance_approved"]
    sms = OutboxMessage.objects.filter(purpose="sharedcourt").latest("id")
    assert point.name in sms.body and room_case.number in sms.body
    with pytest.raises(ApplicationError) as exc:  # decided once
        attendance_decide(actor=users["judge"], attendance=a, approve=False, reason="x")
    assert exc.value.code == "sharedcourt_wrong_state"


def test_refusal_needs_a_reason_and_is_journaled(hearing, point, users, room_case):
    from yunting.workflows.sharedcourt.services import attendance_apply, attendance_decide

    a = attendance_apply(actor=users["plaintiff"], room=hearing, point=point, scheduled_at=tomorrow())
    before = len(kinds(room_case))
    with pytest.raises(ApplicationError) as exc:
        attendance_decide(actor=users["judge"], attendance=a, approve=False, reason="  ")
    assert exc.value.data["field"] == "reason" and len(kinds(room_case)) == before
    attendance_decide(actor=users["judge"], attendance=a, approve=False, reason="原告有律师代理，无需到服务点")
    a.refresh_from_db()
    entry = JournalEntry.objects.filter(case=room_case).latest("seq")
    assert a.status == "refused" and entry.kind == "sharedcourt.attendance_refused"
    assert entry.payload["reason"] == "原告有律师代理，无需到服务点"


def test_who_may_apply_and_for_what(hearing, point, other_point, users, cast):
    from yunting.workflows.sharedcourt.models import Attendance
    from yunting.workflows.sharedcourt.services import attendance_apply, point_create

    orgs, _ = cast
    for who in ("judge", "lawyer", "point_staff"):  # no party seat in this room
        with pytest.raises(ApplicationError) as exc:
            attendance_apply(actor=users[who], room=hearing, point=point, scheduled_at=tomorrow())
        assert exc.value.code == "sharedcourt_not_party"
    from yunting.core.people.models import Organisation

    far = Organisation.objects.create(kind="court", name="某某法院", court_code="浙11")
    elsewhere = point_create(actor=users["court_admin"], court=orgs["court"], name="外院点", kind="other",
                             township="x", address="y")
    elsewhere.court = far
    elsewhere.save()
    with pytest.raises(ApplicationError) as exc:
        attendance_apply(actor=users["defendant"], room=hearing, point=elsewhere, scheduled_at=tomorrow())
    assert exc.value.data["field"] == "point"
    attendance_apply(actor=users["defendant"], room=hearing, point=point, scheduled_at=tomorrow())
    with pytest.raises(ApplicationError) as exc:  # one open application per seat
        attendance_apply(actor=users["defendant"], room=hearing, point=other_point, scheduled_at=tomorrow())
    assert "already" in str(exc.value.message) or "已有" in str(exc.value.message)
    assert Attendance.objects.count() == 1


def test_the_judge_proposes_and_it_is_approved_at_once(hearing, point, users, seat, room_case):
    from yunting.workflows.sharedcourt.services import attendance_propose

    with pytest.raises(ApplicationError):
        attendance_propose(actor=users["defendant"], room=hearing, participant=seat(users["defendant"]), point=point,
                           scheduled_at=tomorrow())
    a = attendance_propose(actor=users["judge"], room=hearing, participant=seat(users["defendant"]), point=point,
                           scheduled_at=tomorrow(), reason="被告年老")
    assert a.status == "approved" and a.proposed_by_court and a.party == users["defendant"]
    requested = JournalEntry.objects.get(case=room_case, kind="sharedcourt.attendance_requested")
    assert requested.payload["proposed_by_court"] is True


def test_a_witness_seat_is_a_testimony_session(hearing, point, users, room_case):
    from yunting.core.people.services import user_create
    from yunting.core.rooms.services import room_invite
    from yunting.workflows.sharedcourt.services import attendance_propose

    witness = user_create(username="w1", password=None, real_name="钱多多", phone="13800138020")
    seat = room_invite(hearing, witness, "witness", actor=users["judge"])
    a = attendance_propose(actor=users["judge"], room=hearing, participant=seat, point=point, scheduled_at=tomorrow())
    assert (a.party, a.session_kind) == (witness, "witness")


# --- on site -----------------------------------------------------------------------------------------------------------
def test_a_bad_id_number_is_refused_and_nothing_changes(approved, users, room_case):
    from yunting.core.efile.models import Upload
    from yunting.workflows.sharedcourt.services import attendance_check_identity

    before, uploads = kinds(room_case), Upload.objects.count()
    for number, code in (("36042619910101007", "sharedcourt_id_number"),  # 17 characters
                         ("360426199101010072", "sharedcourt_id_number"),  # wrong check character
                         ("11010519491231002X", "sharedcourt_id_mismatch")):  # valid, but the plaintiff's
        with pytest.raises(ApplicationError) as exc:
            attendance_check_identity(actor=users["point_staff"], attendance=approved, id_number=number,
                                      photo=io.BytesIO(jpeg()))
        assert exc.value.code == code
    with pytest.raises(ApplicationError):  # a PDF is not a photo
        attendance_check_identity(actor=users["point_staff"], attendance=approved,
                                  id_number=users["defendant"].id_number, photo=io.BytesIO(b"%PDF-1.4 x"))
    approved.refresh_from_db()
    assert approved.id_checked_at is None and approved.photo_sha256 == ""
    assert kinds(room_case) == before and Upload.objects.count() == uploads


def test_identity_join_and_presence_by_the_staff(approved, users, room_case, seat):
    from yunting.core.rooms.services import participant_join
    from yunting.kernel.blobs.models import Blob
    from yunting.workflows.sharedcourt.services import (
        attendance_check_identity,
        attendance_confirm_presence,
        attendance_join,
    )

    staff = users["point_staff"]
    with pytest.raises(ApplicationError) as exc:
        attendance_join(actor=staff, attendance=approved)
    assert exc.value.code == "sharedcourt_identity_first"
    a = attendance_check_identity(actor=staff, attendance=approved, id_number=users["defendant"].id_number,
                                  photo=io.BytesIO(jpeg()))
    assert a.id_number_masked.startswith("3604") and "*" in a.id_number_masked
    assert Blob.objects.get(pk=a.photo_sha256).mime_type == "image/jpeg"
    with pytest.raises(ApplicationError) as exc:
        attendance_confirm_presence(actor=staff, attendance=a, alone=True)
    assert exc.value.code == "sharedcourt_join_first"

    participant = attendance_join(actor=staff, attendance=a)
    assert participant == seat(users["defendant"])  # the party's own seat, taken by the staff's device
    assert participant.rules_acknowledged_at and participant.verification_method == "on_site"
    participant_join(participant=participant)  # what the courtroom socket does next
    joined = JournalEntry.objects.filter(case=room_case, kind__in=["room.verified", "sharedcourt.assisted_join",
                                                                   "room.joined"]).order_by("seq")
    by_kind = {e.kind: e for e in joined}
    assert by_kind["room.verified"].actor == staff and by_kind["room.verified"].payload["for_user_id"] == \
        users["defendant"].pk
    assisted = by_kind["sharedcourt.assisted_join"]
    assert assisted.actor == staff and assisted.payload["party_user_id"] == users["defendant"].pk
    assert by_kind["room.joined"].actor == users["defendant"]  # both are on record as acting

    with pytest.raises(ApplicationError):  # not alone: not confirmed
        attendance_confirm_presence(actor=staff, attendance=a, alone=False)
    attendance_confirm_presence(actor=staff, attendance=a, alone=True)
    entry = JournalEntry.objects.filter(case=room_case, kind="sharedcourt.presence_confirmed").get()
    assert entry.actor == staff
    assert entry.payload == {"point_id": a.point_id, "session_kind": "hearing", "room_id": a.room_id,
                             "participant_id": participant.pk, "person_name": "李娜", "alone": True,
                             "staff_user_id": staff.pk, "attendance_id": a.pk}
    a.refresh_from_db()
    assert a.travel_km == 19 and a.travel_minutes == 70  # 西乡 there and back from the court's table


def test_staff_of_another_point_can_do_nothing(approved, other_point, users, room_case):
    from yunting.core.people.models import User
    from yunting.workflows.sharedcourt.selectors import attendance_for, workbench_for_staff
    from yunting.workflows.sharedcourt.services import (
        attendance_check_identity,
        attendance_confirm_presence,
        attendance_join,
    )

    stranger = User.objects.get(username="fuyong_staff")
    before = kinds(room_case)
    for act in (lambda: attendance_check_identity(actor=stranger, attendance=approved,
                                                  id_number=users["defendant"].id_number, photo=io.BytesIO(jpeg())),
                lambda: attendance_join(actor=stranger, attendance=approved),
                lambda: attendance_confirm_presence(actor=stranger, attendance=approved, alone=True)):
        with pytest.raises(ApplicationError) as exc:
            act()
        assert exc.value.code == "sharedcourt_not_staff"
    assert kinds(room_case) == before
    assert workbench_for_staff(stranger) == [] and [a.pk for a in workbench_for_staff(users["point_staff"])] == [
        approved.pk]
    with pytest.raises(ApplicationError):
        attendance_for(stranger, approved.pk)


def test_a_party_sees_only_their_own(approved, hearing, point, users):
    from yunting.workflows.sharedcourt.selectors import attendance_for, attendances_for_party
    from yunting.workflows.sharedcourt.services import attendance_apply

    mine = attendance_apply(actor=users["plaintiff"], room=hearing, point=point, scheduled_at=tomorrow())
    assert [a.pk for a in attendances_for_party(users["plaintiff"])] == [mine.pk]
    assert attendance_for(users["plaintiff"], mine.pk)[1] == "party"
    with pytest.raises(ApplicationError):
        attendance_for(users["plaintiff"], approved.pk)  # the defendant's
    assert attendance_for(users["judge"], approved.pk)[1] == "court"
    with pytest.raises(ApplicationError):
        attendance_for(users["lawyer"], approved.pk)  # not in this case


def test_assisted_signature_records_party_and_staff(approved, users, room_case):
    from yunting.workflows.sharedcourt.services import attendance_check_identity, attendance_sign

    staff = users["point_staff"]
    with pytest.raises(ApplicationError) as exc:
        attendance_sign(actor=staff, attendance=approved, strokes_png=strokes_png())
    assert exc.value.code == "sharedcourt_identity_first"
    attendance_check_identity(actor=staff, attendance=approved, id_number=users["defendant"].id_number,
                              photo=io.BytesIO(jpeg()))
    sig = attendance_sign(actor=staff, attendance=approved, strokes_png=strokes_png(), title="到场确认书")
    assert (sig.party, sig.staff, sig.title) == (users["defendant"], staff, "到场确认书")
    entry = JournalEntry.objects.filter(case=room_case, kind="sharedcourt.signed").get()
    assert entry.actor == staff and entry.payload["party_user_id"] == users["defendant"].pk
    assert entry.payload["strokes_sha256"] == sig.strokes_sha256


# --- assisted filing -------------------------------------------------------------------------------------------------------
FILING = {"case_type": "民初", "cause": "民间借贷纠纷", "procedure": "simple", "claim_amount": "18000",
          "claims": ["判令被告偿还借款18000元"], "facts": "2025年3月被告周海向原告借款18000元，至今未还。",
          "parties": [{"role": "plaintiff", "kind": "natural", "name": "", "address": "深圳市宝安区西乡街道"},
                      {"role": "defendant", "kind": "natural", "name": "周海", "address": "深圳市宝安区西乡街道"}]}


def test_assisted_filing_records_the_party_as_filer_and_the_staff_as_actor(point, users, travel):
    from yunting.workflows.filing.models import Filing, FilingEvent
    from yunting.workflows.sharedcourt.models import AssistedFiling
    from yunting.workflows.sharedcourt.services import assisted_filing_submit

    with pytest.raises(ApplicationError) as exc:
        assisted_filing_submit(actor=users["point_staff"], point=point, party_id_number="360426199101010072",
                               party_name="李娜", data=FILING)
    assert exc.value.code == "sharedcourt_id_number"
    with pytest.raises(ApplicationError) as exc:
        assisted_filing_submit(actor=users["judge"], point=point, party_id_number=users["defendant"].id_number,
                               party_name=users["defendant"].real_name, data=FILING)
    assert exc.value.code == "sharedcourt_not_staff"
    assert not Filing.objects.exists()

    for wrong in ("", "张三"):  # the name on the card must match the account's: no name lookup by ID number
        with pytest.raises(ApplicationError) as exc:
            assisted_filing_submit(actor=users["point_staff"], point=point,
                                   party_id_number=users["defendant"].id_number, party_name=wrong, data=FILING)
        assert exc.value.code == ("sharedcourt_party_name" if not wrong else "sharedcourt_no_account")
        assert users["defendant"].real_name not in str(exc.value.message)
    assert not Filing.objects.exists()
    filing = assisted_filing_submit(actor=users["point_staff"], point=point,
                                    party_id_number=users["defendant"].id_number,
                                    party_name=users["defendant"].real_name, data=FILING)
    assert filing.status == "submitted" and filing.filer == users["defendant"] and filing.court == point.court
    assert filing.parties.get(role="plaintiff").name == "李娜"
    record = AssistedFiling.objects.get(filing_id=filing.pk)
    assert (record.party, record.staff, record.travel_km) == (users["defendant"], users["point_staff"], 19)
    submitted = FilingEvent.objects.filter(filing=filing, kind="filing.submitted").get()
    assert submitted.actor == users["point_staff"]


def test_a_refused_filing_leaves_nothing(point, users):
    from yunting.workflows.filing.models import Filing
    from yunting.workflows.sharedcourt.models import AssistedFiling
    from yunting.workflows.sharedcourt.services import assisted_filing_submit

    with pytest.raises(ApplicationError):
        assisted_filing_submit(actor=users["point_staff"], point=point, party_id_number=users["defendant"].id_number,
                               party_name=users["defendant"].real_name, data={**FILING, "claims": []})
    assert not Filing.objects.exists() and not AssistedFiling.objects.exists()
