"""证人在线作证 asked by everyone who should not get it (tests/hardening/matrix.py): the case's witness panel, the
application form, the court's rules, the witness's own seat (state, oath) and the eligibility API. Strangers get
a refusal naming nothing; the parties see the witness's ID number and phone masked and cannot act for the judge;
the witness sees nothing of the case; a seat id of the witness is nothing to anyone else."""

import pytest

from tests.hardening.matrix import STRANGERS, Req, make_strangers, run
from tests.witnesses.conftest import WITNESS_ID, strokes
from yunting.core.journal.models import JournalEntry
from yunting.workflows.witnesses.models import EligibilityRules, WitnessApplication

pytestmark = pytest.mark.django_db
PHONE = "13700000001"


@pytest.fixture
def world(seated, users, make_case, room_case, witness_user):
    app, seat = seated
    people = {"anonymous": None, "witness": witness_user,
              **{k: v for k, v in make_strangers(make_case, users).items() if k != "other_case"},
              **{k: users[k] for k in ("judge", "clerk", "plaintiff", "defendant", "court_admin")}}
    ids = {"case": room_case.pk, "room": seat.room_id, "app": app.pk}
    leaks = [room_case.number, "钱多多", WITNESS_ID, PHONE, WITNESS_ID[-4:], users["plaintiff"].real_name,
             users["defendant"].real_name, "被告于2025年3月"]

    def state():
        return (JournalEntry.objects.count(), EligibilityRules.objects.count(),
                list(WitnessApplication.objects.values_list("status", "stage", "oath_signed_at", "decision_reason")))

    return {"people": people, "ids": ids, "leaks": leaks, "state": state}


def _body(req, ids):
    if req.method != "POST":
        return {}
    if req.path.endswith("/oath/"):
        import base64

        return {"strokes": "data:image/png;base64," + base64.b64encode(strokes()).decode()}
    if req.path.endswith("/apply/"):
        return {"witness_name": "某某", "witness_phone": "13700000002", "witness_id_number": WITNESS_ID,
                "ground": "health", "facts": "x"}
    if req.path.endswith("/rules/"):
        return {"allowed_grounds": ["other"], "max_online_per_side": "9", "objection_days": "1"}
    return {"application": ids["app"], "op": "decide", "approve": "0", "reason": "x"}


ROUTES = [
    ("GET", "/witnesses/cases/{case}/"),
    ("POST", "/witnesses/cases/{case}/"),
    ("GET", "/witnesses/cases/{case}/apply/"),
    ("POST", "/witnesses/cases/{case}/apply/"),
    ("GET", "/witnesses/rules/"),
    ("POST", "/witnesses/rules/"),
    ("GET", "/witnesses/seat/{room}/state/"),
    ("POST", "/witnesses/seat/{room}/oath/"),
]


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_nothing(world, who):
    anon = who == "anonymous"
    reqs = [Req(who, m, t, ok=(404,) if not anon or "/seat/" in t else ()) for m, t in ROUTES]
    # the rule check is a pure function of what is sent: answered, with nothing of any case
    reqs.append(Req(who, "POST", "/api/v1/witness-eligibility", {"procedure": "simple", "ground": "health"},
                    api=True, ok=(401,) if anon else (200,)))
    run(reqs, people=world["people"], ids=world["ids"], leaks=world["leaks"], state=world["state"],
        body_for=_body)


@pytest.mark.parametrize("who", ["plaintiff", "defendant"])
def test_parties_see_the_witness_masked_and_cannot_act_for_the_judge(world, who):
    reqs = [Req(who, "GET", "/witnesses/cases/{case}/", ok=(200,), leaks=(WITNESS_ID, PHONE, 'data-testid="history"',
                                                                        'data-testid="patrol-flags"')),
            Req(who, "GET", "/witnesses/seat/{room}/state/", ok=(404,)),  # their seat is not a witness's
            Req(who, "POST", "/witnesses/seat/{room}/oath/", ok=(404,)),
            Req(who, "GET", "/witnesses/rules/", ok=(404,))]
    for op in ("decide", "objection", "notice", "invite", "call", "admit", "read_aloud", "stop", "dismiss", "place"):
        reqs.append(Req(who, "POST", "/witnesses/cases/{case}/", {"application": "{app}", "op": op, "approve": "1",
                                                                  "upheld": "1", "reason": "x", "room": "separate"},
                        ok=(302,)))
    for r in reqs:
        r.data = {k: v.format(**world["ids"]) if isinstance(v, str) else v for k, v in r.data.items()}
    run(reqs, people=world["people"], ids=world["ids"], leaks=[WITNESS_ID, PHONE], state=world["state"],
        body_for=_body)


def test_the_witness_sees_nothing_of_the_case(world):
    reqs = [Req("witness", "GET", "/witnesses/cases/{case}/", ok=(404,)),
            Req("witness", "GET", "/witnesses/cases/{case}/apply/", ok=(404,)),
            Req("witness", "GET", "/cases/{case}/", ok=(404,)),
            Req("witness", "GET", "/cases/{case}/efile/", ok=(404,)),
            Req("witness", "GET", "/spaces/case/{case}/", ok=(404,)),
            Req("witness", "GET", "/space-extras/cases/{case}/", ok=(404,)),
            Req("witness", "GET", "/sharedcourt/cases/{case}/", ok=(404,)),
            Req("witness", "GET", "/api/v1/cases/{case}/space", api=True, ok=(404,)),
            Req("witness", "GET", "/witnesses/seat/{room}/state/", ok=(200,))]
    leaks = [w for w in world["leaks"] if w not in ("钱多多", WITNESS_ID, PHONE, WITNESS_ID[-4:])]
    run(reqs, people=world["people"], ids=world["ids"], leaks=leaks, state=world["state"])


def test_a_seat_id_guessed_by_another_witness_or_party_is_nothing(world, users, make_case):
    """Another case's party asks for the witness's seat of this room: the same answer as for no seat."""
    reqs = [Req("other_party", "GET", "/witnesses/seat/{room}/state/", ok=(404,)),
            Req("other_party", "GET", "/witnesses/seat/999999/state/", ok=(404,)),
            Req("other_party", "POST", "/witnesses/seat/{room}/oath/", ok=(404,))]
    run(reqs, people=world["people"], ids=world["ids"], leaks=world["leaks"], state=world["state"],
        body_for=_body)
