"""`yunting worker`: a separate job worker for whichever task backend is configured."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Jobs queued by django-tasks' RQ backend are its own Job class (the task and its result around the function):
# a plain RQ worker runs them as rq.Job and fails every one ("'Task' object is not callable").
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


class Command(BaseCommand):
    help = "Run background jobs: the database worker (embedded) or an RQ worker (REDIS_URL set)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--no-fork", action="store_true",
                            help="RQ: run each job in this process instead of a forked work horse (debugging).")

    def handle(self, *args, burst, no_fork, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == "django_tasks_db.DatabaseBackend":
            call_command("db_worker", *(["--batch"] if burst else []), "--queue-name", "*")
        elif backend == "django_tasks_rq.RQBackend":
            queues = settings.TASKS["default"].get("QUEUES") or ["default"]
            call_command("rqworker", *queues, "--job-class", RQ_JOB_CLASS, *(["--burst"] if burst else []),
                         *(["--worker-class", "rq.SimpleWorker"] if no_fork else []))
        else:
            self.stdout.write(f"{backend} runs jobs immediately; no worker needed")
