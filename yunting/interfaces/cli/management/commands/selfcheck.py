"""`yunting check`: is this deployment healthy? Each line says what was checked and what was found."""

import io

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "System self-check: database, migrations, keys, blob storage, jobs, journal chains."

    def handle(self, *args, **options):
        results = [self._run(name, fn) for name, fn in self.checks()]
        failed = [r for r in results if not r]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed")
        self.stdout.write(self.style.SUCCESS("all checks passed"))

    def checks(self):
        return [
            ("database", self.check_database),
            ("migrations", self.check_migrations),
            ("data directory", self.check_data_dir),
            ("field encryption", self.check_encryption),
            ("blob storage", self.check_blobs),
            ("background jobs", self.check_jobs),
            ("journal hash chains", self.check_journal),
            ("subscriber deliveries", self.check_deliveries),
        ]

    def _run(self, name, fn) -> bool:
        try:
            detail = fn()
        except Exception as exc:  # a self-check reports every failure, it never stops at the first
            self.stdout.write(self.style.ERROR(f"✗ {name}: {exc}"))
            return False
        self.stdout.write(f"✓ {name}: {detail}")
        return True

    def check_database(self):
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return f"{connection.vendor} {connection.settings_dict['NAME']}"

    def check_migrations(self):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise RuntimeError(f"{len(plan)} unapplied migration(s); run `yunting migrate`")
        return "all applied"

    def check_data_dir(self):
        probe = settings.DATA_DIR / "tmp" / ".selfcheck"
        probe.write_text("ok")
        probe.unlink()
        return f"{settings.DATA_DIR} writable"

    def check_encryption(self):
        from yunting.kernel.security.fields import decrypt_text, encrypt_text

        assert decrypt_text(encrypt_text("11010519491231002X")) == "11010519491231002X"
        return f"{len(settings.FIELD_ENCRYPTION_KEYS)} key(s) loaded"

    def check_blobs(self):
        from yunting.kernel.blobs.store import blob_put, blob_verify

        blob = blob_put(io.BytesIO(b"%PDF-1.4\n% yunting self-check\n"), allowed={"application/pdf"})
        if not blob_verify(blob.sha256):
            raise RuntimeError("stored bytes do not match their hash")
        return f"{settings.BLOB_BACKEND} round trip ok"

    def check_jobs(self):
        backend = settings.TASKS["default"]["BACKEND"]
        if settings.REDIS_URL:
            import redis

            redis.Redis.from_url(settings.REDIS_URL).ping()
        return backend

    def check_journal(self):
        from yunting.core.cases.models import Case
        from yunting.core.journal.verify import journal_verify_case

        bad = [c.number for c in Case.objects.all().iterator() if journal_verify_case(c)]
        if bad:
            raise RuntimeError(f"broken chains in {len(bad)} case(s): {', '.join(bad[:5])}")
        return f"{Case.objects.count()} case chain(s) intact"

    def check_deliveries(self):
        from yunting.core.journal.models import Delivery

        failed = Delivery.objects.filter(status=Delivery.Status.FAILED).count()
        pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
        if failed:
            raise RuntimeError(f"{failed} failed, {pending} pending; fix the cause and run `yunting redeliver`")
        return f"{pending} pending, none failed"
