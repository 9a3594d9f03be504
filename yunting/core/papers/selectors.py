from .models import Paper, PaperStatus, SealJob


def papers_for_case(case):
    return Paper.objects.filter(case=case).select_related("created_by", "issued_by").order_by("-created_at", "-id")


def paper_next_slot(paper):
    """The signature slot that comes next in the template's order, or None when all are signed."""
    from yunting.kernel.documents.library import template_get

    return next((s for s in template_get(paper.template_code).slots if s.name not in paper.signed_slots), None)


def paper_signed_labels(paper) -> list[str]:
    """Display labels (法官, 书记员, 院印 …) of the slots signed so far, in order."""
    from yunting.kernel.documents.library import template_get

    labels = {s.name: s.label for s in template_get(paper.template_code).slots}
    return [labels.get(name, name) for name in paper.signed_slots]


def papers_awaiting_seal(court):
    """Issued papers of the court whose next slot is the seal (earlier signatures done)."""
    out = []
    for paper in (Paper.objects.filter(case__court=court, status=PaperStatus.ISSUED)
                  .select_related("case").order_by("issued_at", "id")):
        nxt = paper_next_slot(paper)
        if nxt is not None and nxt.kind == "seal":
            out.append(paper)
    return out


def seal_job_get(job_id) -> SealJob:
    return SealJob.objects.get(pk=job_id)
