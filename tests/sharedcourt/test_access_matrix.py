"""共享法庭 asked by everyone who should not get it (tests/hardening/matrix.py): the public list shows points and
nothing of any case; the registry, the case panel, the workbench, an attendance (its ID check, photo, joining,
presence, signature), assisted filing, statistics and the digest, and their API, answer strangers, another point's
staff and the case's other people with a refusal that names nothing. A full ID number is never on a page."""

import io

import pytest

from tests.hardening.matrix import STRANGERS, Req, make_strangers, run
from tests.sharedcourt.conftest import jpeg
from yunting.core.journal.models import JournalEntry
from yunting.workflows.filing.models import Filing
from yunting.workflows.sharedcourt.models import Attendance, ServicePoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(approved, users, make_case, other_point, room_case, point):
    from yunting.core.people.models import User
    from yunting.workflows.sharedcourt.services import attendance_check_identity

    attendance_check_identity(actor=users["point_staff"], attendance=approved,
                              id_number=users["defendant"].id_number, photo=io.BytesIO(jpeg()))
    approved.refresh_from_db()
    strangers = make_strangers(make_case, users)
    people = {"anonymous": None, "fuyong_staff": User.objects.get(username="fuyong_staff"),
              **{k: v for k, v in strangers.items() if k != "other_case"},
              **{k: users[k] for k in ("judge", "clerk", "lawyer", "plaintiff", "defendant", "point_staff")}}
    ids = {"case": room_case.pk, "a": approved.pk, "point": point.pk, "court": room_case.court_id}
    leaks = [room_case.number, users["defendant"].real_name, users["defendant"].id_number,
             approved.id_number_masked, users["defendant"].phone, "不会用手机"]

    def state():
        return (JournalEntry.objects.count(), Filing.objects.count(), ServicePoint.objects.count(),
                list(Attendance.objects.values_list("status", "id_checked_at", "joined_at", "presence_confirmed_at",
                                                    "photo_sha256")))

    return {"people": people, "ids": ids, "leaks": leaks, "state": state, "a": approved}


REFUSED_WEB = [
    ("GET", "/sharedcourt/manage/"),
    ("POST", "/sharedcourt/manage/"),
    ("GET", "/sharedcourt/manage/points/{point}/"),
    ("POST", "/sharedcourt/manage/points/{point}/"),
    ("GET", "/sharedcourt/cases/{case}/"),
    ("POST", "/sharedcourt/cases/{case}/"),
    ("GET", "/sharedcourt/workbench/"),
    ("GET", "/sharedcourt/filing/"),
    ("POST", "/sharedcourt/filing/"),
    ("GET", "/sharedcourt/attendances/{a}/"),
    ("POST", "/sharedcourt/attendances/{a}/decide/"),
    ("GET", "/sharedcourt/attendances/{a}/photo"),
    ("POST", "/sharedcourt/attendances/{a}/identity/"),
    ("POST", "/sharedcourt/attendances/{a}/join/"),
    ("POST", "/sharedcourt/attendances/{a}/presence/"),
    ("POST", "/sharedcourt/attendances/{a}/sign/"),
    ("GET", "/sharedcourt/stats/?court={court}"),
    ("GET", "/sharedcourt/digest/?court={court}"),
    ("GET", "/sharedcourt/digest/?court={court}&format=pdf"),
]
REFUSED_API = [
    ("GET", "/api/v1/sharedcourt/attendances/{a}"),
    ("GET", "/api/v1/sharedcourt/stats?court={court}"),
]
EMPTY_FOR_STRANGERS = [  # answered, with nothing of anyone else
    ("GET", "/sharedcourt/points/"),
    ("GET", "/sharedcourt/points/?q=宝源路"),
    ("GET", "/sharedcourt/mine/"),
]


