"""Reactions to journal entries (after commit, once per entry; see core.journal.registry)."""

from __future__ import annotations

from .models import ServiceTask
from .services import service_report_generate, service_request_from_entry


def on_service_wanted(entry) -> None:
    """service.wanted {"documents": [ids], "recipients": [party ids]}: a workflow asks for service."""
    service_request_from_entry(entry)


def on_service_finished(entry) -> None:
    """service.completed / service.failed {"task_id"}: file the sealed report (idempotent per task)."""
    task_id = (entry.payload or {}).get("task_id")
    task = ServiceTask.objects.filter(pk=task_id).select_related("case", "case__court", "recipient").first()
    if task is not None:
        service_report_generate(task=task)


SERVED_ON_SEALING = ("judgment", "ruling", "mediation_statement")


def on_paper_sealed(entry) -> None:
    """papers.sealed: a judgment, ruling or mediation statement with the court seal on it is served on every party
    of the case as its sealed PDF (once per sealing; electronic first channels go out at once)."""
    from yunting.core.efile.models import Document

    from .services import RequestItem, service_request_many

    doc = Document.objects.filter(entry=entry, kind__in=SERVED_ON_SEALING, section__volume="main").first()
    if doc is None or ServiceTask.objects.filter(request_key=f"sealed:{entry.pk}").exists():
        return
    parties = list(entry.case.parties.values_list("pk", flat=True))
    if not parties:
        return
    [tasks] = service_request_many(items=[RequestItem(entry.case, [doc.pk], parties)], actor=None, dispatch=True)
    ServiceTask.objects.filter(pk__in=[t.pk for t in tasks]).update(request_key=f"sealed:{entry.pk}")
