"""Batch sealing: one job seals many papers; each paper is its own transaction, so one failure neither stops
nor corrupts the others, and is reported by name (case number and title)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.kernel.common.errors import PermissionDenied, ValidationFailed

from .models import Paper, SealJob, SealJobItem
from .services import can_seal, paper_seal

log = logging.getLogger(__name__)
MAX_BATCH = 2000


@transaction.atomic
def seal_job_create(*, actor, court, paper_ids: Sequence[int]) -> SealJob:
    """Record the batch (ids are checked to belong to the court) and start it after commit."""
    if not can_seal(actor, court):
        raise PermissionDenied(_("You are not authorised to apply the court's seal."), code="paper_no_seal_authority")
    ids = list(dict.fromkeys(int(i) for i in paper_ids))
    if not ids:
        raise ValidationFailed(_("Choose the documents to seal."), code="seal_job_empty")
    if len(ids) > MAX_BATCH:
        raise ValidationFailed(_("At most %(n)d documents at a time.") % {"n": MAX_BATCH}, code="seal_job_too_large")
    found = set(Paper.objects.filter(pk__in=ids, case__court=court).values_list("pk", flat=True))
    if missing := [i for i in ids if i not in found]:
        raise ValidationFailed(_("A chosen document does not exist or does not belong to this court."), code="seal_job_papers", data={"missing": missing})
    job = SealJob.objects.create(court=court, created_by=actor, total=len(ids))
    SealJobItem.objects.bulk_create(SealJobItem(job=job, paper_id=pid, position=n) for n, pid in enumerate(ids))
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import seal_job_run

    seal_job_run.enqueue(job_id=job_id)


def seal_job_process(job_id: int) -> SealJob:
    """Seal every pending item; safe to run again after a crash (done items are skipped)."""
    job = SealJob.objects.select_related("created_by").get(pk=job_id)
    SealJob.objects.filter(pk=job.pk).update(status=SealJob.Status.RUNNING)
    for item in job.items.filter(status=SealJobItem.Status.PENDING).select_related("paper", "paper__case"):
        paper = item.paper
        try:
            paper_seal(paper=paper, actor=job.created_by)
        except Exception as exc:  # any failure is this paper's alone
            message = getattr(exc, "message", None) or f"{exc.__class__.__name__}: {exc}"
            if not getattr(exc, "message", None):
                log.exception("sealing paper %s failed", paper.pk)
            SealJobItem.objects.filter(pk=item.pk).update(
                status=SealJobItem.Status.FAILED, error_message=f"{paper.case.number} {paper.title}：{message}"[:2000])
            SealJob.objects.filter(pk=job.pk).update(failed=F("failed") + 1)
            continue
        SealJobItem.objects.filter(pk=item.pk).update(status=SealJobItem.Status.SEALED, error_message="")
        SealJob.objects.filter(pk=job.pk).update(sealed=F("sealed") + 1)
    SealJob.objects.filter(pk=job.pk).update(status=SealJob.Status.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job
