"""The case space's extras, asked by everyone who should not get them (tests/hardening/matrix.py): deliveries,
hearing-time polls, payouts (web and API: bank cards!) and live sessions (members' pages and the public link).
Strangers get a refusal that names nothing of the case; a party gets nothing meant for the other party; ids of
another case in the path or the body change nothing."""

import pytest
import time_machine

from tests.hardening.matrix import STRANGERS, Req, assert_no_leak, make_strangers, run
from tests.spacex.conftest import data_url, strokes_png
from yunting.core.journal.models import JournalEntry
from yunting.workflows.broadcasts.models import Broadcast
from yunting.workflows.deliveries.models import SpaceDelivery
from yunting.workflows.payouts import banks
from yunting.workflows.payouts.models import Payout, PayoutShare

pytestmark = pytest.mark.django_db
ICBC = banks.with_check_digit("622202123456789012")
MONDAY = "2026-03-02 09:00:00+08:00"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def world(login, scase, users, make_case, add_document, court):
    """Case A (scase) with a delivery to the defendant, a poll, a payout whose plaintiff share carries a confirmed
    bank card, and a public live session; plus the strangers and their case B."""
    from yunting.workflows.hearings.services import courtroom_save

    courtroom_save(actor=users["court_admin"], court=court, name="在线法庭1", kind="online")
    people = {"anonymous": None, **{k: v for k, v in make_strangers(make_case, users).items() if k != "other_case"},
              **{k: users[k] for k in ("judge", "clerk", "lawyer", "plaintiff", "defendant")}}
    other_case = make_case(participants=("clerk",), defendant_name="孙八")  # not the judge's: for body IDORs
    judge = login("judge")
    judgment = add_document(scase, "judge", title="民事判决书", kind="judgment", entry_kind="papers.issued")
    judge.post(f"/space-extras/cases/{scase.pk}/deliveries/",
               {"document": judgment.pk, "member": f"{users['defendant'].pk}:{scase.defendant.pk}"})
    delivery = SpaceDelivery.objects.get(case=scase)
    judge.post(f"/space-extras/cases/{scase.pk}/polls/", {"vote_hours": "24"})
    from yunting.workflows.hearings.models import Hearing

    hearing = Hearing.objects.get(case=scase)
    judge.post(f"/space-extras/cases/{scase.pk}/payouts/", {
        "received_total": "10000.00", "party": [scase.plaintiff.pk, scase.defendant.pk],
        f"amount_{scase.plaintiff.pk}": "6000.00", f"amount_{scase.defendant.pk}": "4000.00"})
    payout = Payout.objects.get(case=scase)
    mine = payout.shares.get(party=scase.plaintiff)
    theirs = payout.shares.get(party=scase.defendant)
    login("plaintiff").post(f"/space-extras/payouts/{payout.pk}/act", {
        "op": "confirm", "share": mine.pk, "amount_ok": "1", "bank_code": "ICBC", "account_number": ICBC,
        "account_name": scase.plaintiff.name})
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    judge.post("/space-extras/broadcasts/", {"title": "民间借贷类案答疑", "case_numbers": scase.number, "public": "1"})
    b = Broadcast.objects.get()
    judge.post(f"/space-extras/broadcasts/{b.pk}/act", {"op": "start"})
    login("defendant").post(f"/space-extras/broadcasts/{b.pk}/act", {"op": "ask", "text": "借条要写利息吗？"})
    ids = {"case": scase.pk, "delivery": delivery.pk, "hearing": hearing.pk, "payout": payout.pk, "share": mine.pk,
           "their_share": theirs.pk, "broadcast": b.pk, "token": b.public_token, "document": judgment.pk,
           "other_case": other_case.pk, "other_party_id": other_case.parties.get(role="plaintiff").pk}
    # what no stranger may read: the case, its parties, their personal data, the card
    leaks = [scase.number, scase.plaintiff.name, scase.defendant.name, users["plaintiff"].id_number,
             users["defendant"].id_number, "13912345678", ICBC, ICBC[-4:], "6000.00", "4000.00"]
    return {"people": people, "ids": ids, "leaks": leaks, "case": scase, "payout": payout}


