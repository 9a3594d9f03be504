"""Service for the demo court: the service officer (孙浩然, login `service_officer`) finds a queue with every state —
waiting, SMS sent and waiting to be opened, served on the platform, served by post after a failed SMS, an
announcement running, a failure — and plans whose reasons come from a seeded address history (a lawyer who
always signs on the platform, a number that failed twice).

`service_demo(orgs=…, users=…)` is idempotent: a court that already has service tasks is left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from yunting.core.cases.models import Case
from yunting.core.efile.models import Document

from .models import ContactPoint, ServiceTask
from .services import (
    account_key,
    consent_record,
    identity_key,
    service_attempt_record,
    service_bulk_dispatch,
    service_dispatch,
    service_reports_pending,
    service_request,
)

SERVED_KINDS = ("complaint", "judgment", "ruling")


def _seed_history(users, defendants) -> None:
    """A history as years of service would leave it: the demo lawyer signed for the last ten on the platform; one
    defendant's number failed twice."""
    ContactPoint.objects.update_or_create(
        identity_key=account_key(users["lawyer"].pk), kind="account", value=f"user:{users['lawyer'].pk}",
        defaults={"delivered_count": 10, "recent": "s" * 10, "last_outcome": "delivered", "source": "service",
                  "last_at": timezone.now() - timedelta(days=3)})
    if defendants:
        d = defendants[0]
        ContactPoint.objects.update_or_create(
            identity_key=identity_key(d), kind="phone", value=d.phone,
            defaults={"failed_count": 2, "recent": "ff", "last_outcome": "failed", "source": "service",
                      "last_at": timezone.now() - timedelta(days=40)})


def service_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None, limit: int = 12) -> dict:
    court = orgs["court"]
    if ServiceTask.objects.filter(court=court).exists():
        progress("service: demo tasks already present")
        return {"tasks": ServiceTask.objects.filter(court=court).count()}
    judge, clerk, officer = users["judge"], users["clerk"], users["service_officer"]
    cases = [c for c in Case.objects.filter(court=court, case_type_id="民初", participations__user=judge)
             .exclude(security_level="secret").exclude(status="closed").distinct().order_by("id")[:limit]]
    pairs = []
    for case in cases:
        doc = Document.objects.filter(case=case, kind="complaint", section__volume="main").order_by("id").first()
        defendant = case.parties.filter(role="defendant").first()
        if doc and defendant:
            pairs.append((case, doc, defendant))
    _seed_history(users, [d for _c, _doc, d in pairs])
    tasks = []
    for i, (case, doc, defendant) in enumerate(pairs):
        plan = i % 6
        if plan in (0, 1, 2):  # consented in the complaint's answer / by phone
            consent_record(case=case, party=defendant, form="explicit" if plan else "pleading",
                           channels=["portal", "sms"] if defendant.user_id else ["sms"], actor=clerk,
                           confirmed_by="phone")
        recipients = [defendant.pk]
        plaintiff = case.parties.filter(role="plaintiff").first()
        if plan == 0 and plaintiff is not None:
            consent_record(case=case, party=plaintiff, form="explicit", channels=["portal", "sms"], actor=clerk)
            recipients.append(plaintiff.pk)
        made = service_request(case=case, documents=[doc.pk], recipients=recipients, actor=judge)
        tasks += made
        task = made[0]
        if plan == 1:  # SMS sent, waiting for the link to be opened
            service_dispatch(task=task, actor=officer)
        elif plan == 2:  # SMS failed → post, signed for
            service_dispatch(task=task, actor=officer)
            service_attempt_record(task=task, channel="sms", outcome="failed", note="空号", officer=officer)
            service_dispatch(task=task, actor=officer, channel="post", tracking_number=f"EA{100000000 + i}CN")
            service_attempt_record(task=task, channel="post", outcome="delivered", note="本人签收", officer=officer)
        elif plan == 3:  # 公告 running
            service_attempt_record(task=task, channel="post", outcome="failed", note="退件：查无此人",
                                   officer=officer, tracking_number=f"EA{200000000 + i}CN")
            service_attempt_record(task=task, channel="direct", outcome="failed", note="现场无人，邻居称已搬离",
                                   officer=officer)
            service_attempt_record(task=task, channel="announcement", outcome="published", note="人民法院公告网",
                                   officer=officer)
    waiting_sms = [t for t in tasks if t.status == "pending" and t.current_channel == "sms"]
    if waiting_sms:
        service_bulk_dispatch(tasks=waiting_sms, channel="sms", actor=officer)
    portal = [t for t in ServiceTask.objects.filter(court=court, status="pending") if t.current_channel == "portal"]
    if portal:
        service_bulk_dispatch(tasks=portal, channel="portal", actor=officer)
    reports = service_reports_pending(limit=20)
    counts = {s: ServiceTask.objects.filter(court=court, status=s).count()
              for s in ("pending", "in_progress", "served", "failed")}
    progress(f"service: {sum(counts.values())} tasks ({counts['served']} served, {counts['in_progress']} in "
             f"progress, {counts['pending']} waiting), {reports} service reports sealed")
    return {"tasks": sum(counts.values()), **counts}
