"""The pages: a party's application form, the case's witness panel (judge and the other side), the court's rules,
the witness's own panel on the room page and its state."""

import pytest

from yunting.kernel.security.models import ReadLog
from yunting.workflows.witnesses.models import WitnessApplication

from .conftest import WITNESS_ID

pytestmark = pytest.mark.django_db


def test_party_applies_through_the_form_and_bad_id_is_refused_clearly(client, users, room_case):
    client.force_login(users["plaintiff"])
    url = f"/witnesses/cases/{room_case.pk}/apply/"
    page = client.get(url)
    assert page.status_code == 200 and "witness_id_number" in page.content.decode()
    bad = client.post(url, {"witness_name": "钱多多", "witness_phone": "13700000001",
                            "witness_id_number": "110105198001011230", "ground": "health", "facts": "借款事实"})
    assert bad.status_code == 200 and 'data-testid="apply-error"' in bad.content.decode()
    assert not WitnessApplication.objects.exists()
    ok = client.post(url, {"witness_name": "钱多多", "witness_phone": "13700000001", "witness_id_number": WITNESS_ID,
                           "ground": "health", "facts": "借款事实", "outside": "1"})
    assert ok.status_code == 302
    app = WitnessApplication.objects.get()
    assert app.designated_place_required is True  # the applicant joins from a place the court did not designate


def test_judge_sees_the_verdict_and_decides_and_the_other_side_objects(client, users, room_case, apply):
    app = apply()
    url = f"/witnesses/cases/{room_case.pk}/"
    client.force_login(users["judge"])
    page = client.get(url).content.decode()
    assert "符合证人在线作证条件" in page and 'data-testid="decide-form"' in page
    assert ReadLog.objects.filter(user_id=users["judge"].pk, action="witnesses.view", case_id=room_case.pk).exists()
    client.post(url, {"application": app.pk, "op": "decide", "approve": "1"})
    app.refresh_from_db()
    assert app.status == "objection_period"
    client.force_login(users["defendant"])
    page = client.get(url).content.decode()
    assert 'data-testid="object-form"' in page and 'data-testid="decide-form"' not in page
    assert WITNESS_ID not in page
    client.post(url, {"application": app.pk, "op": "object", "reason": "证人可能受原告指使", "directed": "1"})
    app.refresh_from_db()
    assert app.status == "objected" and app.designated_place_required is True
    # a party cannot decide: the service refuses and nothing changes
    client.post(url, {"application": app.pk, "op": "objection", "upheld": "0", "reason": "x"})
    app.refresh_from_db()
    assert app.status == "objected"


def test_someone_outside_the_case_gets_404(client, users, room_case, apply):
    apply()
    client.force_login(users["mediator"])
    assert client.get(f"/witnesses/cases/{room_case.pk}/").status_code == 404
    assert client.get(f"/witnesses/cases/{room_case.pk}/apply/").status_code == 404


def test_rules_page_is_the_court_admins(client, users, court):
    from yunting.workflows.witnesses.services import rules_for

    client.force_login(users["judge"])
    assert client.get("/witnesses/rules/").status_code == 404
    client.force_login(users["court_admin"])
    assert client.get("/witnesses/rules/").status_code == 200
    client.post("/witnesses/rules/", {"allowed_grounds": ["health", "cost"], "excluded_procedures": ["ordinary_panel"],
                                      "excluded_flags": ["integrity_red"], "max_online_per_side": "2",
                                      "objection_days": "5", "designated_if_several": "1"})
    rules = rules_for(court)
    assert rules.allowed_grounds == ("cost", "health") and rules.max_online_per_side == 2
    assert rules.designated_if_directed is False and rules.designated_if_several is True


def test_witness_page_shows_the_witness_panel_and_its_state(client, seated, witness_user):
    app, p = seated
    client.force_login(witness_user)
    page = client.get(f"/rooms/{p.room_id}/").content.decode()
    assert 'data-testid="witness-seat"' in page and "witness.js" in page
    state = client.get(f"/witnesses/seat/{p.room_id}/state/").json()
    assert state["stage"] == "waiting" and state["needs_second_check"] is False and "如实陈述" in state["oath_text"]
    assert set(state) == {"stage", "stage_label", "needs_second_check", "oath_signed", "read_aloud_at", "oath_text"}


def test_another_seat_has_no_witness_state(client, users, hearing_room):
    client.force_login(users["plaintiff"])
    assert client.get(f"/witnesses/seat/{hearing_room.pk}/state/").status_code == 404
