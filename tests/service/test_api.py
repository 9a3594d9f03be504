"""The API of issue 11, exactly: shapes, who may do what, and 404 (never 403) for everyone else."""

import pytest

from yunting.core.service import services as svc
from yunting.core.service.models import ServiceAttempt, ServiceTask

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_request_read_and_record_through_the_api(svc_case, users, bearer):
    case, plaintiff, defendant, complaint = svc_case
    svc.consent_record(case=case, party=defendant, form="explicit", channels=["portal"], actor=users["clerk"])
    judge = bearer("judge")
    r = _post(judge, f"/api/v1/cases/{case.pk}/service", {"documents": [complaint.pk], "recipients": [defendant.pk]})
    assert r.status_code == 201, r.content
    [task] = r.json()["tasks"]
    assert set(task) >= {"id", "recipient", "plan", "status"}
    assert task["recipient"] == defendant.pk and task["status"] == "pending"
    assert task["plan"][0] == {"channel": "portal", "reason": "按常规顺序：平台账户"}
    assert task["plan"][-1]["channel"] == "announcement"

    officer = bearer("service_officer")
    r = officer.get(f"/api/v1/service/tasks/{task['id']}")
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("id", "case_id", "status", "served_on", "served_channel", "attempts")} == {
        "id": task["id"], "case_id": case.pk, "status": "pending", "served_on": None, "served_channel": None,
        "attempts": []}

    r = _post(officer, f"/api/v1/service/tasks/{task['id']}/attempts",
              {"channel": "portal", "outcome": "delivered", "note": "已推送至受送达人账户"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "served" and body["served_channel"] == "portal" and body["served_on"]
    assert [(a["channel"], a["outcome"], a["note"]) for a in body["attempts"]] == [
        ("portal", "delivered", "已推送至受送达人账户")]
    assert set(body["attempts"][0]) >= {"channel", "at", "outcome", "note"}

    r = judge.get(f"/api/v1/cases/{case.pk}/service")
    assert r.status_code == 200
    status = r.json()
    assert status["all_served"] is True
    [row] = status["recipients"]
    assert row["recipient"]["id"] == defendant.pk
    assert row["documents"] == [{"document_id": complaint.pk, "title": complaint.title, "status": "served",
                                 "served_on": body["served_on"], "served_channel": "portal", "task_id": task["id"]}]


def test_announcement_published_sets_the_deemed_date(svc_case, users, bearer):
    import time_machine

    case, plaintiff, defendant, complaint = svc_case
    with time_machine.travel("2026-09-01 10:00 +08:00", tick=True):
        [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk],
                                     actor=users["judge"])
        r = _post(bearer("service_officer"), f"/api/v1/service/tasks/{task.pk}/attempts",
                  {"channel": "announcement", "outcome": "published", "note": "人民法院公告网",
                   "at": "2026-09-01T09:00"})
    assert r.status_code == 201, r.content
    assert r.json()["served_on"] == "2026-10-08"


def test_bad_input_is_400_and_changes_nothing(svc_case, users, bearer):
    case, plaintiff, defendant, complaint = svc_case
    [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk], actor=users["judge"])
    officer = bearer("service_officer")
    for body in ({"channel": "pigeon", "outcome": "delivered"}, {"channel": "post", "outcome": "published"},
                 {"channel": "sms", "outcome": "delivered"}, {"channel": "post", "outcome": "delivered", "at": "x"}):
        r = _post(officer, f"/api/v1/service/tasks/{task.pk}/attempts", body)
        assert r.status_code == 400, body
        assert set(r.json()) == {"code", "message", "data"}
    assert r.json()["code"] == "service_when"
    assert not ServiceAttempt.objects.exists()
    r = _post(bearer("judge"), f"/api/v1/cases/{case.pk}/service", {"documents": [], "recipients": [defendant.pk]})
    assert r.status_code == 400 and r.json()["code"] == "service_documents"
    assert ServiceTask.objects.count() == 1


