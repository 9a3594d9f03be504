import logging

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

from .models import Delivery, JournalEntry

log = logging.getLogger(__name__)


@task()
def deliver_entry(*, entry_id: int, subscriber: str) -> str:
    """Run one subscriber for one entry, at most once successfully (the Delivery row is the idempotency key)."""
    return deliver(entry_id, subscriber)


class DeliveriesFailed(Exception):
    """Some deliveries of a deliver_entries job failed: each is recorded on its Delivery row and retried alone."""


@task()
def deliver_entries(*, deliveries: list[list]) -> str:
    """Run many (entry id, subscriber) deliveries in one job, each exactly as deliver_entry would: a bulk
    commit (一键立案 of thousands of cases) queues one job per few hundred deliveries instead of one each. A
    failing delivery is recorded on its own row (retried by `journal_redeliver`, listed by `yunting check`)
    and does not stop the others; the job then fails, naming how many."""
    done = failed = 0
    for entry_id, subscriber in deliveries:
        try:
            deliver(int(entry_id), str(subscriber))
        except Exception:  # recorded on the Delivery row (and logged) by deliver
            failed += 1
        else:
            done += 1
    if failed:
        raise DeliveriesFailed(f"{failed} of {len(deliveries)} deliveries failed")
    return f"{done} delivered"


def deliver(entry_id: int, subscriber: str) -> str:
    delivery, _ = Delivery.objects.get_or_create(entry_id=entry_id, subscriber=subscriber)
    if delivery.status == Delivery.Status.DONE:
        return "already-done"
    entry = JournalEntry.objects.select_related("case").get(pk=entry_id)
    handler = import_string(subscriber)
    try:
        with transaction.atomic():
            handler(entry)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.DONE, attempts=delivery.attempts + 1, last_error=""
            )
    except Exception as exc:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, attempts=delivery.attempts + 1, last_error=repr(exc)[:2000]
        )
        log.exception("subscriber %s failed on entry %s", subscriber, entry_id)
        raise
    return "done"
