import pytest

from yunting.core.rooms.demo import rooms_demo
from yunting.workflows.witnesses.demo import witnesses_demo
from yunting.workflows.witnesses.models import WitnessApplication

pytestmark = pytest.mark.django_db


def test_demo_has_one_approved_witness_application_in_the_judges_case_and_is_idempotent(cast):
    orgs, users = cast
    rooms_demo(orgs=orgs, users=users, password="demo-pass-123")
    out = witnesses_demo(orgs=orgs, users=users)
    app = WitnessApplication.objects.get()
    assert out["created"] is True and app.status == "approved" and app.notice_paper_id
    assert app.case.participations.filter(user=users["judge"], role="judge").exists()
    assert witnesses_demo(orgs=orgs, users=users)["created"] is False
    assert WitnessApplication.objects.count() == 1
