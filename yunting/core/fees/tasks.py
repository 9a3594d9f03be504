from django_tasks import task


@task()
def fee_statement_process(*, import_id: int) -> dict:
    """Reconcile a large bank statement that was stored and answered at once."""
    from .services import fee_statement_run

    statement = fee_statement_run(import_id=import_id)
    return {"status": statement.status, "matched": statement.matched_count, "lines": statement.line_count}
