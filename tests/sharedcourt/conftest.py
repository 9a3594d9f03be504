import io
from datetime import datetime, time, timedelta

import pytest


def jpeg(width=800, height=1000, color=(200, 180, 160)) -> bytes:
    """A photo as the document camera takes it (the intake wants ≥ 720 px on the short side)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).ellipse((200, 200, 600, 700), fill=(90, 60, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def strokes_png(width=1800, height=720) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(100, 500), (600, 200), (1100, 520), (1600, 240)], fill=(0, 0, 0, 255), width=12)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def tomorrow(hour=9, minute=30):
    from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

    return datetime.combine(shanghai_today() + timedelta(days=1), time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def point(cast):
    """西乡街道共享法庭 (the cast's point organisation, with `point_staff`), registered by the court admin."""
    from yunting.core.people.models import Organisation
    from yunting.workflows.sharedcourt.models import ServicePoint

    orgs, _users = cast
    org = Organisation.objects.get(name="西乡街道共享法庭")
    return ServicePoint.objects.create(organisation=org, court=orgs["court"], kind="township", township="西乡街道",
                                       address="深圳市宝安区西乡街道宝源路108号",
                                       equipment=["signature_pad", "document_camera"], opening_hours="周一至周五")


@pytest.fixture
def other_point(cast, users):
    """福永街道共享法庭 with its own staff member `fuyong_staff`."""
    from yunting.core.people.services import user_create
    from yunting.workflows.sharedcourt.services import point_add_staff, point_create

    orgs, _ = cast
    p = point_create(actor=users["court_admin"], court=orgs["court"], name="福永街道共享法庭", kind="township",
                     township="福永街道", address="深圳市宝安区福永街道福永大道35号")
    user_create(username="fuyong_staff", password="pw-for-tests-123", real_name="梁志红", phone="13800138030")
    point_add_staff(actor=users["court_admin"], point=p, username="fuyong_staff")
    return p


@pytest.fixture
def travel(cast, users):
    from yunting.workflows.sharedcourt.services import travel_set

    orgs, _ = cast
    travel_set(actor=users["court_admin"], court=orgs["court"], township="西乡街道", distance_km="9.5", minutes=35)
    travel_set(actor=users["court_admin"], court=orgs["court"], township="福永街道", distance_km="20", minutes=55)


@pytest.fixture
def room_case(cast):
    """A civil case the demo judge hears, with the plaintiff and the defendant on their own accounts."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    orgs, users = cast
    data = CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[
            PartyInput(role="plaintiff", kind="natural", name=users["plaintiff"].real_name,
                       id_number=users["plaintiff"].id_number, user=users["plaintiff"], phone=users["plaintiff"].phone),
            PartyInput(role="defendant", kind="natural", name=users["defendant"].real_name,
                       id_number=users["defendant"].id_number, user=users["defendant"], phone=users["defendant"].phone),
        ],
        participants=[(users["judge"], "judge"), (users["clerk"], "clerk")],
        security_level="internal",
    )
    return case_open(data=data, actor=users["filing_officer"])


@pytest.fixture
def hearing(room_case, users):
    from yunting.core.rooms.services import room_open

    return room_open(room_case, "hearing", users["judge"],
                     [(users["plaintiff"], "plaintiff"), (users["defendant"], "defendant")])


@pytest.fixture
def seat(hearing):
    from yunting.core.rooms.models import Participant

    def get(user):
        return Participant.objects.get(room=hearing, user=user)

    return get


@pytest.fixture
def approved(hearing, point, users, travel):
    """The defendant's attendance at 西乡 for tomorrow's hearing, applied for and approved by the judge."""
    from yunting.workflows.sharedcourt.services import attendance_apply, attendance_decide

    a = attendance_apply(actor=users["defendant"], room=hearing, point=point, scheduled_at=tomorrow(),
                         reason="不会用手机")
    return attendance_decide(actor=users["judge"], attendance=a, approve=True)


def kinds(case) -> list[str]:
    from yunting.core.journal.models import JournalEntry

    return list(JournalEntry.objects.filter(case=case).order_by("seq").values_list("kind", flat=True))


def approved_attendance(users):
    """Outside this package's fixtures (tests/intake): a hearing of a new case with the defendant's approved
    attendance at 西乡 (point_staff's point)."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.people.models import Organisation
    from yunting.core.rooms.services import room_open
    from yunting.workflows.sharedcourt.models import ServicePoint
    from yunting.workflows.sharedcourt.services import attendance_apply, attendance_decide

    court = Organisation.objects.get(court_code="粤0306")
    org = Organisation.objects.get(name="西乡街道共享法庭")
    point = ServicePoint.objects.filter(organisation=org).first() or ServicePoint.objects.create(
        organisation=org, court=court, kind="township", township="西乡街道", address="宝源路108号")
    case = case_open(data=CaseInput(
        court=court, case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[PartyInput(role="plaintiff", kind="natural", name=users["plaintiff"].real_name, user=users["plaintiff"]),
                 PartyInput(role="defendant", kind="natural", name=users["defendant"].real_name,
                            id_number=users["defendant"].id_number, user=users["defendant"])],
        participants=[(users["judge"], "judge")], security_level="internal"), actor=users["filing_officer"])
    room = room_open(case, "hearing", users["judge"], [(users["defendant"], "defendant")])
    a = attendance_apply(actor=users["defendant"], room=room, point=point, scheduled_at=tomorrow())
    return attendance_decide(actor=users["judge"], attendance=a, approve=True)
