"""Case spaces asked by everyone who should not get them (tests/hardening/matrix.py): the pages, the upload, an
attachment, moderation, the API (space, mute, unmute) and the socket. Strangers get a refusal naming nothing; a
party cannot moderate or export; an attachment id of one space is nothing under another; and in a group space
a card of one case reaches that case's members (and the court), never the other cases' parties."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing.websocket import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.casespace.test_web import wav
from tests.hardening.matrix import STRANGERS, Req, client_for, make_strangers, run
from yunting.core.efile.models import Document
from yunting.core.journal.models import JournalEntry
from yunting.core.threads.models import Item
from yunting.workflows.casespace import services
from yunting.workflows.casespace.models import Attachment, Member, Space

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(space, space_case, users, make_case):
    people = {"anonymous": None, **{k: v for k, v in make_strangers(make_case, users).items() if k != "other_case"},
              **{k: users[k] for k in ("judge", "assistant", "clerk", "lawyer", "plaintiff", "defendant")}}
    c = client_for(users["plaintiff"])
    r = c.post(f"/spaces/{space.pk}/upload/", {"kind": "voice", "file": SimpleUploadedFile("v.wav", wav(1.2))},
               HTTP_ACCEPT="application/json")
    assert r.status_code == 201, r.content
    services.space_post(space=space, user=users["plaintiff"], text="借条原件在我这里，明天带来。")
    att = Attachment.objects.get(space=space)
    ids = {"case": space_case.pk, "space": space.pk, "att": att.pk, "defendant_id": users["defendant"].pk}
    leaks = [space_case.number, "借条原件在我这里", users["plaintiff"].real_name, users["defendant"].real_name,
             users["plaintiff"].id_number, users["plaintiff"].phone]

    def state():
        return (JournalEntry.objects.count(), Item.objects.count(), Space.objects.count(),
                list(Member.objects.filter(space=space).values_list("user_id", "muted_until", "removed_at")),
                Document.objects.filter(kind="space_transcript").count(), Attachment.objects.count())

    return {"people": people, "ids": ids, "leaks": leaks, "state": state, "space": space, "case": space_case}


WEB = [
    ("GET", "/spaces/case/{case}/"),
    ("GET", "/spaces/{space}/"),
    ("POST", "/spaces/{space}/moderate/"),
    ("POST", "/spaces/{space}/upload/"),
    ("GET", "/spaces/{space}/attachments/{att}/"),
]
API = [
    ("GET", "/api/v1/cases/{case}/space"),
    ("POST", "/api/v1/cases/{case}/space"),
    ("POST", "/api/v1/spaces/{space}/mute"),
    ("POST", "/api/v1/spaces/{space}/unmute"),
]


def _body(req, ids):
    if req.method != "POST":
        return {}
    if req.api:
        return {"user_id": ids["defendant_id"], "minutes": 60, "reason": "扰乱"}
    if req.path.endswith("/upload/"):
        return {"kind": "file", "file": SimpleUploadedFile("a.wav", wav(0.5))}
    return {"action": "mute", "user_id": ids["defendant_id"], "minutes": "60", "reason": "扰乱"}


def _requests(who):
    refused = () if who == "anonymous" else (404,)
    return ([Req(who, m, t, ok=refused) for m, t in WEB]
            + [Req(who, m, t, api=True, ok=(401,) if who == "anonymous" else (404,)) for m, t in API]
            # the list and a group of the case's number: theirs is empty, the number is refused
            + ([Req(who, "GET", "/spaces/", ok=(200,)),
                Req(who, "POST", "/spaces/group/", ok=(302,))] if who != "anonymous" else []))


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_nothing(world, who):
    case = world["case"]

    def body(req, ids):
        if req.path == "/spaces/group/":
            return {"numbers": f"{case.number}\n{case.number}x", "title": "x"}
        return _body(req, ids)

    run(_requests(who), people=world["people"], ids=world["ids"], leaks=world["leaks"], state=world["state"],
        body_for=body)


@pytest.mark.parametrize("who", ["plaintiff", "defendant", "lawyer", "clerk"])
def test_only_the_judge_or_assistant_moderates(world, who):
    reqs = [Req(who, "POST", "/spaces/{space}/moderate/", {"action": a, "user_id": "{defendant_id}", "minutes": "60",
                                                           "reason": "x", "text": "公告"}, ok=(302,), leaks=("x",)[:0])
            for a in ("mute", "unmute", "mute_all", "remove", "pin")]
    reqs += [Req(who, "POST", f"/api/v1/spaces/{{space}}/{op}", api=True, ok=(403,))
             for op in ("mute", "unmute")]
    ids = world["ids"]
    for r in reqs:
        if not r.api:
            r.data = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in r.data.items()}
    if who != "clerk":  # the clerk is court side: the transcript export is theirs to ask
        reqs.append(Req(who, "POST", "/spaces/{space}/moderate/", {"action": "export"}, ok=(302,)))
    run(reqs, people=world["people"], ids=ids, leaks=[], state=world["state"], body_for=_body)


def test_an_attachment_id_of_one_space_is_nothing_under_another(world, users, make_case):
    """The other case's party, in their own space, asks for this space's attachment by its id."""
    other = world["people"]["other_party"]
    from yunting.core.cases.models import Participation

    case_b = Participation.objects.get(user=other).case
    space_b = services.space_ensure(case=case_b, actor=users["judge"])
    c = client_for(other)
    assert c.get(f"/spaces/{space_b.pk}/").status_code == 200
    r = c.get(f"/spaces/{space_b.pk}/attachments/{world['ids']['att']}/")
    assert r.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_socket_refuses_strangers(space, users, make_case):
    from config.asgi import application
    from yunting.interfaces.api.models import ApiToken

    people = make_strangers(make_case, users)

    async def close_code(raw, origin=b"http://testserver"):
        ws = WebsocketCommunicator(application, f"/ws/spaces/{space.pk}/?token={raw}", headers=[(b"origin", origin)])
        ok, code = await ws.connect()
        await ws.disconnect()
        return ok, code

    for who in ("outsider", "other_party", "other_judge"):
        raw = ApiToken.issue(user=people[who], name="ws")[1]
        assert async_to_sync(close_code)(raw) == (False, 4404), who
    assert async_to_sync(close_code)("not-a-token") == (False, 4401)
    # a member's own token, from another site's page: refused before the space is looked at
    member = ApiToken.issue(user=users["plaintiff"], name="ws")[1]
    assert async_to_sync(close_code)(member, b"https://evil.example")[0] is False
    assert async_to_sync(close_code)(member)[0] is True
    assert async_to_sync(close_code)("") == (False, 4404)


def test_a_group_space_card_of_one_case_reaches_only_that_cases_members(space_case, make_case, users, deliver):
    """案件群组: the payout, poll and session cards of one case are that case's business; the other cases' parties in
    the same group space must not see them (nor click into a 404)."""
    from yunting.core.cases.models import Party
    from yunting.core.cases.services import case_add_participant
    from yunting.core.journal.services import journal_append
    from yunting.core.people.models import User
    from yunting.workflows.casespace import entries
    from yunting.workflows.casespace.selectors import space_get_for, space_items

    other = make_case(participants=("judge", "clerk"), defendant_name="钱七")
    buyer = User.objects.create_user(username="buyer", password="pw-for-tests-123", real_name="业主乙")
    party = Party.objects.get(case=other, role="defendant")
    Party.objects.filter(pk=party.pk).update(user=buyer)
    case_add_participant(case=other, user=buyer, role="party", party=party)
    group = services.space_group_create(actor=users["judge"], numbers=[space_case.number, other.number])
    entry = journal_append(case=space_case, kind=entries.CARD_WANTED, actor=users["judge"], payload={
        "card": "payout", "title": "案款发还已批准，分配笔录已盖章归卷", "url": "/space-extras/payouts/1/",
        "user_ids": None})
    deliver(entry)
    cards = lambda user: [i.text for i in space_items(*space_get_for(user, group.pk)) if i.kind == "card"]  # noqa: E731
    assert cards(users["defendant"]) == ["案款发还已批准，分配笔录已盖章归卷"]
    assert cards(users["judge"]) == ["案款发还已批准，分配笔录已盖章归卷"]
    assert cards(buyer) == []
    page = client_for(buyer).get(f"/spaces/{group.pk}/").content.decode()
    assert "案款发还已批准" not in page


def _pdf_text(pdf: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        return subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout


def test_the_filed_transcript_keeps_a_cards_text_from_parties_it_was_not_shown_to(space, space_case, users, deliver):
    """The transcript goes into the main volume, which every party and lawyer reads: a card shown to the defendant
    only (a delivery, a payout share) is a line without its text there; a card for everyone keeps its text."""
    from yunting.core.journal.services import journal_append
    from yunting.kernel.blobs.store import blob_read
    from yunting.workflows.casespace import entries
    from yunting.workflows.casespace.transcript import space_transcript_file

    for title, ids in (("送达：民事裁定书（保全）", [users["defendant"].pk]), ("开庭时间协商：请投票", None)):
        deliver(journal_append(case=space_case, kind=entries.CARD_WANTED, actor=users["judge"], payload={
            "card": "delivery" if ids else "poll", "title": title, "url": "/x/", "user_ids": ids}))
    doc = space_transcript_file(space=space, actor=users["clerk"])
    text = _pdf_text(blob_read(doc.blob_id)).replace("\n", "")
    assert "开庭时间协商：请投票" in text
    assert "民事裁定书（保全）" not in text and "内容从略" in text
    lawyer = client_for(users["lawyer"])
    assert lawyer.get(f"/archive/documents/{doc.pk}/download").status_code == 200  # the lawyer reads it
