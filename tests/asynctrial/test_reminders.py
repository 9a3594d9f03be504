"""Reminders before a round's deadline: in-app and SMS outbox, once per round."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


def test_reminder_when_the_deadline_nears(opened, users, post):
    from yunting.core.threads.models import Notice
    from yunting.kernel.notify.models import OutboxMessage
    from yunting.workflows.asynctrial.models import Round
    from yunting.workflows.asynctrial.services import asynctrial_remind_due

    rnd = Round.objects.get(exchange__case=opened)
    assert asynctrial_remind_due(now=rnd.deadline - timedelta(days=3)) == 0  # not near yet
    sms_before = OutboxMessage.objects.filter(purpose="asynctrial").count()
    assert asynctrial_remind_due(now=rnd.deadline - timedelta(hours=5)) == 1
    assert Notice.objects.filter(user=users["defendant"], key__startswith="remind1").count() == 1
    assert OutboxMessage.objects.filter(purpose="asynctrial").count() == sms_before + 2
    assert asynctrial_remind_due(now=rnd.deadline - timedelta(hours=4)) == 0  # once


def test_overdue_replies_show_in_the_assistant_queue(opened, users, post):
    from django.utils import timezone

    from yunting.workflows.asynctrial.models import Round
    from yunting.workflows.asynctrial.selectors import queue_for

    post(opened, "plaintiff", "evidence", "借条", purpose="证明借款")
    post(opened, "plaintiff", "evidence", "转账记录", purpose="证明交付")
    Round.objects.filter(exchange__case=opened).update(deadline=timezone.now() - timedelta(hours=1))
    row = queue_for(users["assistant"])[0]
    assert row.exchange.case_id == opened.pk and row.overdue == 2 and row.unread == 2
    late = post(opened, "defendant", "defence", "答辩意见")
    assert late.data.get("late") is True