STRANGER_ROUTES = [
    ("GET", "/space-extras/cases/{case}/"),
    ("POST", "/space-extras/cases/{case}/deliveries/"),
    ("GET", "/space-extras/deliveries/{delivery}/"),
    ("GET", "/space-extras/deliveries/{delivery}/document"),
    ("POST", "/space-extras/deliveries/{delivery}/sign"),
    ("POST", "/space-extras/cases/{case}/polls/"),
    ("GET", "/space-extras/cases/{case}/polls/{hearing}/"),
    ("POST", "/space-extras/cases/{case}/polls/{hearing}/"),
    ("POST", "/space-extras/cases/{case}/payouts/"),
    ("GET", "/space-extras/payouts/{payout}/"),
    ("POST", "/space-extras/payouts/{payout}/act"),
    ("GET", "/space-extras/broadcasts/{broadcast}/"),
    ("GET", "/space-extras/broadcasts/{broadcast}/live.json"),
    ("POST", "/space-extras/broadcasts/{broadcast}/act"),
    ("GET", "/space-extras/cases/{other_case}/polls/{hearing}/"),  # A's poll under another case's id
]
API_ROUTES = [
    ("GET", "/api/v1/cases/{case}/payouts"),
    ("GET", "/api/v1/payouts/{payout}"),
    ("POST", "/api/v1/payouts/{payout}/shares/{share}/confirm"),
]
POST_BODIES = {
    "deliveries/": lambda i: {"document": i["document"], "member": "1:1"},
    "sign": lambda i: {"strokes": data_url(strokes_png()), "confirm": "1"},
    "polls/": lambda i: {"vote_hours": "24"},
    "payouts/": lambda i: {"received_total": "1", "party": [1], "amount_1": "1"},
    "act": lambda i: {"op": "confirm", "share": i["share"], "amount_ok": "1", "bank_code": "ICBC",
                      "account_number": ICBC, "account_name": "路人甲"},
    "confirm": lambda i: {"amount_confirmed": True, "account_number": ICBC, "bank_code": "ICBC",
                          "account_name": "路人甲"},
}


def _body(req, ids):
    if req.method != "POST":
        return {}
    if "broadcasts" in req.path:
        return {"op": "start"}
    for tail, make in POST_BODIES.items():
        if req.path.endswith(tail):
            return make(ids)
    return {"op": "vote"}


def _state(world):
    p = world["payout"]
    return lambda: (JournalEntry.objects.count(), SpaceDelivery.objects.count(), Payout.objects.count(),
                    list(PayoutShare.objects.filter(payout=p).values_list("status", "account_masked", "signed_at")),
                    list(SpaceDelivery.objects.values_list("status", "signed_at")),
                    list(Broadcast.objects.values_list("status", flat=True)))


def _stranger_requests(who):
    web = [Req(who, m, t, ok=() if who == "anonymous" else (404,)) for m, t in STRANGER_ROUTES]
    api = [Req(who, m, t, api=True, ok=(401,) if who == "anonymous" else (404,)) for m, t in API_ROUTES]
    return web + api


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_nothing(world, who):
    run(_stranger_requests(who), people=world["people"], ids=world["ids"], leaks=world["leaks"],
        state=_state(world), body_for=_body)


# --- the case's own people, in the wrong role -------------------------------------------------------------------
MEMBER_VIEW = ("pending", "public_token")
DELIVERY = ("李娜", "民事判决书", "%PDF")  # the recipient (the cast's defendant) and the document
WRONG_ROLE = [
    # the delivery is the defendant's: the plaintiff and the plaintiff's lawyer get nothing of it
    Req("plaintiff", "GET", "/space-extras/deliveries/{delivery}/", ok=(404,), leaks=DELIVERY),
    Req("lawyer", "GET", "/space-extras/deliveries/{delivery}/document", ok=(404,), leaks=DELIVERY),
    Req("plaintiff", "POST", "/space-extras/deliveries/{delivery}/sign", ok=(404,), leaks=DELIVERY),
    # the plaintiff's share (card, amount, name) is not the defendant's to read, confirm or sign
    Req("defendant", "GET", "/space-extras/payouts/{payout}/", ok=(200,)),
    Req("defendant", "GET", "/api/v1/payouts/{payout}", api=True, ok=(200,)),
    Req("defendant", "GET", "/api/v1/cases/{case}/payouts", api=True, ok=(200,)),
    Req("defendant", "POST", "/space-extras/payouts/{payout}/act", ok=(404,)),
    Req("defendant", "POST", "/api/v1/payouts/{payout}/shares/{share}/confirm", api=True, ok=(404,)),
    # the court's acts are not a party's
    Req("plaintiff", "POST", "/space-extras/cases/{case}/payouts/", ok=(302,)),
    Req("lawyer", "POST", "/space-extras/cases/{case}/deliveries/", ok=(302,)),
    Req("defendant", "POST", "/space-extras/cases/{case}/polls/", ok=(302,)),
    Req("defendant", "POST", "/space-extras/broadcasts/{broadcast}/act", ok=(302,)),
    # a member's view of the session: no pending questions, no public token
    Req("plaintiff", "GET", "/space-extras/broadcasts/{broadcast}/live.json", ok=(200,), leaks=MEMBER_VIEW),
    # the card is never shown whole, not even to its owner or the judge
    Req("plaintiff", "GET", "/space-extras/payouts/{payout}/", ok=(200,), leaks=(ICBC,)),
    Req("judge", "GET", "/space-extras/payouts/{payout}/", ok=(200,), leaks=(ICBC,)),
    Req("judge", "GET", "/api/v1/payouts/{payout}", api=True, ok=(200,), leaks=(ICBC,)),
    Req("clerk", "GET", "/api/v1/cases/{case}/payouts", api=True, ok=(200,), leaks=(ICBC,)),
]


