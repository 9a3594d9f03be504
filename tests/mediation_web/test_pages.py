"""The mediation pages through the web client, as each person uses them: the party's intake and self-help, the
coordinator's queue and one-click assignment, the mediator's answer and thread, the party's signature and
confirmation, the judge's ruling, the dashboards — and that nobody else sees any of it."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def strokes_png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (600, 240), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(40, 180), (200, 60), (360, 170), (560, 50)], fill=(0, 0, 0, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def data_url(png: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_a_party_applies_on_the_questionnaire_and_gets_a_numbered_case(users, network, intake, login):
    from yunting.workflows.mediation.models import Dispute

    c = login(users["plaintiff"])
    page = c.get("/mediation/new/?cause=民间借贷纠纷")
    assert "借款本金（元）" in page.content.decode()  # the cause's questionnaire
    response = c.post("/mediation/new/", intake)
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mediation/{dispute.pk}/"
    assert "民诉前调" in dispute.case.number
    assert dispute.questionnaire["principal"] == "50000" and "50000" in dispute.facts  # the formatted complaint
    assert dispute.locality == "新安街道" and dispute.dispute_type == "loan"
    body = c.get(response["Location"]).content.decode()
    assert dispute.case.number in body and 'data-state="new"' in body


def test_intake_problems_are_shown_next_to_their_inputs_and_nothing_is_created(users, network, intake, login):
    from yunting.core.cases.models import Case
    from yunting.workflows.mediation.models import Dispute

    before = Case.objects.count()
    intake.update({"dispute_type": "", "party-1-name": "", "claim_amount": "五万"})
    body = login(users["plaintiff"]).post("/mediation/new/", intake).content.decode()
    assert 'data-testid="problems"' in body
    assert "纠纷类型" in body or "type of dispute" in body
    assert 'value="归还借款50000元' not in body or "归还借款50000元" in body  # what was typed comes back
    assert Dispute.objects.count() == 0 and Case.objects.count() == before


def test_self_help_shows_the_fee_duration_and_risks(users, network, login):
    body = login(users["plaintiff"]).get("/mediation/self-help/", {"cause": "民间借贷纠纷", "claim_amount": "50000",
                                                                    "court": "粤0306"}).content.decode()
    assert "¥1,050.00" in body  # 50 + 2.5% of 40,000 under the 诉讼费用交纳办法
    assert 'data-testid="help-risks"' in body
    bad = login(users["plaintiff"]).get("/mediation/self-help/", {"cause": "民间借贷纠纷", "claim_amount": "abc"})
    assert "text-danger" in bad.content.decode()


def test_only_the_parties_the_mediator_and_coordinators_see_a_dispute(dispute, users, coordinator, login):
    from yunting.kernel.security.models import ReadLog

    url = f"/mediation/{dispute.pk}/"
    for outsider in ("lawyer", "mediator", "judge", "service_officer"):  # the mediator is not asked yet
        assert login(users[outsider]).get(url).status_code == 404, outsider
        assert login(users[outsider]).post(url + "confirm/").status_code == 404, outsider
    assert login(users["lawyer"]).get("/mediation/999999/").status_code == 404
    before = ReadLog.objects.filter(case_id=dispute.case_id).count()
    for insider in (users["plaintiff"], users["defendant"], coordinator):
        assert login(insider).get(url).status_code == 200
    assert ReadLog.objects.filter(case_id=dispute.case_id, action="mediation.view").count() == before + 3
    rows = login(users["lawyer"]).get("/mediation/").content.decode()
    assert dispute.case.number not in rows


def test_personal_data_is_masked_outside_its_owner(dispute, users, login):
    mine = login(users["plaintiff"]).get(f"/mediation/{dispute.pk}/").content.decode()
    theirs = login(users["defendant"]).get(f"/mediation/{dispute.pk}/").content.decode()
    assert "13912345678" in mine and "13987654321" not in mine and "139****4321" in mine
    assert "13912345678" not in theirs and "139****5678" in theirs


def test_coordinator_sees_suggestions_with_reasons_and_assigns_in_one_click(dispute, network, coordinator, users,
                                                                             login):
    from yunting.workflows.mediation.models import Assignment

    c = login(coordinator)
    queue = c.get("/mediation/queue/").content.decode()
    assert dispute.case.number in queue and users["mediator"].real_name in queue
    assert "新安街道" in queue  # the locality reason
    assert login(users["plaintiff"]).get("/mediation/queue/").status_code == 404
    response = c.post(f"/mediation/{dispute.pk}/assign/", {"mediator": network["mediator"].pk})
    assert response.status_code == 302
    assert Assignment.objects.get(dispute=dispute).mediator == network["mediator"]
    assert c.post(f"/mediation/{dispute.pk}/assign/", {"mediator": "x"}).status_code == 302
    assert Assignment.objects.filter(dispute=dispute).count() == 1  # a bad pick changed nothing


def test_overdue_assignment_is_highlighted_in_the_queue(dispute, coordinator, login, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=10))
    queue = login(coordinator).get("/mediation/queue/").content.decode()
    assert 'data-testid="overdue"' in queue


def _assign_and_start(dispute, network, coordinator, users, login):
    from yunting.workflows.mediation import services

    services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=coordinator)
    m = login(users["mediator"])
    page = m.get(f"/mediation/{dispute.pk}/").content.decode()
    assert 'data-testid="answer-card"' in page
    m.post(f"/mediation/{dispute.pk}/answer/", {"decision": "accept"})
    m.post(f"/mediation/{dispute.pk}/start/", {"mode": "thread"})
    dispute.refresh_from_db()
    assert dispute.state == "mediating"
    return m


def test_a_declined_request_needs_a_reason_and_goes_back_to_the_coordinator(dispute, network, coordinator, users,
                                                                           login):
    from yunting.workflows.mediation import services

    services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=coordinator)
    m = login(users["mediator"])
    m.post(f"/mediation/{dispute.pk}/answer/", {"decision": "decline", "reason": ""})
    dispute.refresh_from_db()
    assert dispute.assignments.get().status == "pending"
    m.post(f"/mediation/{dispute.pk}/answer/", {"decision": "decline", "reason": "与申请人系亲属，需回避"})
    assert dispute.assignments.get().status == "declined"
    assert "需回避" in login(coordinator).get("/mediation/queue/").content.decode()


def test_a_caucus_note_reaches_one_side_only(dispute, network, coordinator, users, login):
    from yunting.core.cases.models import Party

    m = _assign_and_start(dispute, network, coordinator, users, login)
    applicant = Party.objects.get(case=dispute.case, role="plaintiff")
    m.post(f"/mediation/{dispute.pk}/post/", {"text": "建议分三期还款", "visibility": "all", "kind": "proposal"})
    m.post(f"/mediation/{dispute.pk}/post/", {"text": "单方沟通：可否减免利息", "visibility": f"party:{applicant.pk}",
                                              "kind": "message"})
    plaintiff = login(users["plaintiff"]).get(f"/mediation/{dispute.pk}/").content.decode()
    defendant = login(users["defendant"]).get(f"/mediation/{dispute.pk}/").content.decode()
    assert "建议分三期还款" in plaintiff and "建议分三期还款" in defendant
    assert "可否减免利息" in plaintiff and "可否减免利息" not in defendant


def _agreed(dispute, network, coordinator, users, login):
    m = _assign_and_start(dispute, network, coordinator, users, login)
    m.post(f"/mediation/{dispute.pk}/agreement/", {"terms": "被申请人于2026年12月31日前归还借款50000元\n申请人放弃利息请求"})
    for who in ("plaintiff", "defendant"):
        c = login(users[who])
        assert 'data-testid="pad"' in c.get(f"/mediation/{dispute.pk}/sign/").content.decode()
        c.post(f"/mediation/{dispute.pk}/sign/", {"strokes": data_url(strokes_png())})
    m.post(f"/mediation/{dispute.pk}/sign/", {"strokes": data_url(strokes_png())})
    dispute.refresh_from_db()
    assert dispute.state == "agreed"


def test_a_bad_signature_is_refused_with_a_message(dispute, network, coordinator, users, login):
    m = _assign_and_start(dispute, network, coordinator, users, login)
    m.post(f"/mediation/{dispute.pk}/agreement/", {"terms": "被申请人归还借款50000元"})
    body = login(users["plaintiff"]).post(f"/mediation/{dispute.pk}/sign/", {"strokes": "data:text/plain,x"})
    assert 'data-testid="sign-error"' in body.content.decode()
    assert dispute.agreements.get().signed_slots == []


def test_signatures_go_through_the_checked_intake(dispute, network, coordinator, users, login):
    """A drawing stating 13,000 × 13,000 pixels is refused by the intake's check (its Upload row says so) with the
    mediation's own code, and journals nothing; the signatures that pass are named by the blobs the intake
    accepted."""
    from tests.intake.test_drawn_strokes import signature_across_the_pad, strokes_larger_than_any_pad
    from yunting.core.efile.models import Upload, UploadStatus
    from yunting.core.journal.models import JournalEntry
    from yunting.kernel.common.errors import ValidationFailed
    from yunting.workflows.mediation import services

    m = _assign_and_start(dispute, network, coordinator, users, login)
    m.post(f"/mediation/{dispute.pk}/agreement/", {"terms": "被申请人归还借款50000元"})
    agreement = dispute.agreements.get()
    body = login(users["plaintiff"]).post(f"/mediation/{dispute.pk}/sign/",
                                          {"strokes": data_url(strokes_larger_than_any_pad())}).content.decode()
    assert 'data-testid="sign-error"' in body and "13000×13000" in body
    with pytest.raises(ValidationFailed) as err:
        services.agreement_sign(agreement=agreement, actor=users["plaintiff"], strokes_png=strokes_larger_than_any_pad())
    assert err.value.code == "mediation_bad_strokes" and err.value.data["field"] == "strokes"
    refused = Upload.objects.filter(purpose="mediation_sign")
    assert [(u.status, u.problems[0]["code"]) for u in refused] == [(UploadStatus.REFUSED, "strokes_too_large")] * 2
    assert not JournalEntry.objects.filter(kind="mediation.agreement_signed").exists()
    assert dispute.agreements.get().signed_slots == []

    for k, who in enumerate(("plaintiff", "defendant", "mediator")):  # three different drawings on the 600 × 240 pad
        login(users[who]).post(f"/mediation/{dispute.pk}/sign/",
                               {"strokes": data_url(signature_across_the_pad(600 - k, 240))})
    accepted = set(Upload.objects.filter(purpose="mediation_sign", status=UploadStatus.ACCEPTED)
                   .values_list("document_id", flat=True))
    signed = JournalEntry.objects.filter(kind="mediation.agreement_signed")
    assert signed.count() == len(accepted) == 3 and {e.payload["strokes_sha256"] for e in signed} == accepted
    assert set(dispute.agreements.get().signatures.values_list("strokes_sha256", flat=True)) == accepted


def test_agreement_confirmation_and_the_judges_ruling(dispute, network, coordinator, users, login):
    from yunting.workflows.mediation.models import Confirmation

    _agreed(dispute, network, coordinator, users, login)
    p = login(users["plaintiff"])
    assert 'data-testid="confirm"' in p.get(f"/mediation/{dispute.pk}/").content.decode()
    assert login(users["mediator"]).post(f"/mediation/{dispute.pk}/confirm/").status_code == 302
    assert not Confirmation.objects.exists()  # only a party applies
    p.post(f"/mediation/{dispute.pk}/confirm/")
    confirmation = Confirmation.objects.get()
    assert "民特" in confirmation.case.number
    j = login(users["judge"])
    queue = j.get("/mediation/confirmations/").content.decode()
    assert confirmation.case.number in queue and "归还借款50000元" in queue
    assert login(users["plaintiff"]).post(f"/mediation/confirmations/{confirmation.case_id}/rule/",
                                          {"decision": "grant"}).status_code == 404
    j.post(f"/mediation/confirmations/{confirmation.case_id}/rule/", {"decision": "grant"})
    confirmation.refresh_from_db()
    dispute.refresh_from_db()
    assert confirmation.granted is True and dispute.state == "confirmed"
    assert 'data-testid="confirmation"' in p.get(f"/mediation/{dispute.pk}/").content.decode()


def test_a_failed_dispute_turns_into_a_filing_in_one_click(dispute, network, coordinator, users, login):
    m = _assign_and_start(dispute, network, coordinator, users, login)
    m.post(f"/mediation/{dispute.pk}/outcome/", {"outcome": "fail", "reason": "被申请人不同意还款"})
    dispute.refresh_from_db()
    assert dispute.state == "failed"
    response = login(users["plaintiff"]).post(f"/mediation/{dispute.pk}/convert/")
    dispute.refresh_from_db()
    assert dispute.state == "converted"
    assert response["Location"] == f"/filing/{dispute.converted_filing_id}/"


def test_dashboard_tables_for_the_coordinator_only(dispute, coordinator, users, login):
    c = login(coordinator)
    body = c.get("/mediation/dashboard/").content.decode()
    for table in ("by-type", "by-locality", "by-month", "mediators", "totals"):
        assert f'data-testid="{table}"' in body
    assert "新安街道" in body
    assert "2026-13-01" in c.get("/mediation/dashboard/?date_from=2026-13-01").content.decode()  # named as bad
    assert login(users["plaintiff"]).get("/mediation/dashboard/").status_code == 404


def test_lists_search_and_filter(dispute, coordinator, users, login):
    c = login(users["plaintiff"])
    assert dispute.case.number in c.get("/mediation/", {"q": "李娜"}).content.decode()
    assert dispute.case.number not in c.get("/mediation/", {"q": "王五"}).content.decode()
    assert dispute.case.number not in c.get("/mediation/", {"state": "agreed"}).content.decode()
    assert dispute.case.number in login(coordinator).get("/mediation/queue/", {"q": "借贷"}).content.decode()


def test_the_filing_desk_offers_mediation_and_needs_consent(users, network, login):
    from tests.filing.conftest import good_payload
    from yunting.workflows.filing.services import filing_save_draft, filing_submit
    from yunting.workflows.mediation.models import Dispute

    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    c = login(users["plaintiff"])
    assert 'data-testid="offer-mediation"' in c.get(f"/filing/{filing.pk}/").content.decode()
    assert 'data-testid="self-help"' in c.get(f"/mediation/from-filing/{filing.pk}/").content.decode()
    c.post(f"/mediation/from-filing/{filing.pk}/", {})  # no consent ticked
    assert not Dispute.objects.exists()
    assert login(users["defendant"]).get(f"/mediation/from-filing/{filing.pk}/").status_code == 404
    response = c.post(f"/mediation/from-filing/{filing.pk}/", {"consent": "1"})
    dispute = Dispute.objects.get(source_filing_id=filing.pk)
    assert response["Location"] == f"/mediation/{dispute.pk}/"
    filing.refresh_from_db()
    assert filing.status == "withdrawn"


def test_a_refusal_needs_reasons(dispute, network, coordinator, users, login):
    from yunting.workflows.mediation.models import Confirmation

    _agreed(dispute, network, coordinator, users, login)
    login(users["plaintiff"]).post(f"/mediation/{dispute.pk}/confirm/")
    confirmation = Confirmation.objects.get()
    j = login(users["judge"])
    j.post(f"/mediation/confirmations/{confirmation.case_id}/rule/", {"decision": "deny", "reasons": ""})
    confirmation.refresh_from_db()
    assert confirmation.decided_at is None  # nothing changed
    j.post(f"/mediation/confirmations/{confirmation.case_id}/rule/",
           {"decision": "deny", "reasons": "协议内容损害案外人合法权益"})
    confirmation.refresh_from_db()
    dispute.refresh_from_db()
    assert confirmation.granted is False and dispute.state == "agreed"
    assert "损害案外人" in login(users["plaintiff"]).get(f"/mediation/{dispute.pk}/").content.decode()
