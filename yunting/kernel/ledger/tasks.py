"""Background job: keep tree heads fresh even when nobody asks (schedule every few seconds, or run
`yunting ledger sth --every 5`)."""

from django_tasks import task


@task()
def ledger_issue_sth() -> int:
    from .services import ledger_sth_current

    return ledger_sth_current().tree_size
