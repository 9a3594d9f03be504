from django_tasks import task

from .batch import seal_job_process


@task()
def seal_job_run(*, job_id: int) -> dict:
    job = seal_job_process(job_id)
    return {"sealed": job.sealed, "failed": job.failed}
