"""The demo's space: a case the demo judge hears, the demo plaintiff and defendant members, the defendant muted;
run again, nothing is added."""

import pytest

from yunting.core.threads.models import Item
from yunting.workflows.casespace.demo import casespace_demo

pytestmark = pytest.mark.django_db


def test_the_demo_space_is_exact_and_idempotent(space_case, cast, bearer, users):
    orgs, _users = cast
    first = casespace_demo(orgs=orgs, users=users)
    assert first["created"] is True
    space = first["space"]
    items = Item.objects.filter(thread=space.thread).count()
    assert casespace_demo(orgs=orgs, users=users)["created"] is False
    assert Item.objects.filter(thread=space.thread).count() == items >= 5
    members = {m["user_id"]: m for m in bearer("plaintiff").get(f"/api/v1/cases/{space_case.pk}/space").json()["members"]}
    assert members[users["defendant"].pk]["muted"] is True
    assert members[users["plaintiff"].pk]["muted"] is False
    assert members[users["judge"].pk]["role"] == "judge"
