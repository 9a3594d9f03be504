from django_tasks import task


@task()
def outbox_deliver(*, message_id: int) -> str:
    """Send one outbox message now; on failure it stays pending and the periodic job `notify.outbox` retries."""
    from .services import outbox_send

    return outbox_send(message_id=message_id)
