"""Reads of the service centre: the officer's queue, one task as a viewer may see it, a case's service status and
the statistics. Officers see what serving needs (masked ID numbers and phones, no merits); every unmasked view
is written to the chained read log."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from django.db.models import Q
from django.utils import timezone

from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.security.audit import read_log
from yunting.kernel.security.masking import mask_id_number, mask_phone

from . import rules
from .access import officer_courts
from .choices import ELECTRONIC, Channel, Outcome, TaskStatus
from .models import Consent, ContactPoint, ServiceAttempt, ServiceTask

OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "" = open (pending + in progress); or one TaskStatus; "all"
    channel: str = ""  # current channel of the plan
    case_id: int | None = None
    overdue: bool = False
    q: str = ""  # case number or recipient name contains


def tasks_queue(officer, filters: QueueFilters | None = None, *, limit: int = 200) -> list[ServiceTask]:
    """The service officer's queue across the courts they serve, by deadline (then oldest first)."""
    f = filters or QueueFilters()
    qs = ServiceTask.objects.filter(court_id__in=officer_courts(officer)).exclude(case__security_level="secret")
    if f.status == "all":
        pass
    elif f.status:
        qs = qs.filter(status=f.status)
    else:
        qs = qs.filter(status__in=OPEN)
    if f.case_id:
        qs = qs.filter(case_id=f.case_id)
    if f.overdue:
        qs = qs.filter(due_on__lt=timezone.now().astimezone(SHANGHAI).date(), status__in=OPEN)
    if f.q:
        qs = qs.filter(Q(case__number__icontains=f.q) | Q(recipient__name__icontains=f.q))
    rows = list(qs.select_related("case", "recipient").order_by("due_on", "created_at", "id")[:limit * 2 if
                                                                                          f.channel else limit])
    if f.channel:
        rows = [t for t in rows if t.current_channel == f.channel][:limit]
    return rows


def _attempt_dict(a: ServiceAttempt, *, unmasked: bool) -> dict:
    address = a.address_used
    if not unmasked and a.channel in (Channel.SMS, Channel.PHONE):
        address = mask_phone(address)
    if not unmasked and a.channel == Channel.PORTAL:
        address = "平台账户"
    return {"id": a.pk, "channel": a.channel, "at": a.at.isoformat(), "outcome": a.outcome, "note": a.note,
            "address": address, "tracking_number": a.tracking_number, "phrase": a.phrase,
            "officer": a.officer.display_name if a.officer_id else "系统",
            "has_recording": bool(a.recording_sha256), "has_signature": bool(a.signature_sha256)}


def _contact_dict(c: ContactPoint, *, unmasked: bool) -> dict:
    value = c.value
    if c.kind == "phone" and not unmasked:
        value = mask_phone(value)
    if c.kind == "account":
        value = "平台账户"
    return {"id": c.pk, "kind": c.kind, "value": value, "delivered": c.delivered_count, "failed": c.failed_count,
            "last_outcome": c.last_outcome, "source": c.source, "fake": c.source == "data_repair_fake"}


def task_detail(task: ServiceTask, viewer, *, unmasked: bool = False, ip: str | None = None) -> dict:
    """One task for the workbench: recipient (ID number and phone masked unless `unmasked`, which is logged),
    documents (titles and hashes only — no merits), plan with reasons, attempts, contacts, consent."""
    if unmasked:
        read_log(user=viewer, action="service.contact_unmasked", channel="service", case_id=task.case_id,
                 object_type="service_task", object_id=task.pk, ip=ip)
    party = task.recipient
    attempts = list(task.attempts.select_related("officer").order_by("at", "id"))
    contacts = list(ContactPoint.objects.filter(identity_key=task.identity_key).order_by("kind", "-delivered_count",
                                                                                         "failed_count"))
    consent = list(Consent.objects.filter(case_id=task.case_id, party=party, withdrawn_at__isnull=True))
    return {
        "id": task.pk, "case_id": task.case_id, "case_number": task.case.number, "status": task.status,
        "served_on": task.served_on.isoformat() if task.served_on else None, "served_channel": task.served_channel,
        "due_on": task.due_on.isoformat() if task.due_on else None, "document_kind": task.document_kind,
        "current_channel": task.current_channel, "plan": task.plan, "plan_index": task.plan_index,
        "foreign": task.foreign,
        "recipient": {"id": party.pk, "name": party.name, "role": party.role, "kind": party.kind,
                      "id_number": party.id_number if unmasked else mask_id_number(party.id_number),
                      "credit_code": party.credit_code,
                      "phone": party.phone if unmasked else mask_phone(party.phone), "address": party.address},
        "documents": [{"id": d.get("id"), "title": d.get("title"), "sha256": d.get("sha256")} for d in task.documents],
        "attempts": [_attempt_dict(a, unmasked=unmasked) for a in attempts],
        "contacts": [_contact_dict(c, unmasked=unmasked) for c in contacts],
        "consent": sorted({ch for c in consent for ch in c.channels}),
        "report_sha256": task.report_sha256, "unmasked": unmasked,
    }


def tasks_of_case(case, *, viewer=None, party_ids=None) -> list[ServiceTask]:
    qs = ServiceTask.objects.filter(case=case).select_related("recipient").order_by("recipient__order", "id")
    if party_ids is not None:
        qs = qs.filter(recipient_id__in=list(party_ids))
    return list(qs)


