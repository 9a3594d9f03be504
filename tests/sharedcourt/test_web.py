"""共享法庭 pages and API: the public list (no login), the case panel (apply, decide), the staff workbench (identity,
join for the party into the courtroom page, presence, signature), the photo only for the court and the staff,
statistics and the digest for court staff only, the API's points, sessions and stats."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.sharedcourt.conftest import jpeg, kinds, strokes_png, tomorrow
from yunting.kernel.security.models import ReadLog

pytestmark = pytest.mark.django_db


def test_public_list_needs_no_login_and_searches(client, point, other_point):
    res = client.get("/sharedcourt/points/")
    text = res.content.decode()
    assert res.status_code == 200 and "西乡街道共享法庭" in text and "福永街道共享法庭" in text
    text = client.get("/sharedcourt/points/", {"q": "福永"}).content.decode()
    assert "福永街道共享法庭" in text and "西乡街道共享法庭" not in text
    assert client.get("/sharedcourt/points/", {"page": "abc"}).status_code == 200
    api = client.get("/api/v1/sharedcourt/points", {"q": "宝源路"}).json()
    assert [p["name"] for p in api["items"]] == ["西乡街道共享法庭"] and api["count"] == 1


def test_court_admin_manages_the_registry_and_travel_table(client, users, cast):
    from yunting.workflows.sharedcourt.models import ServicePoint, TravelEstimate

    client.force_login(users["judge"])
    assert client.get("/sharedcourt/manage/").status_code == 404
    client.force_login(users["court_admin"])
    assert client.get("/sharedcourt/manage/").status_code == 200
    client.post("/sharedcourt/manage/", {"op": "create", "name": "石岩银行网点", "kind": "bank", "township": "石岩街道",
                                         "address": "石龙仔路2号", "equipment": ["signature_pad", "document_camera"]})
    p = ServicePoint.objects.get(organisation__name="石岩银行网点")
    assert p.equipment == ["signature_pad", "document_camera"]
    res = client.post("/sharedcourt/manage/", {"op": "travel", "township": "石岩街道", "distance_km": "二十",
                                               "minutes": "60"}, follow=True)
    assert "alert-danger" in res.content.decode() and not TravelEstimate.objects.exists()
    client.post("/sharedcourt/manage/", {"op": "travel", "township": "石岩街道", "distance_km": "22", "minutes": "60"})
    assert TravelEstimate.objects.get().minutes == 60
    client.post(f"/sharedcourt/manage/points/{p.pk}/", {"op": "add_staff", "username": "point_staff"})
    assert "罗美华" in client.get(f"/sharedcourt/manage/points/{p.pk}/").content.decode()


def test_party_applies_and_judge_decides_on_the_case_page(client, users, hearing, point, seat, room_case):
    from yunting.workflows.sharedcourt.models import Attendance

    client.force_login(users["defendant"])
    page = client.get(f"/sharedcourt/cases/{room_case.pk}/").content.decode()
    assert "apply-form" in page
    when = tomorrow().strftime("%Y-%m-%dT%H:%M")
    client.post(f"/sharedcourt/cases/{room_case.pk}/", {"op": "apply", "seat": seat(users["defendant"]).pk,
                                                        "point": point.pk, "scheduled_at": when, "reason": "不会上网"})
    a = Attendance.objects.get()
    assert a.status == "requested" and a.scheduled_at == tomorrow()
    client.force_login(users["plaintiff"])  # another party: sees only their own
    assert "不会上网" not in client.get(f"/sharedcourt/cases/{room_case.pk}/").content.decode()
    assert client.get(f"/sharedcourt/attendances/{a.pk}/").status_code == 404
    client.force_login(users["lawyer"])  # not in the case
    assert client.get(f"/sharedcourt/cases/{room_case.pk}/").status_code == 404
    client.force_login(users["judge"])
    assert "decide-form" in client.get(f"/sharedcourt/cases/{room_case.pk}/").content.decode()
    res = client.post(f"/sharedcourt/attendances/{a.pk}/decide/", {"approve": "0", "reason": ""}, follow=True)
    assert "alert-danger" in res.content.decode()
    client.post(f"/sharedcourt/attendances/{a.pk}/decide/", {"approve": "1"})
    a.refresh_from_db()
    assert a.status == "approved"
    assert ReadLog.objects.filter(action="sharedcourt.case", case_id=room_case.pk, user_id=users["judge"].pk).exists()


def test_staff_checks_identity_joins_for_the_party_and_confirms(client, users, approved, room_case):
    staff = client
    staff.force_login(users["point_staff"])
    page = staff.get("/sharedcourt/workbench/").content.decode()
    assert f"/sharedcourt/attendances/{approved.pk}/" in page and "李娜" in page
    res = staff.post(f"/sharedcourt/attendances/{approved.pk}/identity/",
                     {"id_number": "360426199101010072", "photo": SimpleUploadedFile("p.jpg", jpeg())}, follow=True)
    assert "alert-danger" in res.content.decode()
    approved.refresh_from_db()
    assert approved.id_checked_at is None
    staff.post(f"/sharedcourt/attendances/{approved.pk}/identity/",
               {"id_number": users["defendant"].id_number, "photo": SimpleUploadedFile("p.jpg", jpeg())})
    approved.refresh_from_db()
    page = staff.get(f"/sharedcourt/attendances/{approved.pk}/").content.decode()
    assert approved.id_number_masked in page and users["defendant"].id_number not in page
    assert staff.get(f"/sharedcourt/attendances/{approved.pk}/photo")["Content-Type"] == "image/jpeg"

    res = staff.post(f"/sharedcourt/attendances/{approved.pk}/join/")
    assert res.status_code == 302 and res["Location"] == f"/rooms/{approved.room_id}/"
    room = staff.get(res["Location"]).content.decode()
    assert "被告" in room and 'data-testid="emblem"' in room  # the courtroom itself, in the party's seat
    staff.post(f"/sharedcourt/attendances/{approved.pk}/presence/", {"alone": "1"})
    staff.post(f"/sharedcourt/attendances/{approved.pk}/sign/",
               {"strokes": "data:image/png;base64," + base64.b64encode(strokes_png()).decode(), "title": "到场确认书"})
    assert kinds(room_case)[-5:] == ["sharedcourt.identity_checked", "room.verified", "sharedcourt.assisted_join",
                                     "sharedcourt.presence_confirmed", "sharedcourt.signed"]
    page = staff.get(f"/sharedcourt/attendances/{approved.pk}/").content.decode()
    assert 'data-testid="presence"' in page and 'data-testid="signature"' in page and "罗美华" in page


def test_the_photo_is_for_the_court_and_the_staff_only(client, users, approved, other_point):
    import io

    from yunting.workflows.sharedcourt.services import attendance_check_identity

    attendance_check_identity(actor=users["point_staff"], attendance=approved,
                              id_number=users["defendant"].id_number, photo=io.BytesIO(jpeg()))
    url = f"/sharedcourt/attendances/{approved.pk}/photo"
    for who, status in (("judge", 200), ("point_staff", 200), ("defendant", 404), ("plaintiff", 404),
                        ("lawyer", 404)):
        client.force_login(users[who])
        assert client.get(url).status_code == status, who
    from yunting.core.people.models import User

    client.force_login(User.objects.get(username="fuyong_staff"))
    assert client.get(url).status_code == 404
    assert client.get(f"/sharedcourt/attendances/{approved.pk}/").status_code == 404
    assert client.get("/sharedcourt/workbench/").content.decode().count("data-testid=\"session\"") == 0
    assert ReadLog.objects.filter(action="sharedcourt.photo", user_id=users["judge"].pk).exists()


def test_stats_and_digest_for_court_staff_only(client, users, approved):
    client.force_login(users["plaintiff"])
    assert client.get("/sharedcourt/stats/").status_code == 404
    assert client.get("/sharedcourt/digest/").status_code == 404
    client.force_login(users["judge"])
    assert "西乡街道共享法庭" in client.get("/sharedcourt/stats/").content.decode()
    assert client.get("/sharedcourt/digest/").status_code == 200
    pdf = client.get("/sharedcourt/digest/", {"format": "pdf", "week": "2026-11-16"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_api_sessions_attendance_and_stats(bearer, users, approved, other_point):
    staff = bearer("point_staff").get("/api/v1/sharedcourt/sessions").json()
    assert [s["id"] for s in staff["items"]] == [approved.pk] and staff["items"][0]["party_name"] == "李娜"
    assert bearer("plaintiff").get("/api/v1/sharedcourt/sessions").json()["items"] == []
    assert bearer("defendant").get(f"/api/v1/sharedcourt/attendances/{approved.pk}").status_code == 200
    assert bearer("plaintiff").get(f"/api/v1/sharedcourt/attendances/{approved.pk}").status_code == 404
    assert bearer("judge").get("/api/v1/sharedcourt/stats").json()["sessions"] == 0
    assert bearer("plaintiff").get("/api/v1/sharedcourt/stats").status_code == 404


def test_assisted_filing_page_shows_both(client, users, point):
    client.force_login(users["point_staff"])
    res = client.post("/sharedcourt/filing/", {
        "id_number": users["defendant"].id_number, "party_name": users["defendant"].real_name,
        "cause": "民间借贷纠纷", "claim_amount": "18000",
        "claims": "判令被告偿还借款18000元", "facts": "被告借款未还。", "defendant_name": "周海",
        "defendant_address": "深圳市宝安区"}, follow=True)
    page = res.content.decode()
    assert 'data-testid="assisted-filing"' in page and "李娜" in page and "罗美华" in page
    client.force_login(users["judge"])
    assert client.get("/sharedcourt/filing/").status_code == 404
