"""Background jobs through the Django Tasks API: the database backend, and RQ on a real Redis."""

import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from yunting.core.journal import registry
from yunting.core.journal.models import Delivery
from yunting.core.journal.services import journal_append

SUBSCRIBER = "tests.core.test_journal.remember"


@pytest.mark.django_db(transaction=True)
def test_database_backend_runs_deliveries_through_the_worker(make_case):
    from tests.core import test_journal

    test_journal.SEEN.clear()
    registry.subscribe("evidence.submitted", SUBSCRIBER)
    try:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            entry = journal_append(case=make_case(), kind="evidence.submitted")
            assert Delivery.objects.get(entry=entry).status == "pending"
            call_command("worker", "--burst")
        assert Delivery.objects.get(entry=entry).status == "done"
        assert test_journal.SEEN == [entry.pk]
    finally:
        registry.unsubscribe("evidence.submitted", SUBSCRIBER)


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: RQ leg skipped")
@pytest.mark.django_db(transaction=True)
def test_rq_backend_runs_deliveries_through_a_real_rq_worker(make_case):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from tests.core import test_journal

    test_journal.SEEN.clear()
    registry.subscribe("evidence.submitted", SUBSCRIBER)
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    try:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}):
            entry = journal_append(case=make_case(), kind="evidence.submitted")
            assert Delivery.objects.get(entry=entry).status == "pending"
            assert queue.count >= 1  # the job really is in Redis
            # SimpleWorker is RQ's real worker without fork, so it shares this test's database
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        assert Delivery.objects.get(entry=entry).status == "done"
        assert test_journal.SEEN == [entry.pk]
    finally:
        registry.unsubscribe("evidence.submitted", SUBSCRIBER)
        queue.empty()
