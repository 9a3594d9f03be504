"""`yunting demo` gives the service officer a queue in every state, plans with reasons from the history; run
twice it adds nothing."""

import io

import pytest
from django.core.management import call_command

from yunting.core.service.models import ServiceTask
from yunting.core.service.selectors import tasks_queue

pytestmark = pytest.mark.django_db


def test_the_demo_puts_service_in_every_state_once(users):
    call_command("demo", "--password", "demo-pass-123", stdout=(out := io.StringIO()))
    assert "service: " in out.getvalue()
    tasks = ServiceTask.objects.count()
    assert tasks >= 8
    assert {"served", "in_progress", "pending"} <= set(ServiceTask.objects.values_list("status", flat=True))
    assert ServiceTask.objects.filter(served_channel="announcement").exists()
    assert ServiceTask.objects.filter(served_channel="post").exists()
    assert ServiceTask.objects.exclude(report_sha256="").filter(status="served").exists()
    queue = tasks_queue(users["service_officer"])
    assert queue and [t.due_on for t in queue] == sorted(t.due_on for t in queue)
    reasons = {s["reason"] for t in ServiceTask.objects.all() for s in t.plan}
    assert "该律师近 10 次均在平台签收" in reasons or "此号码 2 次送达失败，排在最后" in reasons
    call_command("demo", "--password", "demo-pass-123", stdout=io.StringIO())
    assert ServiceTask.objects.count() == tasks
