import logging

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

from .models import Delivery, JournalEntry

log = logging.getLogger(__name__)


@task()
def deliver_entry(*, entry_id: int, subscriber: str) -> str:
    """Run one subscriber for one entry, at most once successfully (the Delivery row is the idempotency key)."""
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
