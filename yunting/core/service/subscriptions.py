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
