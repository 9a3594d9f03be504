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
            # the deployed command (`yunting worker`) on RQ's real worker, without fork so that it shares this
            # test's database: it must run the jobs as django-tasks' Job class, or every one of them fails
            call_command("worker", "--burst", "--no-fork")
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


def _bulk_commit(cases, monkeypatch):
    """A bulk commit (journal_append_many, as 一键立案 makes) of an entry per case, at most 4 deliveries a job."""
    from yunting.core.journal import services
    from yunting.core.journal.services import EntryInput, journal_append_many

    monkeypatch.setattr(services, "DELIVERIES_PER_JOB", 4)
    return journal_append_many([EntryInput(case=c, kind="evidence.submitted") for c in cases])


@pytest.mark.django_db(transaction=True)
def test_a_bulk_commit_queues_one_job_per_few_deliveries_and_each_delivery_still_stands_alone(make_case,
                                                                                              monkeypatch):
    """Thousands of cases accepted at once queue a job per few hundred deliveries, not one each; every
    (entry, subscriber) delivery is still done once, and a failing one is recorded and retried on its own."""
    from django_tasks_db.models import DBTaskResult

    from tests.core import test_journal
    from yunting.core.journal.services import journal_redeliver

    test_journal.SEEN.clear()
    registry.subscribe("evidence.submitted", SUBSCRIBER)
    registry.subscribe("evidence.submitted", "tests.core.test_journal.explode")
    try:
        cases = [make_case(defendant_name=f"王{i}") for i in range(3)]
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            before = DBTaskResult.objects.count()
            entries = _bulk_commit(cases, monkeypatch)
            assert DBTaskResult.objects.count() - before == 2  # 6 deliveries, 4 a job
            assert Delivery.objects.filter(entry__in=entries, status="pending").count() == 6
            call_command("worker", "--burst")
            assert sorted(test_journal.SEEN) == sorted(e.pk for e in entries)
            done = Delivery.objects.filter(entry__in=entries, subscriber=SUBSCRIBER)
            assert [d.status for d in done] == ["done"] * 3
            failed = Delivery.objects.filter(entry__in=entries, subscriber="tests.core.test_journal.explode")
            assert [(d.status, d.attempts) for d in failed] == [("failed", 1)] * 3
            assert all("subscriber is down" in d.last_error for d in failed)
            assert journal_redeliver() == 3  # only the failed ones, each on its own
            call_command("worker", "--burst")
        assert sorted(test_journal.SEEN) == sorted(e.pk for e in entries)  # nothing delivered twice
        assert [d.attempts for d in failed.all()] == [2] * 3
    finally:
        registry.unsubscribe("evidence.submitted", SUBSCRIBER)
        registry.unsubscribe("evidence.submitted", "tests.core.test_journal.explode")


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: RQ leg skipped")
@pytest.mark.django_db(transaction=True)
def test_rq_backend_runs_a_bulk_commits_delivery_jobs(make_case, monkeypatch):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from tests.core import test_journal

    test_journal.SEEN.clear()
    cases = [make_case(defendant_name=f"王{i}") for i in range(6)]
    registry.subscribe("evidence.submitted", SUBSCRIBER)
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    try:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}):
            entries = _bulk_commit(cases, monkeypatch)
            assert queue.count == 2  # 6 deliveries, 4 a job
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        assert Delivery.objects.filter(entry__in=entries, status="done").count() == 6
        assert sorted(test_journal.SEEN) == sorted(e.pk for e in entries)
    finally:
        registry.unsubscribe("evidence.submitted", SUBSCRIBER)
        queue.empty()
