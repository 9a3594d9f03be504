"""`yunting serve`: HTTP and WebSocket (ASGI, uvicorn) from one process, plus the embedded job worker."""

import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

log = logging.getLogger("yunting")


class Command(BaseCommand):
    help = "Serve HTTP and WebSocket on one port; run background jobs in-process on the embedded backend."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Leave jobs to a separate `yunting worker`.")
        parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
        parser.add_argument("--keep-alive", type=int, default=75, help=(
            "Seconds an idle HTTP/1.1 connection stays open (uvicorn's own default, 5 s, is shorter than the "
            "pause between a person's clicks: a browser reusing a connection the server is closing that moment "
            "gets a reset; 75 s is nginx's default)."))
        parser.add_argument("--healthcheck-timeout", type=int, default=30, help=(
            "With --workers: seconds a worker may take to answer the supervisor's ping before it is killed and "
            "restarted (uvicorn's default, 5 s, killed busy workers during a sign-in burst on a loaded machine)."))

    def handle(self, *args, host, port, no_worker, workers, keep_alive, healthcheck_timeout, **options):
        import uvicorn

        stop = threading.Event()
        if not no_worker:
            self._start_background(stop)
        self.stdout.write(f"云庭 Yunting serving on http://{host}:{port}/ (data: {settings.DATA_DIR})")
        try:
            uvicorn.run("config.asgi:application", host=host, port=port, workers=workers, lifespan="off",
                        log_level="info", ws="websockets-sansio", timeout_keep_alive=keep_alive,
                        timeout_worker_healthcheck=healthcheck_timeout)
        finally:
            stop.set()

    def _start_background(self, stop: threading.Event) -> None:
        from yunting.kernel.common.periodic import run_forever
        from yunting.kernel.scan.sandbox import sandbox_warm

        threading.Thread(target=run_forever, args=(stop,), name="periodic", daemon=True).start()
        # With --workers N this is the supervisor process, which serves no request: the ledger's sequencer runs
        # here, and the web workers' after-commit nudges stand down while it does (kernel/ledger/sequencer.py).
        from yunting.kernel.ledger.sequencer import is_queued, run_dedicated

        if is_queued():
            threading.Thread(target=run_dedicated, args=(stop,), name="ledger-sequencer", daemon=True).start()
        # the sandboxed checkers start now (their fork server sets Django up once), not with the first upload
        threading.Thread(target=sandbox_warm, name="sandbox-warm", daemon=True).start()
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == "django_tasks_db.DatabaseBackend":
            from django_tasks_db.management.commands.db_worker import Worker

            worker = Worker(
                queue_names=["*"], interval=0.5, batch=False, backend_name="default", startup_delay=False,
                max_tasks=None, worker_id="serve-inprocess", excluded_queue_names=[],
            )
            threading.Thread(target=worker.run, name="db-worker", daemon=True).start()
            self.stdout.write("background jobs: in-process database worker")
        else:
            self.stdout.write(f"background jobs: {backend} (run `yunting worker` separately)")
