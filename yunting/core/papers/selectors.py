from .models import Paper, PaperStatus, SealJob


def papers_for_case(case):
    return Paper.objects.filter(case=case).select_related("created_by", "issued_by").order_by("-created_at", "-id")


def papers_awaiting_seal(court):
    """Issued papers of the court whose next slot is the seal (earlier signatures done)."""
    from yunting.kernel.documents.library import template_get

    out = []
    for paper in (Paper.objects.filter(case__court=court, status=PaperStatus.ISSUED)
                  .select_related("case").order_by("issued_at", "id")):
        tpl = template_get(paper.template_code)
        nxt = next((s for s in tpl.slots if s.name not in paper.signed_slots), None)
        if nxt is not None and nxt.kind == "seal":
            out.append(paper)
    return out


def seal_job_get(job_id) -> SealJob:
    return SealJob.objects.get(pk=job_id)
