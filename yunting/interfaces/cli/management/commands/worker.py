"""`yunting worker`: a separate job worker for whichever task backend is configured."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs: the database worker (embedded) or an RQ worker (REDIS_URL set)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, burst, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == "django_tasks_db.DatabaseBackend":
            call_command("db_worker", *(["--batch"] if burst else []), "--queue-name", "*")
        elif backend == "django_tasks_rq.RQBackend":
            call_command("rqworker", "default", *(["--burst"] if burst else []))
        else:
            self.stdout.write(f"{backend} runs jobs immediately; no worker needed")