def test_outsiders_get_404_and_parties_see_only_their_own_side(svc_case, users, bearer, make_case):
    case, plaintiff, defendant, complaint = svc_case
    tasks = svc.service_request(case=case, documents=[complaint.pk], recipients=[plaintiff.pk, defendant.pk],
                                actor=users["judge"])
    to_plaintiff, to_defendant = tasks
    # a party (and anyone not in the case) may not ask for service, nor record attempts
    for who in ("defendant", "lawyer", "mediator"):
        client = bearer(who)
        r = _post(client, f"/api/v1/cases/{case.pk}/service", {"documents": [complaint.pk],
                                                                "recipients": [defendant.pk]})
        assert r.status_code == 404, who
        r = _post(client, f"/api/v1/service/tasks/{to_defendant.pk}/attempts",
                  {"channel": "post", "outcome": "delivered"})
        assert r.status_code == 404, who
    assert ServiceTask.objects.count() == 2 and not ServiceAttempt.objects.exists()
    # the defendant sees the task served on them, not the one served on the plaintiff
    defendant_client = bearer("defendant")
    assert defendant_client.get(f"/api/v1/service/tasks/{to_defendant.pk}").status_code == 200
    assert defendant_client.get(f"/api/v1/service/tasks/{to_plaintiff.pk}").status_code == 404
    rows = defendant_client.get(f"/api/v1/cases/{case.pk}/service").json()["recipients"]
    assert [r["recipient"]["id"] for r in rows] == [defendant.pk]
    # the plaintiff's lawyer sees the plaintiff's side only
    assert bearer("lawyer").get(f"/api/v1/service/tasks/{to_defendant.pk}").status_code == 404
    assert bearer("lawyer").get(f"/api/v1/service/tasks/{to_plaintiff.pk}").status_code == 200
    # a mediator of nothing here, a missing task and a missing case: the same 404
    for url in (f"/api/v1/service/tasks/{to_plaintiff.pk}", "/api/v1/service/tasks/999999",
                f"/api/v1/cases/{case.pk}/service", "/api/v1/cases/999999/service"):
        r = bearer("mediator").get(url)
        assert r.status_code == 404, url
    # a service officer of the court works it without taking part in the case
    assert bearer("service_officer").get(f"/api/v1/cases/{case.pk}/service").status_code == 200


def test_a_secret_case_is_not_in_the_service_officers_reach(make_case, add_document, users, bearer):
    case = make_case(security_level="secret")
    doc = add_document(case)
    [task] = svc.service_request(case=case, documents=[doc.pk], recipients=[case.parties.get(role="defendant").pk],
                                 actor=users["judge"])
    assert bearer("service_officer").get(f"/api/v1/service/tasks/{task.pk}").status_code == 404


def test_a_direct_service_signature_goes_through_the_checked_intake(svc_case, users, bearer):
    """The recipient's signature sent to the API enters like every upload: a drawing larger than any pad is refused
    by the intake's check (its Upload row says so) and records nothing; one that passes is the attempt's."""
    import base64

    from tests.intake.test_drawn_strokes import signature_across_the_pad, strokes_larger_than_any_pad
    from yunting.core.efile.models import Upload, UploadStatus
    from yunting.core.journal.models import JournalEntry

    case, plaintiff, defendant, complaint = svc_case
    [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk], actor=users["judge"])
    officer = bearer("service_officer")
    url = f"/api/v1/service/tasks/{task.pk}/attempts"
    direct = {"channel": "direct", "outcome": "delivered", "address_used": "深圳市宝安区西乡街道"}
    r = _post(officer, url, direct | {"signature_png": base64.b64encode(strokes_larger_than_any_pad()).decode()})
    assert r.status_code == 400 and r.json()["code"] == "service_outcome"
    assert "13000×13000" in r.json()["message"] and r.json()["data"]["field"] == "signature_png"
    refused = Upload.objects.get(pk=r.json()["data"]["upload_id"])
    assert (refused.purpose, refused.status) == ("service_attempt", UploadStatus.REFUSED)
    assert not ServiceAttempt.objects.exists()
    assert not JournalEntry.objects.filter(case=case, kind="service.attempted").exists()

    r = _post(officer, url, direct | {"signature_png": base64.b64encode(signature_across_the_pad()).decode()})
    assert r.status_code == 201, r.content
    accepted = Upload.objects.get(purpose="service_attempt", status=UploadStatus.ACCEPTED)
    assert ServiceAttempt.objects.get().signature_sha256 == accepted.document_id


def test_a_call_recording_sent_to_the_api_goes_through_the_checked_intake(svc_case, users, bearer):
    """As on the officer's page: a program named as a recording is refused and records nothing; a real recording
    is taken in as an Upload and is the attempt's."""
    import base64
    import io
    import wave

    from yunting.core.efile.models import Upload, UploadStatus

    case, plaintiff, defendant, complaint = svc_case
    [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk], actor=users["judge"])
    officer = bearer("service_officer")
    url = f"/api/v1/service/tasks/{task.pk}/attempts"
    call = {"channel": "phone", "outcome": "delivered", "phrase": "confirmed", "note": "电话告知"}
    program = b"MZ\x90\x00 this is a program, not a recording" * 10
    r = _post(officer, url, call | {"recording": base64.b64encode(program).decode()})
    assert r.status_code == 400 and r.json()["code"] == "upload_type", r.content
    assert not ServiceAttempt.objects.exists()

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(b"\x00\x10" * 8000)
    r = _post(officer, url, call | {"recording": base64.b64encode(buf.getvalue()).decode()})
    assert r.status_code == 201, r.content
    taken = Upload.objects.get(purpose="service_attempt", subject=f"service_task:{task.pk}")
    assert taken.status == UploadStatus.ACCEPTED
    assert ServiceAttempt.objects.get().recording_sha256 == taken.document_id
