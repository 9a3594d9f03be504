"""Filing services: drafts never lose input, validation lists every problem, decisions open exactly one case."""

from datetime import date

import pytest
import time_machine

from yunting.core.cases.models import Case
from yunting.core.efile.models import Document
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.workflows.filing.acceptance import filing_accept, filing_notice_issue
from yunting.workflows.filing.choices import FilingStatus, NoticeStatus
from yunting.workflows.filing.errors import FilingInvalid
from yunting.workflows.filing.models import Filing, FilingEvent
from yunting.workflows.filing.services import (
    filing_reject,
    filing_request_supplement,
    filing_resubmit,
    filing_save_draft,
    filing_submit,
    filing_validate,
)

pytestmark = pytest.mark.django_db


def test_draft_keeps_partial_and_invalid_input(users):
    filing = filing_save_draft(filer=users["plaintiff"], data={"cause": "民间借贷纠纷", "claim_amount": "十万"})
    filing = filing_save_draft(filer=users["plaintiff"], filing=filing, data={"facts": "借款未还", "junk": 1})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT
    assert filing.payload == {"cause": "民间借贷纠纷", "claim_amount": "十万", "facts": "借款未还"}


def test_validate_lists_every_problem_at_once(users, payload):
    data = payload(court="", cause="不存在的案由", claim_amount="-5", claims=[], facts="",
                   parties=[{"role": "plaintiff", "kind": "natural", "name": "张伟", "id_number": "110105194912310021"}])
    problems = filing_validate(data=data)
    fields = {(p["field"], p["code"]) for p in problems}
    assert fields >= {("court", "required"), ("cause", "unknown"), ("claim_amount", "amount_negative"),
                      ("claims", "required"), ("facts", "required"), ("parties[0].id_number", "ric_checksum"),
                      ("parties", "no_defendant")}
    assert all(p["message"] for p in problems)


def test_cause_must_fit_the_case_type(cast, payload):
    problems = filing_validate(data=payload(case_type="行初"))
    assert [(p["field"], p["code"]) for p in problems] == [("cause", "type_mismatch")]


def test_submit_refuses_invalid_and_changes_nothing(users, payload):
    filing = filing_save_draft(filer=users["plaintiff"], data=payload(facts=""))
    with pytest.raises(FilingInvalid) as err:
        filing_submit(filing=filing, actor=users["plaintiff"])
    assert err.value.data["problems"] == [{"field": "facts", "code": "required",
                                           "message": "请填写事实与理由（或回答要素表）"}]
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT and filing.submitted_at is None


@time_machine.travel("2026-09-24 10:00 +0800", tick=False)
def test_submit_sets_the_legal_deadline_and_the_fee(users, submitted):
    filing = submitted()
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.deadline == date(2026, 10, 8)  # 7 days end on 1 Oct (国庆) → 8 Oct
    assert filing.fee["fee"] == "1150.00"  # 2,300 halved: simple procedure
    assert filing.fee["steps"][-1]["op"] == "half"
    assert [p.name for p in filing.parties.all()] == ["张伟", "李娜"]
    assert filing.parties.get(name="张伟").user == users["plaintiff"]
    with pytest.raises(Conflict):
        filing_submit(filing=filing, actor=users["plaintiff"])
    assert list(filing.events.values_list("kind", flat=True)) == ["filing.draft_saved", "filing.submitted"]


def test_accept_opens_the_case_files_documents_and_issues_the_notice(users, submitted, pdf_blob,
                                                                    django_capture_on_commit_callbacks):
    blob = pdf_blob()
    filing = submitted(documents=[{"sha256": blob.sha256, "title": "借条", "kind": "evidence"}])
    with django_capture_on_commit_callbacks(execute=True):
        case = filing_accept(filing=filing, actor=users["filing_officer"])
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.case == case
    assert case.number.startswith("（") and "粤0306民初" in case.number
    assert case.claim_amount == 100000
    kinds = list(JournalEntry.objects.filter(case=case).order_by("seq").values_list("kind", flat=True))
    assert kinds[:2] == ["case.registered", "filing.accepted"]
    assert "papers.issued" in kinds and kinds[-2:] == ["filing.notice_issued", "fee.notice_issued"]  # fees follow
    docs = Document.objects.filter(case=case)
    assert {d.kind for d in docs} == {"complaint", "evidence", "evidence_list", "acceptance_notice"}
    assert {d.section.code for d in docs if d.kind != "evidence"} == {"01", "03"}
    assert filing.notice_status == NoticeStatus.DONE
    assert case.participations.filter(user=users["plaintiff"], role="party").exists()


def test_double_accept_opens_one_case(users, submitted):
    filing = submitted()
    filing_accept(filing=filing, actor=users["filing_officer"], notify=False)
    stale = Filing.objects.get(pk=filing.pk)
    with pytest.raises(Conflict):
        filing_accept(filing=stale, actor=users["court_admin"], notify=False)
    assert Case.objects.count() == 1


