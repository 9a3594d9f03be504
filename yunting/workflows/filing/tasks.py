from django_tasks import task


@task()
def filing_notices_issue(*, filing_ids: list[int]) -> dict:
    """Issue the 受理通知书 of accepted filings; each filing on its own, so one failure stays its own."""
    from .acceptance import filing_notice_issue

    results = [filing_notice_issue(filing_id=i) for i in filing_ids]
    return {"done": results.count("done"), "failed": results.count("failed")}


@task()
def filing_batch_process(*, batch_id: int) -> dict:
    from .batches import batch_process

    batch = batch_process(batch_id=batch_id)
    return {"filed": batch.filed, "invalid": batch.invalid, "duplicates": batch.duplicates}


@task()
def filing_batch_accept(*, batch_id: int) -> dict:
    """一键立案 of a batch, asked for on the review page."""
    from .acceptance import filing_batch_accept_run

    result = filing_batch_accept_run(batch_id=batch_id)
    return {"accepted": result["accepted"], "failed": len(result["failed"])}


@task()
def filing_webhooks_deliver() -> int:
    from .webhooks import webhook_deliver_due

    return webhook_deliver_due()
