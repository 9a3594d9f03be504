"""Reads of space deliveries."""

from __future__ import annotations

from .models import SpaceDelivery


def deliveries_for_case(case, *, user=None, court: bool = False) -> list[SpaceDelivery]:
    """Court staff see every delivery of the case; a member only their own."""
    qs = SpaceDelivery.objects.filter(case=case).select_related("document", "party", "recipient")
    if not court:
        qs = qs.filter(recipient=user)
    return list(qs)


def court_documents(case) -> list:
    """The court-issued documents of the main volume, newest first: what may be delivered."""
    from yunting.core.efile.catalog import COURT_KINDS
    from yunting.core.efile.models import Document

    return list(Document.objects.filter(case=case, section__volume="main", kind__in=COURT_KINDS)
                .order_by("-id")[:100])


def certificate_for(delivery: SpaceDelivery):
    """The e-file's 电子送达凭证 of the service task the receipt completed, or None."""
    from yunting.core.efile.models import Document
    from yunting.core.service.models import ServiceTask

    if not delivery.service_task_id:
        return None
    sha = ServiceTask.objects.filter(pk=delivery.service_task_id).values_list("report_sha256", flat=True).first()
    if not sha:
        return None
    return Document.objects.filter(case_id=delivery.case_id, blob_id=sha).first()
