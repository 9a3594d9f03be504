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


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Redis channel layer leg skipped")
@pytest.mark.django_db(transaction=True)
def test_bulk_appends_reach_each_open_case_page_over_the_redis_channel_layer(make_case):
    """journal_append_many broadcasts every entry from one event loop (issue 18): a page open on each case —
    a channel in the case's group on the real Redis layer — receives its own case's entries, in order."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from yunting.core.journal.services import EntryInput, journal_append_many
    from yunting.interfaces.realtime.consumers import case_group

    layer = get_channel_layer()
    a, b = make_case(), make_case()
    channels = {}

    async def listen():
        for case in (a, b):
            channels[case.pk] = await layer.new_channel()
            await layer.group_add(case_group(case.pk), channels[case.pk])

    async def received(case, n):
        return [(await layer.receive(channels[case.pk]))["entry"] for _ in range(n)]

    async def stop():
        for case in (a, b):
            await layer.group_discard(case_group(case.pk), channels[case.pk])

    async_to_sync(listen)()
    try:
        journal_append_many([EntryInput(a, "note.added", payload={"n": 1}), EntryInput(b, "note.added"),
                             EntryInput(a, "evidence.submitted")])
        got_a, got_b = async_to_sync(received)(a, 2), async_to_sync(received)(b, 1)
        assert [(e["seq"], e["kind"]) for e in got_a] == [(2, "note.added"), (3, "evidence.submitted")]
        assert [(e["seq"], e["kind"]) for e in got_b] == [(2, "note.added")]
    finally:
        async_to_sync(stop)()
