"""The proof of service: its content is the task's attempts and documents, it is sealed by the court, and it lands
in the e-file through the journal."""

import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from yunting.core.service import services as svc

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_the_electronic_certificate_lists_every_attempt_and_document_hash_and_is_sealed(svc_case, users, kinds):
    from yunting.core.efile.models import Document
    from yunting.kernel.blobs.store import blob_read
    from yunting.kernel.documents.signing.pki import pki_trust
    from yunting.kernel.documents.signing.validate import pdf_validate
    from yunting.kernel.notify.models import OutboxMessage

    case, _p, defendant, complaint = svc_case
    svc.consent_record(case=case, party=defendant, form="explicit", channels=["sms"], actor=users["clerk"])
    with time_machine.travel("2026-12-02 09:15 +08:00", tick=False):
        [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk],
                                     actor=users["judge"])
        svc.service_dispatch(task=task, actor=users["service_officer"])
    body = OutboxMessage.objects.get(purpose=f"service:{task.pk}").body
    token, code = re.search(r"/s/(\S+) ", body).group(1), re.search(r"访问码 (\d{6})", body).group(1)
    with time_machine.travel("2026-12-03 20:40 +08:00", tick=False):
        svc.sms_link_open(token=token, code=code)
    sha = svc.service_report_generate(task=task)
    assert svc.service_report_generate(task=task) == sha  # once per task
    pdf = blob_read(sha)
    text = _text(pdf)
    assert "电子送达凭证" in text and defendant.name in text and case.number in text
    assert complaint.blob_id in text  # the served document's SHA-256
    attempts = list(task.attempts.order_by("at"))
    assert [(a.channel, a.outcome) for a in attempts] == [("sms", "sent"), ("sms", "read")]
    for stamp, outcome in (("2026-12-0209:15", "已发出"), ("2026-12-0320:40", "已阅读")):
        assert stamp + "短信" + outcome in text
    assert "139****4321" in text and "13987654321" not in text  # the report goes to the parties: masked
    assert "阅读回执：2026-12-0320:40" in text
    report = pdf_validate(pdf, trust=pki_trust())
    [seal] = report.signatures
    assert seal.ok and seal.signer == case.court.name
    [entry] = kinds(case, "service.reported")
    assert entry["task_id"] == task.pk
    doc = Document.objects.get(case=case, blob_id=sha)
    assert (doc.kind, doc.section.title) == ("service_certificate", "送达材料")


def test_a_failed_task_gets_a_service_receipt_saying_so(svc_case, users):
    from yunting.kernel.blobs.store import blob_read

    case, _p, defendant, complaint = svc_case
    [task] = svc.service_request(case=case, documents=[complaint.pk], recipients=[defendant.pk], actor=users["judge"])
    for channel, note in (("post", "退件：查无此人"), ("direct", "无人"), ("announcement", "未刊登")):
        svc.service_attempt_record(task=task, channel=channel, outcome="failed", note=note,
                                   officer=users["service_officer"])
    task.refresh_from_db()
    assert task.status == "failed"
    text = _text(blob_read(svc.service_report_generate(task=task)))
    assert "送达回证" in text and "未能送达" in text
    for note in ("退件：查无此人", "无人", "未刊登"):
        assert note in text
