"""Document delivery in the case space: the court delivers a court-issued document to a member, who opens it on
the phone and signs a receipt. With consent to electronic service the receipt serves (channel 案件空间) and the
电子送达凭证 is filed; without, the receipt is recorded and the page says it is not service."""

import pytest

from tests.spacex.conftest import data_url, strokes_png
from yunting.core.journal.models import JournalEntry
from yunting.core.service.models import ServiceTask
from yunting.kernel.security.models import ReadLog
from yunting.workflows.deliveries.models import SpaceDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def judgment(scase, add_document):
    return add_document(scase, "judge", title="民事判决书", kind="judgment", entry_kind="papers.issued")


def _deliver(login, scase, judgment, users, who="defendant"):
    party = scase.defendant if who == "defendant" else scase.plaintiff
    r = login("judge").post(f"/space-extras/cases/{scase.pk}/deliveries/",
                            {"document": judgment.pk, "member": f"{users[who].pk}:{party.pk}", "note": "请查收"})
    assert r.status_code == 302
    return SpaceDelivery.objects.get(case=scase, recipient=users[who])


def test_a_party_document_or_a_non_member_cannot_be_chosen(login, scase, add_document, judgment, users, outsider):
    evidence = add_document(scase, "lawyer", title="证据", kind="evidence")
    judge = login("judge")
    judge.post(f"/space-extras/cases/{scase.pk}/deliveries/",
               {"document": evidence.pk, "member": f"{users['defendant'].pk}:{scase.defendant.pk}"})
    judge.post(f"/space-extras/cases/{scase.pk}/deliveries/",
               {"document": judgment.pk, "member": f"{outsider.pk}:{scase.defendant.pk}"})
    assert not SpaceDelivery.objects.exists()
    assert not JournalEntry.objects.filter(case=scase, kind__in=("deliveries.sent", "casespace.card_wanted")).exists()
    # a party cannot deliver
    login("defendant").post(f"/space-extras/cases/{scase.pk}/deliveries/",
                            {"document": judgment.pk, "member": f"{users['plaintiff'].pk}:{scase.plaintiff.pk}"})
    assert not SpaceDelivery.objects.exists()


def test_without_consent_the_receipt_is_recorded_but_is_not_service(login, scase, judgment, users, outsider):
    d = _deliver(login, scase, judgment, users)
    card = JournalEntry.objects.get(case=scase, kind="casespace.card_wanted")
    assert card.payload["card"] == "delivery" and card.payload["user_ids"] == [users["defendant"].pk]
    assert card.payload["url"] == f"/space-extras/deliveries/{d.pk}/"
    member = login("defendant")
    page = member.get(card.payload["url"])
    assert page.status_code == 200 and "民事判决书" in page.content.decode()
    assert "no-consent-note" in page.content.decode()
    # strangers and the other party: as if there were no such delivery
    assert login("plaintiff").get(card.payload["url"]).status_code == 404
    other = login("judge")
    other.force_login(outsider)
    assert other.get(card.payload["url"]).status_code == 404
    # signing before opening is refused
    member.post(f"/space-extras/deliveries/{d.pk}/sign", {"strokes": data_url(strokes_png()), "confirm": "1"})
    d.refresh_from_db()
    assert d.status == "sent"
    opened = member.get(f"/space-extras/deliveries/{d.pk}/document")
    assert opened.status_code == 200 and b"".join(opened.streaming_content).startswith(b"%PDF")
    assert JournalEntry.objects.filter(case=scase, kind="deliveries.opened").count() == 1
    assert ReadLog.objects.filter(case_id=scase.pk, action="document.read", object_id=str(judgment.pk)).exists()
    member.get(f"/space-extras/deliveries/{d.pk}/document")  # a second reading is logged, not journaled again
    assert JournalEntry.objects.filter(case=scase, kind="deliveries.opened").count() == 1
    # "确认收到" must be ticked
    member.post(f"/space-extras/deliveries/{d.pk}/sign", {"strokes": data_url(strokes_png())})
    d.refresh_from_db()
    assert d.status == "opened"
    member.post(f"/space-extras/deliveries/{d.pk}/sign", {"strokes": data_url(strokes_png()), "confirm": "1"})
    d.refresh_from_db()
    assert d.status == "signed" and not d.served and d.signature_sha256
    signed = JournalEntry.objects.get(case=scase, kind="deliveries.signed")
    assert signed.payload["electronic_service"] is False
    assert not ServiceTask.objects.filter(case=scase).exists()
    assert "not-service" in member.get(f"/space-extras/deliveries/{d.pk}/").content.decode()


def test_with_consent_the_receipt_serves_and_the_certificate_is_filed(login, scase, judgment, users,
                                                                      django_capture_on_commit_callbacks):
    from yunting.core.efile.models import Document
    from yunting.core.service.services import consent_record

    consent_record(case=scase, party=scase.defendant, form="explicit", channels=["portal"], actor=users["defendant"])
    d = _deliver(login, scase, judgment, users)
    member = login("defendant")
    member.get(f"/space-extras/deliveries/{d.pk}/document")
    with django_capture_on_commit_callbacks(execute=True):
        member.post(f"/space-extras/deliveries/{d.pk}/sign", {"strokes": data_url(strokes_png()), "confirm": "1"})
    d.refresh_from_db()
    assert d.status == "signed" and d.served and d.service_task_id
    task = ServiceTask.objects.get(pk=d.service_task_id)
    assert (task.status, task.served_channel, task.recipient_id) == ("served", "space", scase.defendant.pk)
    assert task.attempts.get().signature_sha256
    completed = JournalEntry.objects.get(case=scase, kind="service.completed")
    assert completed.payload["channel"] == "space" and completed.payload["document_kind"] == "judgment"
    cert = Document.objects.get(case=scase, kind="service_certificate")
    assert cert.title == f"电子送达凭证（{scase.defendant.name}）" and cert.blob_id == task.report_sha256
    page = member.get(f"/space-extras/deliveries/{d.pk}/").content.decode()
    assert "data-testid=\"served\"" in page and cert.title in page


def test_consent_to_sms_only_does_not_cover_the_space(login, scase, judgment, users):
    from yunting.core.service.services import consent_record

    consent_record(case=scase, party=scase.defendant, form="explicit", channels=["sms"], actor=users["defendant"])
    d = _deliver(login, scase, judgment, users)
    member = login("defendant")
    member.get(f"/space-extras/deliveries/{d.pk}/document")
    member.post(f"/space-extras/deliveries/{d.pk}/sign", {"strokes": data_url(strokes_png()), "confirm": "1"})
    d.refresh_from_db()
    assert d.status == "signed" and not d.served