def _body(req, ids):
    if req.method != "POST":
        return {}
    if req.path.endswith("/identity/"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {"id_number": "360426199101010071", "photo": SimpleUploadedFile("p.jpg", jpeg())}
    if req.path.endswith("/decide/"):
        return {"approve": "0", "reason": "x"}
    if req.path.endswith("/presence/"):
        return {"alone": "1"}
    if "/manage/" in req.path:
        return {"op": "create", "name": "假服务点", "kind": "township", "township": "某镇", "address": "某路1号",
                "court": ids["court"]}
    if req.path.endswith("/filing/"):
        return {"id_number": "360426199101010071", "cause": "民间借贷纠纷", "claims": "还钱", "facts": "借钱",
                "defendant_name": "某某"}
    return {"op": "apply", "seat": "1", "point": ids["point"], "scheduled_at": "2026-12-01T09:30"}


def _requests(who):
    anon = who == "anonymous"
    reqs = [Req(who, m, t, ok=() if anon else (404,)) for m, t in REFUSED_WEB]
    reqs += [Req(who, m, t, api=True, ok=(401,) if anon else (404,)) for m, t in REFUSED_API]
    reqs += [Req(who, m, t, ok=(302,) if anon and "mine" in t else (200,)) for m, t in EMPTY_FOR_STRANGERS]
    reqs += [Req(who, "GET", "/api/v1/sharedcourt/points?q=宝源路", ok=(200,))]
    if not anon:
        reqs.append(Req(who, "GET", "/api/v1/sharedcourt/sessions", api=True, ok=(200,)))
    return reqs


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_nothing(world, who):
    reqs = _requests(who)
    if who == "other_judge":  # a judge of another court sees their own court's numbers, never ours
        for r in reqs:
            if "/stats" in r.path and not r.api or "/digest" in r.path:
                r.ok, r.leaks = (200,), (*world["leaks"], "西乡")
    run(reqs, people=world["people"], ids=world["ids"], leaks=world["leaks"],
        state=world["state"], body_for=_body)


ATTENDANCE = [("GET", "/sharedcourt/attendances/{a}/"), ("GET", "/sharedcourt/attendances/{a}/photo"),
              ("POST", "/sharedcourt/attendances/{a}/identity/"), ("POST", "/sharedcourt/attendances/{a}/join/"),
              ("POST", "/sharedcourt/attendances/{a}/presence/"), ("POST", "/sharedcourt/attendances/{a}/sign/"),
              ("POST", "/sharedcourt/attendances/{a}/decide/")]


@pytest.mark.parametrize("who", ["fuyong_staff", "plaintiff", "lawyer"])
def test_another_points_staff_and_the_other_side_get_nothing_of_the_attendance(world, who):
    reqs = [Req(who, m, t, ok=(404,)) for m, t in ATTENDANCE]
    reqs.append(Req(who, "GET", "/api/v1/sharedcourt/attendances/{a}", api=True, ok=(404,)))
    if who == "fuyong_staff":
        reqs += [Req(who, "GET", "/sharedcourt/workbench/", ok=(200,)),
                 Req(who, "GET", "/api/v1/sharedcourt/sessions", api=True, ok=(200,))]
    else:  # the case panel: their own attendances only
        reqs.append(Req(who, "GET", "/sharedcourt/cases/{case}/", ok=(200,) if who == "plaintiff" else (404,),
                        leaks=(world["a"].id_number_masked, "不会用手机", f"/sharedcourt/attendances/{world['a'].pk}/")))
    leaks = [w for w in world["leaks"] if w != world["ids"]["case"]]
    if who != "fuyong_staff":
        leaks = [world["people"]["defendant"].id_number, world["a"].id_number_masked, "不会用手机"]
    run(reqs, people=world["people"], ids=world["ids"], leaks=leaks, state=world["state"], body_for=_body)


def test_the_attendee_never_gets_the_photo_or_the_staffs_acts(world):
    reqs = [Req("defendant", m, t, ok=(404,)) for m, t in ATTENDANCE[1:]]
    reqs.append(Req("defendant", "GET", "/sharedcourt/attendances/{a}/", ok=(200,)))
    run(reqs, people=world["people"], ids=world["ids"], leaks=[world["people"]["defendant"].id_number, "id-photo"],
        state=world["state"], body_for=_body)


@pytest.mark.parametrize("who", ["point_staff", "judge", "clerk"])
def test_the_full_id_number_is_never_on_a_page_or_in_the_api(world, who):
    reqs = [Req(who, "GET", "/sharedcourt/attendances/{a}/", ok=(200,)),
            Req(who, "GET", "/api/v1/sharedcourt/attendances/{a}", api=True, ok=(200,))]
    reqs.append(Req(who, "GET", "/sharedcourt/workbench/" if who == "point_staff" else "/sharedcourt/cases/{case}/",
                    ok=(200,)))
    run(reqs, people=world["people"], ids=world["ids"], leaks=[world["people"]["defendant"].id_number],
        state=world["state"])