def case_service_status(case, *, party_ids=None) -> list[dict]:
    """Per recipient and document: status and served_on (the latest task for each pair). `party_ids` limits it to
    those parties (a party sees only their own)."""
    out: dict[int, dict] = {}
    for t in tasks_of_case(case, party_ids=party_ids):
        r = out.setdefault(t.recipient_id, {"recipient": {"id": t.recipient_id, "name": t.recipient.name,
                                                          "role": t.recipient.role},
                                            "documents": {}, "tasks": []})
        r["tasks"].append({"id": t.pk, "status": t.status, "served_on": t.served_on.isoformat() if t.served_on
                           else None, "served_channel": t.served_channel, "current_channel": t.current_channel})
        for d in t.documents:
            r["documents"][d.get("id")] = {"document_id": d.get("id"), "title": d.get("title"), "status": t.status,
                                           "served_on": t.served_on.isoformat() if t.served_on else None,
                                           "served_channel": t.served_channel, "task_id": t.pk}
    rows = []
    for r in out.values():
        docs = list(r["documents"].values())
        r["documents"] = docs
        r["all_served"] = bool(docs) and all(d["status"] == TaskStatus.SERVED for d in docs)
        rows.append(r)
    return rows


def case_all_served(case) -> bool:
    rows = case_service_status(case)
    return bool(rows) and all(r["all_served"] for r in rows)


def plan_reasons(task: ServiceTask) -> list[str]:
    return [f"{rules.CHANNEL_LABEL.get(s['channel'], s['channel'])}：{s['reason']}" for s in task.plan]


def service_statistics(*, court_ids=None, division_id: int | None = None, start: date | None = None,
                       end: date | None = None) -> dict:
    """Success rate by channel and by division, median days to serve, share served electronically — over the
    tasks requested in [start, end] (Shanghai dates)."""
    qs = ServiceTask.objects.all()
    if court_ids is not None:
        qs = qs.filter(court_id__in=list(court_ids))
    if division_id:
        qs = qs.filter(division_id=division_id)
    if start:
        qs = qs.filter(created_at__gte=datetime(start.year, start.month, start.day, tzinfo=SHANGHAI))
    if end:
        qs = qs.filter(created_at__lt=datetime(end.year, end.month, end.day, tzinfo=SHANGHAI) + timedelta(days=1))
    tasks = list(qs.values("id", "status", "served_channel", "division_id", "division__name", "created_at",
                           "served_at"))
    ids = [t["id"] for t in tasks]
    by_channel: dict[str, dict] = defaultdict(lambda: {"tried": 0, "served": 0})
    for start_i in range(0, len(ids), 900):
        for channel, outcome in ServiceAttempt.objects.filter(task_id__in=ids[start_i:start_i + 900]).values_list(
                "channel", "outcome"):
            if outcome in (Outcome.SENT, Outcome.READ):
                continue
            c = by_channel[channel]
            c["tried"] += 1
    for t in tasks:
        if t["status"] == TaskStatus.SERVED and t["served_channel"]:
            by_channel[t["served_channel"]]["served"] += 1
    channels = []
    for ch in rules.CHANNELS:
        if ch in by_channel:
            c = by_channel[ch]
            tried = max(c["tried"], c["served"])
            channels.append({"channel": ch, "label": rules.CHANNEL_LABEL[ch], "attempts": tried,
                             "served": c["served"], "success_rate": round(c["served"] / tried, 4) if tried else None})
    divisions: dict = defaultdict(lambda: {"tasks": 0, "served": 0, "name": ""})
    for t in tasks:
        d = divisions[t["division_id"]]
        d["name"] = t["division__name"] or "未分庭"
        d["tasks"] += 1
        d["served"] += t["status"] == TaskStatus.SERVED
    served = [t for t in tasks if t["status"] == TaskStatus.SERVED]
    days = [(t["served_at"] - t["created_at"]).total_seconds() / 86400 for t in served if t["served_at"]]
    electronic = sum(1 for t in served if t["served_channel"] in ELECTRONIC)
    return {
        "tasks": len(tasks), "served": len(served),
        "success_rate": round(len(served) / len(tasks), 4) if tasks else None,
        "by_channel": channels,
        "by_division": [{"division_id": k, "name": v["name"], "tasks": v["tasks"], "served": v["served"],
                         "success_rate": round(v["served"] / v["tasks"], 4) if v["tasks"] else None}
                        for k, v in divisions.items()],
        "median_days_to_serve": round(median(days), 2) if days else None,
        "electronic_share": round(electronic / len(served), 4) if served else None,
    }


def sms_link_info(token: str) -> dict | None:
    """What the /s/<token> page may show before the code is entered: the court's name and the link's state —
    never the case, the recipient or the documents. None for an unknown token."""
    import hashlib

    from .models import SmsAccessLink
    from .services import LINK_MAX_WRONG

    link = (SmsAccessLink.objects.select_related("task__case__court")
            .filter(token_hash=hashlib.sha256((token or "").encode()).hexdigest()).first())
    if link is None:
        return None
    state = ("used" if link.opened_at else "expired" if link.expires_at <= timezone.now()
             else "locked" if link.attempts >= LINK_MAX_WRONG else "open")
    return {"court": link.task.case.court.name, "state": state, "attempts_left": max(LINK_MAX_WRONG - link.attempts, 0),
            "channel": link.channel}
