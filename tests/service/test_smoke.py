import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_request_consent_portal_serves(svc_case, users, kinds, deliver):
    from yunting.core.service.services import consent_record, service_dispatch, service_request

    case, plaintiff, defendant, complaint = svc_case
    consent_record(case=case, party=defendant, form="explicit", channels=["portal", "sms"], actor=users["clerk"])
    [task] = service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk], actor=users["judge"])
    assert task.plan[0]["channel"] == "portal"
    service_dispatch(task=task, actor=users["service_officer"])
    task.refresh_from_db()
    assert task.status == "served"
    assert kinds(case, "service.completed")[0]["document_kind"] == "complaint"
    deliver()
    task.refresh_from_db()
    assert task.report_sha256
