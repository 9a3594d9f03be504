"""The proof of service: 电子送达凭证 (OLR art 31: equal to a 送达回证) when an electronic channel served, 送达回证
otherwise — every attempt with its time, channel, outcome and the (masked) address used, the read receipts, and
the SHA-256 of every document served; sealed by the court and filed in the e-file through the journal."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.documents.library import COMMON, RECIPIENT, SEAL_SLOT, Template, Var, VarType
from yunting.kernel.documents.render import render_pdf
from yunting.kernel.documents.signing import stamps
from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign
from yunting.kernel.security.masking import mask_phone

from . import entries, rules
from .choices import ELECTRONIC, Outcome, TaskStatus
from .models import ServiceTask

T, L, D = VarType.TEXT, VarType.LIST, VarType.DATE
TEMPLATE = Template(
    "service_certificate", "电子送达凭证", "service_certificate", "service_certificate.html",
    (*COMMON, RECIPIENT, Var("certificate_title", T, "标题"), Var("result", T, "送达结果"), Var("method", T, "送达方式"),
     Var("served_date", D, "送达日期", required=False), Var("deemed_note", T, "说明", required=False),
     Var("served_documents", L, "送达文书"), Var("attempts", L, "送达过程"), Var("remarks", T, "备考", required=False)),
    (SEAL_SLOT,),
)
OUTCOME_LABEL = {"delivered": "已送达", "read": "已阅读", "failed": "失败", "refused": "拒收", "published": "已公告",
                 "sent": "已发出"}


def _address(channel: str, value: str) -> str:
    """Masked: the report goes to the parties; a phone shows as 138****5678, an account only as 平台账户."""
    if not value:
        return ""
    if channel in (rules.SMS, rules.PHONE):
        return mask_phone(value)
    if channel == rules.PORTAL:
        return "平台账户"
    if channel == rules.SPACE:
        return "案件空间"
    if channel == rules.EMAIL and "@" in value:
        name, _, host = value.partition("@")
        return f"{name[:2]}***@{host}"
    return value


def report_variables(task: ServiceTask) -> dict:
    """What the report says, taken only from the task's attempts and documents (tests compare the two)."""
    attempts = list(task.attempts.order_by("at", "id"))
    electronic = task.status == TaskStatus.SERVED and task.served_channel in ELECTRONIC
    deemed = ""
    if task.served_channel == rules.ANNOUNCEMENT:
        deemed = f"公告期满视为送达，{'涉外' if task.foreign else ''}公告期间{60 if task.foreign else 30}日"
    case = task.case
    now = timezone.now().astimezone(SHANGHAI)
    return {
        "court_name": case.court.name, "case_number": case.number, "cause": case.cause.name,
        "issue_date": now.date(), "recipient": task.recipient.name,
        "certificate_title": "电子送达凭证" if electronic else "送达回证",
        "result": "已送达" if task.status == TaskStatus.SERVED else "未能送达",
        "method": rules.CHANNEL_LABEL.get(task.served_channel, "—") if task.served_channel else "—",
        "served_date": task.served_on, "deemed_note": deemed,
        "served_documents": [{"title": d.get("title", ""), "sha256": d.get("sha256", "")} for d in task.documents],
        "attempts": [{"at": a.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                      "channel": rules.CHANNEL_LABEL.get(a.channel, a.channel),
                      "outcome": OUTCOME_LABEL.get(a.outcome, a.outcome),
                      "address": _address(a.channel, a.address_used) + (f" EMS {a.tracking_number}"
                                                                        if a.tracking_number else ""),
                      "note": a.note[:120]} for a in attempts],
        "remarks": "阅读回执：" + "；".join(a.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                                       for a in attempts if a.outcome == Outcome.READ)
        if any(a.outcome == Outcome.READ for a in attempts) else "",
    }


@transaction.atomic
def report_file(*, task: ServiceTask) -> str:
    """Render, seal and file the report once per task; returns its SHA-256."""
    from yunting.core.papers.services import cert_for_seal

    task = ServiceTask.objects.select_for_update().select_related("case", "case__court", "case__cause",
                                                                  "recipient").get(pk=task.pk)
    if task.report_sha256:
        return task.report_sha256
    if task.status not in (TaskStatus.SERVED, TaskStatus.FAILED):
        return ""
    variables = report_variables(task)
    rendered = render_pdf(TEMPLATE, variables)
    court = task.case.court
    pdf = pdf_sign(rendered.pdf, cert=cert_for_seal(court),
                   request=SignRequest(SEAL_SLOT.name, reason="加盖院印", location=court.name,
                                       image=stamps.seal_stamp(court_name=court.name)))
    blob = blob_put_bytes(pdf, allowed={"application/pdf"})
    title = f"{variables['certificate_title']}（{task.recipient.name}）"
    kind = "service_certificate" if variables["certificate_title"] == "电子送达凭证" else "service_receipt"
    journal_append(case=task.case, kind=entries.REPORTED, actor=None,
                   payload={"task_id": task.pk, "party_id": task.recipient_id, "title": title},
                   documents=[DocumentInput(sha256=blob.sha256, title=title, kind=kind, filename=f"{title}.pdf")])
    task.report_sha256 = blob.sha256
    task.save(update_fields=["report_sha256", "updated_at"])
    return blob.sha256
