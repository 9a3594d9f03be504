from django_tasks import task


@task()
def scan_page_task(*, batch_id: int, number: int) -> None:
    """Recognise one page of a scan batch (one job per page, so every worker takes pages of a big batch)."""
    from .services import scan_page_recognise

    scan_page_recognise(batch_id=batch_id, number=number)
