"""The pages over `yunting demo`'s service centre: a queue in every state, each task page and the statistics
render for the demo service officer, with the plans' reasons from the address history."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from yunting.core.service.models import ServiceTask

pytestmark = pytest.mark.django_db


def test_every_demo_task_renders_for_the_service_officer(users):
    call_command("demo", "--password", "demo-pass-123", stdout=io.StringIO())
    officer = Client()
    officer.force_login(users["service_officer"])
    queue = officer.get("/service/", {"status": "all", "per": "200"}).content.decode()
    tasks = list(ServiceTask.objects.all())
    assert tasks and all(f'<tr data-task="{t.pk}"' in queue for t in tasks)
    states = set()
    for t in tasks:
        page = officer.get(f"/service/tasks/{t.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        states.add(t.status)
        assert all(step["reason"] in html for step in t.plan)
        assert t.recipient.id_number == "" or t.recipient.id_number not in html  # masked
    assert {"served", "in_progress", "pending"} <= states
    stats = officer.get("/service/stats/").content.decode()
    assert f'data-testid="stat-total">{len(tasks)}<' in stats
