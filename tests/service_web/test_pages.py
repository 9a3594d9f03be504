"""The 送达 pages through the requests a browser makes: the judge's 送达 on the case page, who may see which task
(party, officer, outsider), the officer's workbench and attempt forms, statistics."""

from datetime import date, timedelta

import pytest
import time_machine

from tests.intake.test_drawn_strokes import signature_across_the_pad
from yunting.core.service.models import ServiceAttempt, ServiceTask
from yunting.kernel.security.models import ReadLog

pytestmark = pytest.mark.django_db


def test_the_judge_serves_a_sealed_notice_on_both_parties_from_the_case_page(web_case, as_user):
    judge = as_user("judge")
    html = judge.get(f"/cases/{web_case.case.pk}/").content.decode()
    assert 'data-testid="service-panel"' in html and "送达" in html
    # the sealed notice is offered (checked), its unsealed earlier versions are not; the complaint is offered too
    assert f'value="{web_case.notice.pk}" id="sd-{web_case.notice.pk}" checked' in html
    assert html.count("应诉通知书") == 1 and "民事起诉状" in html
    response = judge.post(f"/service/cases/{web_case.case.pk}/request/", {
        "document": [web_case.notice.pk], "recipient": [web_case.plaintiff.pk, web_case.defendant.pk]})
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{web_case.case.pk}/#service")
    tasks = ServiceTask.objects.filter(case=web_case.case)
    assert sorted(t.recipient_id for t in tasks) == sorted([web_case.plaintiff.pk, web_case.defendant.pk])
    html = judge.get(f"/cases/{web_case.case.pk}/").content.decode()
    assert "已提交送达中心：生成 2 项送达任务。" in html
    assert html.count('data-testid="service-task-status"') == 2


def test_a_request_without_documents_is_refused_in_chinese_and_creates_nothing(web_case, as_user):
    judge = as_user("judge")
    response = judge.post(f"/service/cases/{web_case.case.pk}/request/", {"recipient": [web_case.defendant.pk]},
                          follow=True)
    assert ServiceTask.objects.count() == 0
    assert 'alert-danger' in response.content.decode()


@pytest.mark.parametrize("who", ["plaintiff", "defendant", "service_officer", "mediator"])
def test_only_court_staff_of_the_case_may_request_service(web_case, as_user, who):
    response = as_user(who).post(f"/service/cases/{web_case.case.pk}/request/", {
        "document": [web_case.notice.pk], "recipient": [web_case.defendant.pk]})
    assert response.status_code == 404
    assert ServiceTask.objects.count() == 0