def test_a_failing_notice_leaves_the_acceptance_and_is_recorded(users, submitted, monkeypatch):
    filing = submitted()
    filing_accept(filing=filing, actor=users["filing_officer"], notify=False)
    Filing.objects.filter(pk=filing.pk).update(notice_status=NoticeStatus.PENDING)

    def broken(**kw):
        raise ValidationFailed("模板缺少变量", code="paper_missing")

    monkeypatch.setattr("yunting.core.papers.services.paper_issue", broken)
    assert filing_notice_issue(filing_id=filing.pk) == NoticeStatus.FAILED
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.notice_error == "模板缺少变量"
    monkeypatch.undo()
    assert filing_notice_issue(filing_id=filing.pk) == NoticeStatus.DONE
    assert filing_notice_issue(filing_id=filing.pk) == NoticeStatus.DONE  # idempotent
    assert filing.case.papers.count() == 1


@pytest.mark.parametrize("who", ["judge", "clerk", "plaintiff", "lawyer", "defendant"])
def test_only_the_courts_filing_staff_decide(users, submitted, who):
    filing = submitted()
    for act in (lambda: filing_accept(filing=filing, actor=users[who]),
                lambda: filing_reject(filing=filing, actor=users[who], reason="不符合起诉条件"),
                lambda: filing_request_supplement(filing=filing, actor=users[who], request="补充证据")):
        with pytest.raises(PermissionDenied):
            act()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and Case.objects.count() == 0


def test_reject_needs_a_reason(users, submitted):
    filing = submitted()
    with pytest.raises(ValidationFailed):
        filing_reject(filing=filing, actor=users["filing_officer"], reason="  ")
    filing = filing_reject(filing=filing, actor=users["filing_officer"], reason="不属于本院管辖")
    assert filing.status == FilingStatus.REJECTED and filing.decision_reason == "不属于本院管辖"
    with pytest.raises(Conflict):
        filing_accept(filing=filing, actor=users["filing_officer"])


def test_supplement_and_resubmit_restart_the_period(users, submitted):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        filing = submitted()
        filing = filing_request_supplement(filing=filing, actor=users["filing_officer"],
                                           request="请补充借条原件照片", days=5)
    assert filing.status == FilingStatus.SUPPLEMENT_REQUESTED
    assert filing.supplement_deadline == date(2026, 3, 9)  # 7 Mar is Saturday → Monday
    with time_machine.travel("2026-03-05 09:00 +0800", tick=False):
        filing = filing_resubmit(filing=filing, actor=users["plaintiff"], data={"facts": "补充：借条见附件。"})
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.facts == "补充：借条见附件。"
    assert filing.deadline == date(2026, 3, 12)
    kinds = list(FilingEvent.objects.filter(filing=filing).values_list("kind", flat=True))
    assert kinds[-2:] == ["filing.supplement_requested", "filing.resubmitted"]


def test_lawyer_files_for_a_client(users, payload, pdf_blob, django_capture_on_commit_callbacks):
    filing = filing_save_draft(filer=users["lawyer"], data=payload(on_behalf_of="plaintiff"))
    with pytest.raises(FilingInvalid) as err:  # not without the client's power of attorney
        filing_submit(filing=filing, actor=users["lawyer"])
    assert [(p["field"], p["code"]) for p in err.value.data["problems"]] == [
        ("documents", "power_of_attorney_required")]
    poa = pdf_blob(title="授权委托书", body="委托人张伟特委托律师代为起诉", owner="lawyer")
    filing = filing_save_draft(filer=users["lawyer"], filing=filing, data=payload(
        on_behalf_of="plaintiff", documents=[{"sha256": poa.sha256, "title": "授权委托书", "kind": "power_of_attorney"}]))
    filing = filing_submit(filing=filing, actor=users["lawyer"])
    assert filing.on_behalf_of == users["plaintiff"]
    case = filing_accept(filing=filing, actor=users["filing_officer"], notify=False)
    roles = set(case.participations.values_list("user__username", "role"))
    assert {("lawyer", "lawyer"), ("plaintiff", "party")} <= roles
    # the lawyer represents the client's party: the hearing seats them as 原告代理人, witnesses are theirs to call
    lawyer = case.participations.get(user=users["lawyer"], role="lawyer")
    client = case.participations.get(user=users["plaintiff"], role="party")
    assert lawyer.party_id == client.party_id is not None
    from yunting.core.journal.models import JournalEntry

    registered = JournalEntry.objects.get(case=case, kind="case.registered")
    assert {"user_id": users["lawyer"].pk, "role": "lawyer", "party_id": client.party_id} in \
        registered.payload["participants"]
    from yunting.core.rooms.services import seats_from_case

    assert (users["lawyer"], "plaintiff_agent") in seats_from_case(case, host=users["judge"])