def test_the_wrong_role_in_the_case_gets_nothing_of_the_others(world):
    case = world["case"]

    def body(req, ids):
        data = _body(req, ids)
        return {**data, "account_name": case.defendant.name} if "account_name" in data else data

    run(WRONG_ROLE, people=world["people"], ids=world["ids"],
        leaks=[ICBC, ICBC[-4:], "6000.00", case.plaintiff.name], state=_state(world), body_for=body)


# --- ids of another case in the body ------------------------------------------------------------------------------
def test_another_cases_party_or_document_in_the_body_is_refused(world, login, make_case, add_document):
    ids, case = world["ids"], world["case"]
    judge = login("judge")
    other = make_case(participants=("judge",), defendant_name="周九")
    doc_b = add_document(other, "judge", title="民事裁定书", kind="ruling", entry_kind="papers.issued")
    state = _state(world)
    before = state()
    judge.post(f"/space-extras/cases/{case.pk}/payouts/", {
        "received_total": "100.00", "party": [ids["other_party_id"]], f"amount_{ids['other_party_id']}": "100.00"})
    judge.post(f"/space-extras/cases/{case.pk}/deliveries/", {
        "document": doc_b.pk, "member": f"{world['people']['defendant'].pk}:{case.defendant.pk}"})
    party_b = other.parties.get(role="plaintiff")
    judge.post(f"/space-extras/cases/{case.pk}/deliveries/", {
        "document": ids["document"], "member": f"{party_b.user_id}:{party_b.pk}"})
    assert state() == before


# --- public tokens --------------------------------------------------------------------------------------------------
def test_the_public_link_never_shows_more_than_the_public_view(world, client):
    token = world["ids"]["token"]
    page = client.get(f"/live/{token}/")
    live = client.get(f"/live/{token}/live.json")
    assert page.status_code == 200 and live.status_code == 200
    data = live.json()
    assert "pending" not in data and "public_token" not in data
    for r in (page, live):
        assert_no_leak(Req("anonymous", "GET", f"/live/{token}/"), r, world["leaks"] + ["借条要写利息吗"])
    # a guessed or a private session's token: nothing, and the same answer
    for bad in ("x" * len(token), token[:-1], "-", ""):
        for tail in ("", "live.json"):
            r = client.get(f"/live/{bad}/{tail}") if bad else client.get(f"/live//{tail}")
            assert r.status_code == 404, (bad, tail)


def test_the_record_in_the_main_volume_shows_the_other_party_the_last_four_digits_only(login, scase):
    """案款发还笔录 go into the main volume, which the other party reads: their card shows its last four digits."""
    import io

    from pypdf import PdfReader

    from yunting.core.efile.models import Document

    judge = login("judge")
    judge.post(f"/space-extras/cases/{scase.pk}/payouts/", {
        "received_total": "100.00", "party": [scase.plaintiff.pk], f"amount_{scase.plaintiff.pk}": "100.00"})
    payout = Payout.objects.get(case=scase)
    share = payout.shares.get()
    plaintiff = login("plaintiff")
    plaintiff.post(f"/space-extras/payouts/{payout.pk}/act", {
        "op": "confirm", "share": share.pk, "amount_ok": "1", "bank_code": "ICBC", "account_number": ICBC,
        "account_name": scase.plaintiff.name})
    plaintiff.post(f"/space-extras/payouts/{payout.pk}/act", {"op": "sign", "share": share.pk,
                                                              "strokes": data_url(strokes_png())})
    judge.post(f"/space-extras/payouts/{payout.pk}/act", {"op": "approve"})
    record = Document.objects.get(case=scase, kind="payout_record")
    r = login("defendant").get(f"/documents/{record.pk}/content")
    assert r.status_code == 200  # the main volume: the other party reads it
    pdf = b"".join(r.streaming_content) if r.streaming else r.content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")
    assert ICBC[-4:] in text and ICBC[:4] not in text and ICBC not in text
