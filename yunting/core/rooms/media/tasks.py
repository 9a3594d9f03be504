"""Background jobs of the rooms' media."""

from django_tasks import task


@task()
def patrol_recording(*, session_id: int) -> str:
    """One slice of a recording's patrol (services.patrol_slice_seconds of work); enqueues the next slice until
    the analysis is done, so no single job runs into the worker's job timeout however long the hearing was."""
    from .models import PatrolState
    from .services import patrol_slice_seconds, patrol_step

    run = patrol_step(session_id=session_id, budget_s=patrol_slice_seconds())
    if run.state == PatrolState.PENDING:
        patrol_recording.enqueue(session_id=session_id)
        return f"slice {run.slices}"
    return run.state