def test_a_party_cannot_claim_to_file_for_someone(users, payload):
    filing = filing_save_draft(filer=users["defendant"], data=payload(on_behalf_of="plaintiff"))
    with pytest.raises(FilingInvalid) as err:
        filing_submit(filing=filing, actor=users["defendant"])
    assert err.value.data["problems"][0]["field"] == "on_behalf_of"


def test_duplicates_are_detected(users, submitted):
    from yunting.workflows.filing.selectors import possible_duplicates

    first, second = submitted(), submitted()
    assert list(possible_duplicates(second)) == [first]
    assert not possible_duplicates(submitted(claim_amount="5000")).exists()


def test_submission_generates_the_complaint_and_the_evidence_list(users, submitted, pdf_blob):
    from yunting.kernel.blobs.store import blob_open
    from yunting.kernel.pdf.tools import pdf_info

    blob = pdf_blob()
    filing = submitted(documents=[{"sha256": blob.sha256, "title": "借条", "kind": "evidence"}])
    generated = {d.kind: d for d in filing.documents.filter(generated=True).select_related("blob")}
    assert set(generated) == {"complaint", "evidence_list"}
    with blob_open(generated["complaint"].blob_id) as fh:
        _, text = pdf_info(fh)
    flat = text.replace("\n", "")
    for expected in ("民事起诉状", "原告：张伟", "1101**********002X", "判令被告偿还借款本金100000元", "此致",
                     "深圳市宝安区人民法院"):
        assert expected in flat, expected
    assert "11010519491231002X" not in flat  # masked
    with blob_open(generated["evidence_list"].blob_id) as fh:
        _, text = pdf_info(fh)
    assert "借条" in text and blob.sha256[:32] in text.replace("\n", "")


def test_an_uploaded_complaint_is_not_replaced(users, submitted, pdf_blob):
    own = pdf_blob(title="起诉状", body="原告自行撰写的起诉状")
    filing = submitted(documents=[{"sha256": own.sha256, "title": "起诉状", "kind": "complaint"}])
    assert list(filing.documents.values_list("kind", "generated")) == [("complaint", False)]


def test_an_element_based_complaint(users, payload, submitted):
    from yunting.workflows.filing.questionnaires import QUESTIONNAIRES

    assert set(QUESTIONNAIRES) == {"民间借贷纠纷", "金融借款合同纠纷", "买卖合同纠纷", "机动车交通事故责任纠纷",
                                   "劳动争议", "物业服务合同纠纷"}
    answers = {"loan_date": "2025-03-01", "principal": "100000", "delivery": "银行转账", "interest": "年利率6%",
               "voucher": "有"}
    filing = submitted(facts="", questionnaire=answers)
    assert filing.questionnaire == answers
    assert "借款本金（元）：100000" in filing.facts and "交付方式：银行转账" in filing.facts
    problems = filing_validate(data=payload(facts="", questionnaire={"loan_date": "去年", "principal": "一百",
                                                                     "delivery": "信鸽"}))
    assert {(p["field"], p["code"]) for p in problems} == {
        ("questionnaire.loan_date", "invalid_date"), ("questionnaire.principal", "amount_invalid"),
        ("questionnaire.delivery", "unknown"), ("questionnaire.interest", "required"),
        ("questionnaire.voucher", "required"), ("facts", "required")}


def test_the_periodic_job_retries_failed_and_stuck_notices_only(users, submitted, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from yunting.workflows.filing import acceptance

    queued = []
    monkeypatch.setattr(acceptance, "_enqueue_notices", lambda ids: queued.extend(ids))
    fresh, stuck, failed, exhausted = (submitted() for _ in range(4))
    for filing in (fresh, stuck, failed, exhausted):
        filing_accept(filing=filing, actor=users["filing_officer"], notify=False)
    long_ago = timezone.now() - timedelta(minutes=30)
    Filing.objects.filter(pk=fresh.pk).update(notice_status=NoticeStatus.PENDING)
    Filing.objects.filter(pk=stuck.pk).update(notice_status=NoticeStatus.PENDING, decided_at=long_ago)
    Filing.objects.filter(pk=failed.pk).update(notice_status=NoticeStatus.FAILED, notice_attempts=2)
    Filing.objects.filter(pk=exhausted.pk).update(notice_status=NoticeStatus.FAILED,
                                                  notice_attempts=acceptance.NOTICE_MAX_ATTEMPTS)
    assert acceptance.filing_notices_retry() == 2
    assert sorted(queued) == sorted([stuck.pk, failed.pk])


def test_the_periodic_jobs_are_registered():
    from yunting.kernel.common import periodic

    assert {"filing.batches", "filing.notices", "filing.webhooks"} <= set(periodic._jobs)
