"""Small read helpers of the 送达 pages: who reaches which task, and the rows the pages show. Everything that is not
the caller's is Http404 (never 403), so a task id tells nothing."""

from __future__ import annotations

from django.db.models import Max, Q
from django.http import Http404

from yunting.core.cases.models import Participation
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.core.service.choices import Channel, TaskStatus
from yunting.core.service.models import ServiceTask
from yunting.kernel.common.errors import ValidationFailed

DISPATCHED = frozenset({Channel.PORTAL, Channel.SMS, Channel.EMAIL})  # sent by the platform, not recorded by hand
STATS_ROLES = (Role.SERVICE_OFFICER, Role.COURT_ADMIN)
MAX_ID = 2**63 - 1


def _pk(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk <= MAX_ID else 0


def form_error(message, field: str) -> ValidationFailed:
    return ValidationFailed(message, code="service_form", data={"field": field})


def officer_court_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    from yunting.core.people.selectors import organisations_with

    return organisations_with(user, [Role.SERVICE_OFFICER])


def officer_courts_or_404(user) -> list[int]:
    courts = officer_court_ids(user)
    if not courts:
        raise Http404("service")
    return courts


def officer_tasks(user):
    """The tasks of the courts whose service centre the user works in (never secret cases)."""
    return ServiceTask.objects.filter(court_id__in=officer_court_ids(user)).exclude(case__security_level="secret")


def officer_task_or_404(user, task_id) -> ServiceTask:
    """A task the user may work: a service officer of its court, or the court staff of its case."""
    from yunting.core.service.access import access_task_for
    from yunting.core.service.errors import ServiceTaskNotFound

    try:
        return access_task_for(user, task_id, work=True).task
    except ServiceTaskNotFound:
        raise Http404("task") from None


def stats_court_or_404(user):
    """The court whose service statistics the user may read: its service officers and administrators."""
    m = (Membership.objects.filter(user=user, role__in=STATS_ROLES, organisation__kind="court")
         .select_related("organisation").first()) if getattr(user, "is_authenticated", False) else None
    if m is None:
        raise Http404("stats")
    return m.organisation


def bulk_outcome(done, tasks) -> tuple[int, list[dict]]:
    """(sent, [{id, recipient, message}]) from what service_bulk_dispatch answered."""
    by_id = {t.pk: t for t in tasks}
    failed = [{"id": s.get("task_id"), "recipient": by_id[s["task_id"]].recipient.name if s.get("task_id") in by_id
               else "", "message": str(s.get("message", ""))} for s in done.skipped]
    return len(done.sent), failed


# --- parties -------------------------------------------------------------------------------------------------------
def _party_rows(user, case_id=None):
    rows = Participation.objects.filter(user=user, party__isnull=False, role__in=("party", "lawyer"))
    if case_id is not None:
        rows = rows.filter(case_id=case_id)
    return rows


def party_ids_of(user, case_id=None) -> list[int]:
    """The parties the user is (or acts for as lawyer) — whose served documents they may open."""
    return list(_party_rows(user, case_id).values_list("party_id", flat=True))


def tasks_served_on(user, case_id=None):
    """Tasks whose recipient the user is: what has been (or is being) served on me."""
    if not getattr(user, "is_authenticated", False):
        return ServiceTask.objects.none()
    # a subquery, not the ids: a party to thousands of cases would send thousands of literals
    return (ServiceTask.objects.filter(recipient_id__in=_party_rows(user, case_id).values("party_id").order_by())
            .select_related("case", "recipient").order_by("-created_at"))


def recipient_document_or_404(user, task_id, document_id):
    from yunting.core.efile.models import Document

    task = tasks_served_on(user).filter(pk=_pk(task_id)).first()
    if task is None or _pk(document_id) not in [int(d) for d in task.document_ids]:
        raise Http404("document")
    document = Document.objects.select_related("blob").filter(pk=_pk(document_id), case_id=task.case_id).first()
    if document is None:
        raise Http404("document")
    return task, document


def document_of_task(task_id, document_id):
    from yunting.core.efile.models import Document

    task = ServiceTask.objects.filter(pk=_pk(task_id)).first()
    if task is None or _pk(document_id) not in [int(d) for d in task.document_ids]:
        return None
    return Document.objects.select_related("blob").filter(pk=_pk(document_id), case_id=task.case_id).first()


def sms_view(opened: dict) -> dict | None:
    """What the SMS page shows once the code was right: the court, the case number, the documents."""
    task = ServiceTask.objects.select_related("case", "court", "recipient").filter(pk=_pk(opened.get("task"))).first()
    if task is None:
        return None
    wanted = {int(d) for d in opened.get("documents", [])}
    docs = [d for d in task.documents if int(d.get("id", 0)) in wanted]
    return {"task": task, "documents": docs}


# --- the judge: all served --------------------------------------------------------------------------------------
JUDGE_ROLES = ("presiding_judge", "judge", "judge_assistant", "clerk")


def all_served_notices(user, limit: int = 10) -> list[dict]:
    """送达完成 notices: cases of mine where a request has been served on everyone and that I have not opened
    since (the case page's visit, in the read log, is what marks a notice read)."""
    from yunting.core.journal.models import JournalEntry
    from yunting.kernel.security.models import ReadLog

    if not getattr(user, "is_authenticated", False):
        return []
    mine = Participation.objects.filter(user=user, role__in=JUDGE_ROLES).values("case_id")
    entries = list(JournalEntry.objects.filter(case_id__in=mine, kind="service.all_served")
                   .select_related("case").order_by("-recorded_at", "-id")[:50])
    # the latest visit of each of those cases, in one query (it was one query a notice)
    last_visit = dict(ReadLog.objects.filter(user_id=user.pk, case_id__in={e.case_id for e in entries},
                                             action="case.view")
                      .values("case_id").annotate(last=Max("at")).values_list("case_id", "last").order_by()
                      ) if entries else {}
    out, seen_cases = [], set()
    for e in entries:
        if e.case_id in seen_cases:
            continue
        seen_cases.add(e.case_id)
        visited = last_visit.get(e.case_id) is not None and last_visit[e.case_id] > e.recorded_at
        if not visited:
            out.append({"case": e.case, "at": e.recorded_at, "count": len(e.payload.get("task_ids", []))})
        if len(out) >= limit:
            break
    return out


def case_tasks(case):
    return (ServiceTask.objects.filter(case=case).select_related("recipient")
            .order_by("-created_at", "recipient_id"))


def open_statuses() -> tuple[str, str]:
    return (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)


def search_q(q: str) -> Q:
    return Q(case__number__icontains=q) | Q(recipient__name__icontains=q)


def servable_documents(case, limit: int = 40) -> list[dict]:
    """What a judge may serve from the case: each court paper once, as its latest PDF (sealed when it is), and the
    other documents of the main volume (a complaint's copy for the defendant, say). Court papers first."""
    from yunting.core.efile.models import Document
    from yunting.core.papers.models import Paper

    latest = {p.pdf_sha256: p for p in Paper.objects.filter(case=case).exclude(pdf_sha256="")}
    papers, others = [], []
    docs = (Document.objects.filter(case=case, section__volume="main").select_related("entry")
            .order_by("-id")[:200])
    for d in docs:
        if d.entry.kind.startswith("service."):
            continue  # the service reports themselves (送达回证) are proof, not something to serve
        if d.entry.kind.startswith("papers."):
            paper = latest.pop(d.blob_id, None)
            if paper is not None:  # earlier versions of a paper (before signing, sealing) are not served
                papers.append({"doc": d, "paper": paper, "sealed": paper.status == "sealed"})
        else:
            others.append({"doc": d, "paper": None, "sealed": False})
    return (papers + others)[:limit]


def unread_served_on_me(user, limit: int = 10) -> list[ServiceTask]:
    """Documents delivered to my platform account that I have not opened yet (the portal's inbox)."""
    from django.db.models import Exists, OuterRef

    from yunting.core.service.models import ServiceAttempt

    delivered = ServiceAttempt.objects.filter(task=OuterRef("pk"), channel="portal", outcome="delivered")
    read = ServiceAttempt.objects.filter(task=OuterRef("pk"), channel="portal", outcome="read")
    return list(tasks_served_on(user).filter(Exists(delivered)).exclude(Exists(read))[:limit])


def own_party_or_404(user, case_id):
    """The party the user is in this case (their own record, or the one they represent as lawyer)."""
    from yunting.core.cases.models import Party

    ids = party_ids_of(user, _pk(case_id))
    party = Party.objects.select_related("case").filter(pk__in=ids).order_by("id").first() if ids else None
    if party is None:
        raise Http404("case")
    return party


def consent_of(case, party_ids) -> set[str]:
    from yunting.core.service.models import Consent

    rows = Consent.objects.filter(case=case, party_id__in=list(party_ids), withdrawn_at__isnull=True)
    return {ch for c in rows for ch in c.channels}
