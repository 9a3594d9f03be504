"""Service tasks through the service functions: consent, dispatch, attempts, escalation, deemed dates, deadlines,
masking and the immutability of attempts."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.utils import timezone

from yunting.core.service import services as svc
from yunting.core.service.errors import AttemptImmutable
from yunting.core.service.models import ContactPoint, ServiceAttempt, ServiceTask, SmsAccessLink
from yunting.kernel.common.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def _consent(case, party, users, channels=("portal", "sms")):
    return svc.consent_record(case=case, party=party, form="explicit", channels=list(channels), actor=users["clerk"])


def _request(svc_case, users, **kw):
    case, _plaintiff, defendant, complaint = svc_case
    [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk],
                                 actor=users["judge"], **kw)
    return task


def _sms_parts(text):
    token = re.search(r"/s/(\S+) ", text).group(1)
    code = re.search(r"访问码 (\d{6})", text).group(1)
    return token, code


# --- consent -------------------------------------------------------------------------------------------------
def test_without_consent_no_electronic_channel_is_planned_or_sent(svc_case, users, kinds):
    case = svc_case[0]
    task = _request(svc_case, users)
    assert [s["channel"] for s in task.plan] == ["post", "direct", "announcement"]
    with pytest.raises(ValidationFailed) as exc:
        svc.service_dispatch(task=task, actor=users["service_officer"], channel="sms")
    assert exc.value.code == "service_no_consent"
    assert not ServiceAttempt.objects.exists() and not SmsAccessLink.objects.exists()
    assert kinds(case, "service.attempted") == []
    with pytest.raises(ValidationFailed):
        svc.service_attempt_record(task=task, channel="portal", outcome="delivered", officer=users["service_officer"])


def test_consent_is_journaled_and_replans_open_tasks(svc_case, users, kinds):
    case, _p, defendant, _c = svc_case
    task = _request(svc_case, users)
    _consent(case, defendant, users)
    task.refresh_from_db()
    assert [s["channel"] for s in task.plan][:2] == ["portal", "sms"]
    [entry] = kinds(case, "service.consented")
    assert entry["form"] == "explicit" and entry["channels"] == ["portal", "sms"]


def test_consent_needs_an_allowed_form_and_electronic_channels(svc_case, users):
    case, _p, defendant, _c = svc_case
    with pytest.raises(ValidationFailed):
        svc.consent_record(case=case, party=defendant, form="silence", channels=["sms"], actor=users["clerk"])
    with pytest.raises(ValidationFailed):
        svc.consent_record(case=case, party=defendant, form="explicit", channels=["post"], actor=users["clerk"])


def test_withdrawn_consent_takes_the_channel_out(svc_case, users):
    case, _p, defendant, _c = svc_case
    consent = _consent(case, defendant, users)
    task = _request(svc_case, users)
    svc.consent_withdraw(consent=consent, actor=users["clerk"])
    task.refresh_from_db()
    assert "sms" not in [s["channel"] for s in task.plan]


# --- portal and deadlines -------------------------------------------------------------------------------------
def test_portal_delivery_serves_and_starts_the_answer_period(svc_case, users, kinds):
    from yunting.core.clocks.selectors import deadlines_for

    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users)
    with time_machine.travel("2026-12-02 10:00 +08:00", tick=False):
        task = _request(svc_case, users)
        svc.service_dispatch(task=task, actor=users["service_officer"])
        task.refresh_from_db()
        assert (task.status, task.served_on, task.served_channel) == ("served", date(2026, 12, 2), "portal")
        [done] = kinds(case, "service.completed")
        assert done == {"document_kind": "complaint", "served_on": "2026-12-02", "party_id": defendant.pk,
                        "foreign": False, "task_id": task.pk, "channel": "portal"}
        answer = next(d for d in deadlines_for(case) if d.key == f"answer:{defendant.pk}")
        assert (answer.starts_on, answer.due) == (date(2026, 12, 2), date(2026, 12, 17))
        assert kinds(case, "service.all_served")[0]["task_ids"] == [task.pk]
        # the recipient opening it in their account is the read receipt; the service date does not move
        svc.service_portal_open(task=task, user=users["defendant"])
        assert task.attempts.filter(outcome="read").count() == 1
        task.refresh_from_db()
        assert task.served_on == date(2026, 12, 2)


# --- SMS link -------------------------------------------------------------------------------------------------
def test_sms_names_the_court_and_opens_only_with_its_one_time_code(svc_case, users):
    from yunting.kernel.notify.models import OutboxMessage

    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("sms",))
    task = _request(svc_case, users)
    svc.service_dispatch(task=task, actor=users["service_officer"])
    [message] = OutboxMessage.objects.filter(purpose=f"service:{task.pk}")
    assert message.recipient == "13987654321"
    assert message.body.startswith(f"【{case.court.name}】")
    token, code = _sms_parts(message.body)
    task.refresh_from_db()
    assert task.status == "in_progress"  # sent is not served
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed) as exc:
        svc.sms_link_open(token=token, code=wrong)
    assert exc.value.data["left"] == 4
    task_, docs = svc.sms_link_open(token=token, code=code)
    assert [d.pk for d in docs] == task.document_ids
    assert (task_.status, task_.served_channel) == ("served", "sms")
    with pytest.raises(Conflict):
        svc.sms_link_open(token=token, code=code)
    with pytest.raises(NotFound):
        svc.sms_link_open(token="nope", code=code)


def test_five_wrong_codes_lock_the_link(svc_case, users):
    from yunting.kernel.notify.models import OutboxMessage

    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("sms",))
    task = _request(svc_case, users)
    svc.service_dispatch(task=task, actor=users["service_officer"])
    token, code = _sms_parts(OutboxMessage.objects.get(purpose=f"service:{task.pk}").body)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            svc.sms_link_open(token=token, code=wrong)
    with pytest.raises(Conflict) as exc:
        svc.sms_link_open(token=token, code=code)
    assert exc.value.code == "service_link_locked"
    task.refresh_from_db()
    assert task.status == "in_progress"


def test_bulk_sms_to_many_recipients_skips_those_without_consent(make_case, add_document, users):
    from yunting.core.cases.models import Party
    from yunting.kernel.notify.models import OutboxMessage

    case = make_case()
    doc = add_document(case)
    parties = [Party.objects.create(case=case, role="defendant", kind="natural", name=f"被告{i}",
                                    phone=f"139{i:08d}", order=10 + i) for i in range(30)]
    for p in parties[:25]:
        svc.consent_record(case=case, party=p, form="pleading", channels=["sms"], actor=users["clerk"])
    tasks = svc.service_request(case=case, documents=[doc.pk], recipients=[p.pk for p in parties], actor=users["judge"])
    done = svc.service_bulk_dispatch(tasks=tasks, channel="sms", actor=users["service_officer"])
    assert len(done.sent) == 25 and len(done.skipped) == 5
    assert {s["code"] for s in done.skipped} == {"service_no_consent"}
    assert OutboxMessage.objects.filter(purpose__startswith="service:").count() == 25
    assert ServiceTask.objects.filter(status="in_progress").count() == 25


# --- escalation -----------------------------------------------------------------------------------------------
def test_a_failure_moves_on_to_the_next_channel_and_exhausting_the_plan_fails(svc_case, users, kinds):
    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("sms",))
    task = _request(svc_case, users)
    assert [s["channel"] for s in task.plan] == ["sms", "post", "direct", "announcement"]
    svc.service_dispatch(task=task, actor=users["service_officer"])
    svc.service_attempt_record(task=task, channel="sms", outcome="failed", note="空号", officer=users["service_officer"])
    task.refresh_from_db()
    assert task.current_channel == "post" and task.status == "in_progress"
    svc.service_attempt_record(task=task, channel="post", outcome="failed", note="退件：查无此人",
                               officer=users["service_officer"], tracking_number="EA123456789CN")
    svc.service_attempt_record(task=task, channel="direct", outcome="failed", note="无人", officer=users["service_officer"])
    task.refresh_from_db()
    assert task.current_channel == "announcement"
    svc.service_attempt_record(task=task, channel="announcement", outcome="failed", note="报社未刊登",
                               officer=users["service_officer"])
    task.refresh_from_db()
    assert task.status == "failed"
    assert kinds(case, "service.failed")[0]["task_id"] == task.pk
    with pytest.raises(Conflict):
        svc.service_attempt_record(task=task, channel="post", outcome="delivered", officer=users["service_officer"])


def test_a_channel_that_times_out_escalates_and_sends_the_next_electronic_one(svc_case, users):
    from yunting.kernel.notify.models import OutboxMessage

    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("email", "sms"))
    ContactPoint.objects.create(identity_key=svc.identity_key(defendant), kind="email", value="lina@example.cn")
    task = _request(svc_case, users)
    assert [s["channel"] for s in task.plan][:2] == ["sms", "email"]
    svc.service_dispatch(task=task, actor=users["service_officer"])
    assert svc.service_escalate_due() == 0
    assert svc.service_escalate_due(now=timezone.now() + timedelta(hours=49)) == 1
    task.refresh_from_db()
    assert task.current_channel == "email"
    assert task.attempts.filter(channel="email", outcome="sent").count() == 1
    assert SmsAccessLink.objects.filter(task=task, channel="email").exists()
    assert OutboxMessage.objects.count() == 1


# --- the other channels ---------------------------------------------------------------------------------------
def test_announcement_published_is_deemed_served_thirty_days_later(svc_case, users, kinds):
    case, _p, defendant, _c = svc_case
    with time_machine.travel("2026-09-01 10:00 +08:00", tick=False):
        task = _request(svc_case, users)
        svc.service_attempt_record(task=task, channel="announcement", outcome="published",
                                   note="人民法院公告网", officer=users["service_officer"])
    task.refresh_from_db()
    assert (task.status, task.served_on) == ("served", date(2026, 10, 8))
    assert kinds(case, "service.completed")[0]["served_on"] == "2026-10-08"


def test_post_is_served_on_the_day_signed_for(svc_case, users):
    with time_machine.travel("2026-12-01 09:00 +08:00", tick=True):
        task = _request(svc_case, users)
        with pytest.raises(ValidationFailed):
            svc.service_dispatch(task=task, actor=users["service_officer"], channel="post")
        svc.service_dispatch(task=task, actor=users["service_officer"], channel="post",
                             tracking_number="EA123456789CN")
    with time_machine.travel("2026-12-04 16:00 +08:00", tick=True):
        svc.service_attempt_record(task=task, channel="post", outcome="delivered", at="2026-12-03T11:20",
                                   officer=users["service_officer"], note="本人签收")
    task.refresh_from_db()
    assert (task.status, task.served_on, task.served_channel) == ("served", date(2026, 12, 3), "post")
    assert task.attempts.first().tracking_number == "EA123456789CN"


def test_direct_service_needs_a_signature_and_a_refusal_is_left_with_witnesses(svc_case, users):
    from yunting.kernel.documents.signing.stamps import person_stamp

    task = _request(svc_case, users)
    with pytest.raises(ValidationFailed):
        svc.service_attempt_record(task=task, channel="direct", outcome="delivered", officer=users["service_officer"])
    with pytest.raises(ValidationFailed):
        svc.service_attempt_record(task=task, channel="direct", outcome="refused", officer=users["service_officer"])
    import io

    png = io.BytesIO()
    person_stamp(name="李娜", caption="签收").save(png, format="PNG")
    attempt = svc.service_attempt_record(task=task, channel="direct", outcome="delivered",
                                         officer=users["service_officer"], signature_png=png.getvalue())
    assert attempt.signature_sha256
    task.refresh_from_db()
    assert task.status == "served"


def test_phone_records_a_standard_phrase(svc_case, users):
    task = _request(svc_case, users)
    attempt = svc.service_attempt_record(task=task, channel="phone", outcome="", phrase="no_answer",
                                         officer=users["service_officer"], address_used="13987654321")
    assert (attempt.outcome, attempt.note) == ("failed", "无人接听")
    with pytest.raises(ValidationFailed):
        svc.service_attempt_record(task=task, channel="phone", outcome="", phrase="whatever",
                                   officer=users["service_officer"])


def test_an_attempt_cannot_be_in_the_future_or_before_the_request(svc_case, users):
    task = _request(svc_case, users)
    for at in ((timezone.now() + timedelta(days=1)).isoformat(), "2020-01-01T10:00", "not a time"):
        with pytest.raises(ValidationFailed):
            svc.service_attempt_record(task=task, channel="post", outcome="delivered", at=at,
                                       officer=users["service_officer"])
    assert not task.attempts.exists()


# --- address history ------------------------------------------------------------------------------------------
def test_the_history_follows_the_person_into_the_next_case(svc_case, make_case, add_document, users):
    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("sms",))
    for _ in range(2):
        task = _request(svc_case, users)
        svc.service_dispatch(task=task, actor=users["service_officer"])
        svc.service_attempt_record(task=task, channel="sms", outcome="failed", note="空号",
                                   officer=users["service_officer"])
    point = ContactPoint.objects.get(identity_key=svc.identity_key(defendant), kind="phone")
    assert (point.failed_count, point.recent) == (2, "ff")
    other = make_case()
    same = other.parties.get(role="defendant")
    same.id_number, same.phone = defendant.id_number, defendant.phone
    same.save()
    svc.consent_record(case=other, party=same, form="explicit", channels=["sms"], actor=users["clerk"])
    [task] = svc.service_request(case=other, documents=[add_document(other).pk], recipients=[same.pk],
                                 actor=users["judge"])
    sms = next(s for s in task.plan if s["channel"] == "sms")
    assert sms["reason"] == "此号码 2 次送达失败，排在最后"
    assert [s["channel"] for s in task.plan][-2:] == ["sms", "announcement"]


def test_data_repair_results_of_the_fake_are_marked_and_not_trusted(svc_case, users, kinds):
    case, _p, defendant, _c = svc_case
    task = _request(svc_case, users)
    [point] = svc.contact_repair(task=task, actor=users["service_officer"])
    assert point.source == "data_repair_fake"
    assert kinds(case, "service.contact_repaired")[0]["fake"] is True


# --- privacy and immutability ---------------------------------------------------------------------------------
def test_officers_see_masked_data_and_every_unmasked_view_is_logged(svc_case, users):
    from yunting.core.service.selectors import task_detail
    from yunting.kernel.security.models import ReadLog

    task = _request(svc_case, users)
    masked = task_detail(task, users["service_officer"])
    assert masked["recipient"]["id_number"] == "1101**********002X"
    assert masked["recipient"]["phone"] == "139****4321"
    assert "13987654321" not in str(masked)
    assert not ReadLog.objects.filter(action="service.contact_unmasked").exists()
    full = task_detail(task, users["service_officer"], unmasked=True, ip="10.0.0.8")
    assert full["recipient"]["id_number"] == "11010519491231002X"
    log = ReadLog.objects.get(action="service.contact_unmasked")
    assert (log.user_id, log.object_id, log.ip) == (users["service_officer"].pk, str(task.pk), "10.0.0.8")


def test_attempts_can_never_be_changed_or_deleted(svc_case, users):
    task = _request(svc_case, users)
    attempt = svc.service_attempt_record(task=task, channel="post", outcome="failed", note="退件",
                                         officer=users["service_officer"], tracking_number="EA1CN")
    attempt.note = "改过"
    with pytest.raises(AttemptImmutable):
        attempt.save()
    with pytest.raises(AttemptImmutable):
        attempt.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceAttempt.objects.filter(pk=attempt.pk).update(note="改过")
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceAttempt.objects.filter(pk=attempt.pk).delete()
    assert ServiceAttempt.objects.get(pk=attempt.pk).note == "退件"


# --- requests -------------------------------------------------------------------------------------------------
def test_bad_requests_change_nothing(svc_case, users, kinds):
    case, plaintiff, defendant, complaint = svc_case
    for documents, recipients in (([], [defendant.pk]), ([complaint.pk], []), ([999999], [defendant.pk]),
                                  ([complaint.pk], [999999])):
        with pytest.raises(ValidationFailed):
            svc.service_request(case=case, documents=documents, recipients=recipients, actor=users["judge"])
    assert not ServiceTask.objects.exists() and kinds(case, "service.requested") == []


def test_a_workflow_asks_through_the_journal(svc_case, users):
    from yunting.core.journal.services import journal_append
    from yunting.core.service.subscriptions import on_service_wanted

    case, plaintiff, defendant, complaint = svc_case
    entry = journal_append(case=case, kind="service.wanted", actor=None,
                           payload={"documents": [complaint.pk], "recipients": [plaintiff.pk, defendant.pk]})
    on_service_wanted(entry)
    on_service_wanted(entry)  # delivered twice: still one task per recipient
    assert ServiceTask.objects.filter(case=case).count() == 2
    assert ServiceTask.objects.filter(case=case, created_by__isnull=True).count() == 2


def test_statistics(svc_case, users):
    from yunting.core.service.selectors import service_statistics

    case, plaintiff, defendant, complaint = svc_case
    _consent(case, defendant, users, channels=("portal",))
    tasks = svc.service_request(case=case, documents=[complaint.pk], recipients=[plaintiff.pk, defendant.pk],
                                actor=users["judge"])
    svc.service_dispatch(task=tasks[1], actor=users["service_officer"])
    stats = service_statistics(court_ids=[case.court_id])
    assert (stats["tasks"], stats["served"], stats["success_rate"], stats["electronic_share"]) == (2, 1, 0.5, 1.0)
    assert stats["by_channel"][0]["channel"] == "portal" and stats["by_channel"][0]["success_rate"] == 1.0


def test_email_service_sends_the_link_through_django_mail(svc_case, users, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("email",))
    task = _request(svc_case, users)
    assert task.plan[0]["channel"] != "email"  # no e-mail address known yet
    svc.contact_add(task=task, kind="email", value="lina@example.cn", actor=users["service_officer"])
    task.refresh_from_db()
    assert task.plan[0]["channel"] == "email"
    with django_capture_on_commit_callbacks(execute=True):
        svc.service_dispatch(task=task, actor=users["service_officer"])
    [mail] = mailoutbox
    assert mail.to == ["lina@example.cn"] and case.court.name in mail.subject
    assert "/s/" in mail.body and "访问码" in mail.body
    token, code = _sms_parts(mail.body)
    task_, _docs = svc.sms_link_open(token=token, code=code)
    assert (task_.status, task_.served_channel) == ("served", "email")


def test_a_sealed_judgment_is_served_on_every_party(svc_case, users, add_document):
    from yunting.core.service.subscriptions import on_paper_sealed

    case, plaintiff, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("portal",))
    judgment = add_document(case, "judge", title="民事判决书", kind="judgment", entry_kind="papers.sealed")
    on_paper_sealed(judgment.entry)
    on_paper_sealed(judgment.entry)  # delivered twice: served once
    tasks = list(ServiceTask.objects.filter(case=case).order_by("recipient_id"))
    assert [t.recipient_id for t in tasks] == sorted([plaintiff.pk, defendant.pk])
    assert all(t.document_ids == [judgment.pk] and t.document_kind == "judgment" for t in tasks)
    by_party = {t.recipient_id: t for t in tasks}
    assert by_party[defendant.pk].status == "served"  # consented to the platform: delivered at once
    assert by_party[plaintiff.pk].status == "pending"
    not_a_ruling = add_document(case, "judge", title="审理报告", kind="trial_report", entry_kind="papers.sealed")
    on_paper_sealed(not_a_ruling.entry)
    assert ServiceTask.objects.filter(case=case).count() == 2


def test_the_link_page_shows_only_the_court_and_the_state(svc_case, users):
    from yunting.core.service.selectors import sms_link_info
    from yunting.kernel.notify.models import OutboxMessage

    case, _p, defendant, _c = svc_case
    _consent(case, defendant, users, channels=("sms",))
    task = _request(svc_case, users)
    svc.service_dispatch(task=task, actor=users["service_officer"])
    token, code = _sms_parts(OutboxMessage.objects.get(purpose=f"service:{task.pk}").body)
    assert sms_link_info(token) == {"court": case.court.name, "state": "open", "attempts_left": 5, "channel": "sms"}
    svc.sms_link_open(token=token, code=code)
    assert sms_link_info(token)["state"] == "used"
    assert sms_link_info("unknown") is None