def test_a_party_sees_only_what_is_served_on_them_and_opening_it_is_the_read_receipt(
        web_case, as_user, consent, request_service, users):
    from yunting.core.service.services import service_dispatch

    consent(web_case.case, web_case.defendant, channels=["portal"])
    consent(web_case.case, web_case.plaintiff, channels=["portal"])
    mine, theirs = (request_service(web_case.case, [web_case.notice], [p])[0]
                    for p in (web_case.defendant, web_case.plaintiff))
    service_dispatch(task=mine, actor=users["service_officer"], channel="portal")
    defendant = as_user("defendant")
    home = defendant.get("/").content.decode()  # the party's home says what waits to be opened
    assert 'data-testid="served-unread"' in home and web_case.case.number in home
    html = defendant.get(f"/cases/{web_case.case.pk}/").content.decode()
    assert 'data-testid="served-on-me"' in html and 'data-testid="service-panel"' not in html
    assert f"/service/served/{mine.pk}/documents/{web_case.notice.pk}" in html
    assert f"/service/served/{theirs.pk}/" not in html
    # the other party's task: not there (404), whichever document id is asked
    assert defendant.get(f"/service/served/{theirs.pk}/documents/{web_case.notice.pk}").status_code == 404
    # a document of the case that was not served in this task
    assert defendant.get(f"/service/served/{mine.pk}/documents/{web_case.complaint.pk}").status_code == 404
    response = defendant.get(f"/service/served/{mine.pk}/documents/{web_case.notice.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert ServiceAttempt.objects.filter(task=mine, channel="portal", outcome="read").count() == 1
    defendant.get(f"/service/served/{mine.pk}/documents/{web_case.notice.pk}")  # once only
    assert ServiceAttempt.objects.filter(task=mine, channel="portal", outcome="read").count() == 1
    assert 'data-testid="served-unread"' not in defendant.get("/").content.decode()
    # and the task pages are not theirs at all
    assert defendant.get(f"/service/tasks/{mine.pk}/").status_code == 404
    assert defendant.get("/service/").status_code == 404


def test_the_officer_sees_the_task_not_the_merits_and_outsiders_get_404(web_case, as_user, request_service):
    [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    officer = as_user("service_officer")
    html = officer.get(f"/service/tasks/{task.pk}/").content.decode()
    assert "李娜" in html and web_case.case.number in html and "应诉通知书" in html
    assert "3604**********0071" in html and "360426199101010071" not in html
    assert "139****4321" in html and "13987654321" not in html
    assert "诉讼请求" not in html and "十万元" not in html  # no claims, no evidence
    # the case itself, its e-file and its documents stay closed to the officer
    assert officer.get(f"/cases/{web_case.case.pk}/").status_code == 404
    assert officer.get(f"/cases/{web_case.case.pk}/efile/").status_code == 404
    assert officer.get(f"/documents/{web_case.complaint.pk}/content").status_code == 404
    # someone of no standing: the task does not exist, nor does the workbench
    for who in ("mediator", "lawyer", "plaintiff"):
        client = as_user(who)
        assert client.get(f"/service/tasks/{task.pk}/").status_code == 404
        assert client.post(f"/service/tasks/{task.pk}/contact/").status_code == 404
        assert client.post(f"/service/tasks/{task.pk}/attempts/", {"channel": "phone", "phrase": "no_answer"}
                           ).status_code == 404
    assert as_user("mediator").get("/service/tasks/999999/").status_code == 404
    assert ServiceAttempt.objects.count() == 0
    # the judge of the case follows the task from the case page's panel
    assert as_user("judge").get(f"/service/tasks/{task.pk}/").status_code == 200


def test_viewing_the_full_contact_data_shows_it_once_and_is_logged(web_case, as_user, request_service, users):
    [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    officer = as_user("service_officer")
    before = ReadLog.objects.filter(action="service.contact_unmasked").count()
    response = officer.post(f"/service/tasks/{task.pk}/contact/")
    html = response.content.decode()
    assert "360426199101010071" in html and "13987654321" in html
    assert response["Cache-Control"] == "private, no-store"
    logged = ReadLog.objects.filter(action="service.contact_unmasked").order_by("-id")
    assert logged.count() == before + 1 and logged[0].user_id == users["service_officer"].pk
    assert logged[0].object_id == str(task.pk)
    assert "360426199101010071" not in officer.get(f"/service/tasks/{task.pk}/").content.decode()


def test_the_workbench_lists_by_deadline_filters_and_pages(web_case, as_user, request_service):
    [first] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    ServiceTask.objects.filter(pk=first.pk).update(due_on=first.due_on - timedelta(days=30))  # overdue
    for _ in range(13):
        request_service(web_case.case, [web_case.complaint], [web_case.plaintiff, web_case.defendant])
    officer = as_user("service_officer")
    html = officer.get("/service/").content.decode()
    assert 'data-testid="queue"' in html and "共 27 项任务" in html
    rows = html.split('<tr data-task="')[1:]
    assert rows[0].startswith(f"{first.pk}\"") and "已超期" in rows[0]  # soonest deadline first
    assert len(rows) == 25 and "?page=2" in html
    assert len(officer.get("/service/", {"page": "2"}).content.decode().split('<tr data-task="')) - 1 == 2
    assert len(officer.get("/service/", {"per": "200"}).content.decode().split('<tr data-task="')) - 1 == 27
    overdue = officer.get("/service/", {"overdue": "1"}).content.decode()
    assert "共 1 项任务" in overdue
    assert "共 0 项任务" in officer.get("/service/", {"q": "不存在的人"}).content.decode()
    assert "共 14 项任务" in officer.get("/service/", {"q": "李娜"}).content.decode()
    assert "共 0 项任务" in officer.get("/service/", {"status": "served"}).content.decode()
    # the judge has no workbench: it exists only for service officers
    assert as_user("judge").get("/service/").status_code == 404


def test_bulk_sms_sends_to_consenting_recipients_and_lists_the_rest(web_case, as_user, consent, request_service):
    from yunting.kernel.notify.models import OutboxMessage

    consent(web_case.case, web_case.defendant, channels=["sms"])
    tasks = request_service(web_case.case, [web_case.notice], [web_case.defendant, web_case.plaintiff])
    officer = as_user("service_officer")
    response = officer.post("/service/bulk/", {"task": [t.pk for t in tasks]}, HTTP_ACCEPT="application/json")
    data = response.json()
    assert data["sent"] == 1 and len(data["failed"]) == 1
    assert data["failed"][0]["recipient"] == "张伟" and data["failed"][0]["message"]
    sms = OutboxMessage.objects.get(purpose=f"service:{[t for t in tasks if t.recipient_id == web_case.defendant.pk][0].pk}")
    assert "深圳市宝安区人民法院" in sms.body and "/s/" in sms.body
    # a task id that is not the officer's court's is ignored, not sent
    assert officer.post("/service/bulk/", {"task": ["999999"]}, HTTP_ACCEPT="application/json").status_code == 400


def _signature_png() -> str:
    """A signature drawn from edge to edge of the pad, the shape the paper finder once took for a sheet."""
    import base64

    return "data:image/png;base64," + base64.b64encode(signature_across_the_pad()).decode()


@time_machine.travel("2026-12-20 10:00 +08:00", tick=False)
def test_the_officer_records_phone_post_and_direct_service(web_case, as_user, request_service):
    with time_machine.travel("2026-12-01 09:00 +08:00", tick=False):
        [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    officer = as_user("service_officer")
    url = f"/service/tasks/{task.pk}/attempts/"
    # phone: a phrase is required; the phrase fixes the outcome
    html = officer.post(url, {"channel": "phone"}, follow=True).content.decode()
    assert "请选择通话情况" in html and ServiceAttempt.objects.count() == 0
    officer.post(url, {"channel": "phone", "phrase": "no_answer", "at": "2026-12-04T10:00"})
    a = ServiceAttempt.objects.get(task=task)
    assert a.outcome == "failed" and a.phrase == "no_answer" and a.officer.username == "service_officer"
    # post: returned mail is a failure with its EMS number
    officer.post(url, {"channel": "post", "ems": "el123456789cn", "returned": "1", "reason": "查无此人",
                       "at": "2026-12-05"})
    a = ServiceAttempt.objects.filter(task=task).order_by("-id").first()
    assert a.channel == "post" and a.outcome == "failed" and a.tracking_number == "EL123456789CN"
    assert "查无此人" in a.note
    # direct: without a signature nothing is recorded; with one, through the checked intake, the task is served
    html = officer.post(url, {"channel": "direct", "outcome": "delivered"}, follow=True).content.decode()
    assert "请先由受送达人在平板上签名" in html and ServiceAttempt.objects.filter(task=task).count() == 2
    officer.post(url, {"channel": "direct", "outcome": "delivered", "signature": _signature_png(),
                       "address": "天津市河西区友谊路 1 号"})
    task.refresh_from_db()
    assert task.status == "served" and task.served_channel == "direct"
    a = ServiceAttempt.objects.filter(task=task).order_by("-id").first()
    assert a.signature_sha256
    from yunting.core.efile.models import Upload

    assert Upload.objects.filter(purpose="service_attempt", status="accepted", sha256=a.signature_sha256).exists()
    html = officer.get(f"/service/tasks/{task.pk}/").content.decode()
    assert html.count("<tr data-outcome=") == 3 and "EL123456789CN" in html and 'data-status="served"' in html


def test_a_recording_that_is_not_audio_is_refused_by_the_intake_and_nothing_is_recorded(
        web_case, as_user, request_service):
    from django.core.files.uploadedfile import SimpleUploadedFile

    [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    officer = as_user("service_officer")
    fake = SimpleUploadedFile("call.mp3", b"MZ\x90\x00 this is a program, not a recording" * 10)
    html = officer.post(f"/service/tasks/{task.pk}/attempts/", {"channel": "phone", "phrase": "confirmed",
                                                                 "recording": fake}, follow=True).content.decode()
    assert "alert-danger" in html
    assert ServiceAttempt.objects.filter(task=task).count() == 0


@time_machine.travel("2026-12-10 18:00 +08:00", tick=False)
def test_an_announcement_serves_on_its_deemed_date(web_case, as_user, request_service):
    with time_machine.travel("2026-12-01 09:00 +08:00", tick=False):
        [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    as_user("service_officer").post(f"/service/tasks/{task.pk}/attempts/", {
        "channel": "announcement", "at": "2026-12-09", "where": "人民法院公告网"})
    task.refresh_from_db()
    assert task.status == "served" and task.served_channel == "announcement"
    assert task.served_on == date(2027, 1, 8)  # 30 days after publication on 12-09 (a Friday)


def test_statistics_for_the_service_centre(web_case, as_user, consent, request_service, users):
    from yunting.core.service.services import service_dispatch

    consent(web_case.case, web_case.defendant, channels=["portal"])
    tasks = request_service(web_case.case, [web_case.notice], [web_case.defendant, web_case.plaintiff])
    service_dispatch(task=[t for t in tasks if t.recipient_id == web_case.defendant.pk][0],
                     actor=users["service_officer"], channel="portal")
    html = as_user("service_officer").get("/service/stats/").content.decode()
    assert 'data-testid="stat-total">2<' in html
    assert 'data-testid="stat-success">50.0%<' in html
    assert 'data-testid="stat-electronic">100.0%<' in html
    assert "平台账户" in html or "Platform account" in html
    assert as_user("judge").get("/service/stats/").status_code == 404
    assert as_user("plaintiff").get("/service/stats/").status_code == 404


def test_the_judge_is_told_on_the_workbench_when_all_are_served(web_case, as_user, consent, request_service, users):
    from yunting.core.service.services import service_dispatch

    consent(web_case.case, web_case.defendant, channels=["portal"])
    consent(web_case.case, web_case.plaintiff, channels=["portal"])
    tasks = request_service(web_case.case, [web_case.notice], [web_case.defendant, web_case.plaintiff])
    judge = as_user("judge")
    assert 'data-testid="service-notices"' not in judge.get("/").content.decode()
    for t in tasks:
        service_dispatch(task=t, actor=users["service_officer"], channel="portal")
    html = judge.get("/").content.decode()
    assert 'data-testid="service-notices"' in html and web_case.case.number in html
    case_html = judge.get(f"/cases/{web_case.case.pk}/").content.decode()
    assert 'data-testid="service-all-served"' in case_html
    assert 'data-testid="service-notices"' not in judge.get("/").content.decode()  # read once the case is opened
    assert 'data-testid="service-notices"' not in as_user("plaintiff").get("/").content.decode()


def test_the_service_pages_render_in_english(web_case, as_user, request_service):
    [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    officer = as_user("service_officer")
    officer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Service workbench" in officer.get("/service/").content.decode()
    html = officer.get(f"/service/tasks/{task.pk}/").content.decode()
    assert "Proposed channel order" in html and "Attempt log" in html and "Post (EMS)" in html
    assert "Success rate" in officer.get("/service/stats/").content.decode()


def test_consent_is_recorded_by_the_officer_or_given_by_the_party_and_opens_electronic_channels(
        web_case, as_user, request_service):
    from yunting.core.journal.models import JournalEntry
    from yunting.core.service.models import Consent

    [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    officer = as_user("service_officer")
    assert 'data-testid="dispatch-sms" disabled' in officer.get(f"/service/tasks/{task.pk}/").content.decode()
    # refused: no channel chosen; nothing recorded
    html = officer.post(f"/service/tasks/{task.pk}/consent/", {"form": "explicit", "confirmed_by": "phone"},
                        follow=True).content.decode()
    assert "alert-danger" in html and not Consent.objects.exists()
    officer.post(f"/service/tasks/{task.pk}/consent/", {"form": "explicit", "confirmed_by": "phone",
                                                         "channels": ["sms"]})
    consent = Consent.objects.get(party=web_case.defendant)
    assert consent.channels == ["sms"] and consent.confirmed_by == "phone"
    assert JournalEntry.objects.filter(case=web_case.case, kind="service.consented").count() == 1
    html = officer.get(f"/service/tasks/{task.pk}/").content.decode()
    assert 'data-testid="dispatch-sms"' in html and 'data-testid="dispatch-sms" disabled' not in html
    # the plaintiff agrees on their own case page, for their own party only
    plaintiff = as_user("plaintiff")
    assert 'data-testid="party-consent"' in plaintiff.get(f"/cases/{web_case.case.pk}/").content.decode()
    plaintiff.post(f"/service/cases/{web_case.case.pk}/consent/", {"channels": ["portal"]})
    mine = Consent.objects.get(party=web_case.plaintiff)
    assert mine.channels == ["portal"] and mine.confirmed_by == "platform" and mine.form == "explicit"
    assert as_user("mediator").post(f"/service/cases/{web_case.case.pk}/consent/",
                                    {"channels": ["portal"]}).status_code == 404
