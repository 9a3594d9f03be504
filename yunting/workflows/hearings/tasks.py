"""Background jobs: thin shells over services (the week plan can take the solver's full time limit)."""

from django_tasks import task


@task()
def plan_run_job(*, run_id: int) -> dict:
    from .services import plan_run_execute

    run = plan_run_execute(run_id)
    return {"status": run.status}
