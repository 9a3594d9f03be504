"""/ws/spaces/{id}/: members talk live; the server refuses a muted socket's message (it reaches no one), closes a
removed member's socket and refuses its later connections; non-members are refused (issue 20)."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing.websocket import WebsocketCommunicator

from yunting.core.threads.models import Item
from yunting.workflows.casespace import services

pytestmark = pytest.mark.django_db(transaction=True)


def token(user):
    from yunting.interfaces.api.models import ApiToken

    return ApiToken.issue(user=user, name="ws")[1]


def socket(space_id, raw):
    from config.asgi import application

    return WebsocketCommunicator(application, f"/ws/spaces/{space_id}/?token={raw}",
                                 headers=[(b"origin", b"http://testserver")])


async def connect(space_id, raw):
    ws = socket(space_id, raw)
    ok, _ = await ws.connect()
    assert ok
    welcome = await ws.receive_json_from(timeout=3)
    assert welcome["type"] == "welcome"
    return ws, welcome


async def until(ws, kind, timeout=3):
    while True:
        msg = await ws.receive_json_from(timeout=timeout)
        if msg["type"] == kind:
            return msg


async def drain(ws, wait=0.4):
    out = []
    while not await ws.receive_nothing(timeout=wait):
        out.append(await ws.receive_json_from())
    return out


@pytest.fixture
def tokens(space, users):
    return {u: token(users[u]) for u in ("judge", "assistant", "plaintiff", "defendant", "lawyer", "court_admin",
                                         "filing_officer")}


def test_members_talk_live(space, users, tokens):
    async def run():
        judge, welcome = await connect(space.pk, tokens["judge"])
        assert welcome["me"]["moderator"] is True
        plaintiff, _w = await connect(space.pk, tokens["plaintiff"])
        defendant, _w = await connect(space.pk, tokens["defendant"])
        await plaintiff.send_json_to({"type": "message", "text": "法官您好"})
        for ws in (judge, plaintiff, defendant):
            msg = await until(ws, "message")
            assert {k: msg[k] for k in ("from", "text")} == {"from": users["plaintiff"].pk, "text": "法官您好"}
            assert msg["id"] and msg["at"]
        for ws in (judge, plaintiff, defendant):
            await ws.disconnect()

    async_to_sync(run)()
    assert Item.objects.filter(thread=space.thread, text="法官您好").count() == 1


def test_a_muted_socket_is_refused_and_reaches_no_one(space, users, tokens):
    async def run():
        judge, _w = await connect(space.pk, tokens["judge"])
        plaintiff, _w = await connect(space.pk, tokens["plaintiff"])
        defendant, _w = await connect(space.pk, tokens["defendant"])
        await sync_to_async(services.space_mute)(space=space, actor=users["judge"], user_id=users["defendant"].pk,
                                                 minutes=10, reason="刷屏")
        note = await until(plaintiff, "member")
        assert note["user_id"] == users["defendant"].pk and note["muted"] is True
        await drain(judge)
        await drain(defendant)
        await defendant.send_json_to({"type": "message", "text": "我偏要说"})
        error = await until(defendant, "error")
        assert error["code"] == "muted"
        for ws in (judge, plaintiff, defendant):
            assert not [m for m in await drain(ws) if m["type"] == "message"]
        # 全员禁言: the parties are refused, the court still speaks
        await sync_to_async(services.space_unmute)(space=space, actor=users["assistant"], user_id=users["defendant"].pk)
        await sync_to_async(services.space_mute_all)(space=space, actor=users["judge"], muted=True, reason="宣读须知")
        await plaintiff.send_json_to({"type": "message", "text": "原告发言"})
        assert (await until(plaintiff, "error"))["code"] == "muted"
        await judge.send_json_to({"type": "message", "text": "请各方遵守秩序"})
        assert (await until(defendant, "message"))["text"] == "请各方遵守秩序"
        for ws in (judge, plaintiff, defendant):
            await ws.disconnect()

    async_to_sync(run)()
    assert not Item.objects.filter(thread=space.thread, text__in=["我偏要说", "原告发言"]).exists()


def test_a_removed_member_is_closed_at_once_and_refused_later(space, users, tokens):
    async def run():
        plaintiff, _w = await connect(space.pk, tokens["plaintiff"])
        defendant, _w = await connect(space.pk, tokens["defendant"])
        await sync_to_async(services.space_remove)(space=space, actor=users["judge"], user_id=users["defendant"].pk,
                                                   reason="辱骂他人")
        removed = await until(defendant, "removed")
        assert removed["reason"] == "辱骂他人"
        closed = await defendant.receive_output(timeout=3)
        assert closed == {"type": "websocket.close", "code": 4403}
        assert (await until(plaintiff, "member"))["removed"] is True
        again = socket(space.pk, tokens["defendant"])
        ok, code = await again.connect()
        assert (ok, code) == (False, 4403)
        await plaintiff.disconnect()

    async_to_sync(run)()


def test_non_members_and_bad_tokens_are_refused(space, tokens):
    async def run():
        for who in ("court_admin", "filing_officer"):
            ws = socket(space.pk, tokens[who])
            assert await ws.connect() == (False, 4404)
        ws = socket(space.pk + 999, tokens["plaintiff"])
        assert await ws.connect() == (False, 4404)  # a missing space looks the same
        ws = socket(space.pk, "not-a-token")
        assert await ws.connect() == (False, 4401)

    async_to_sync(run)()


def test_read_receipts_and_cards_for_some_members(space, space_case, users, tokens):
    from yunting.core.journal.services import journal_append
    from yunting.workflows.casespace import entries

    async def run():
        plaintiff, _w = await connect(space.pk, tokens["plaintiff"])
        defendant, _w = await connect(space.pk, tokens["defendant"])
        await plaintiff.send_json_to({"type": "message", "text": "请查收"})
        msg = await until(defendant, "message")
        await defendant.send_json_to({"type": "read", "upto": msg["seq"]})
        read = await until(plaintiff, "read")
        assert (read["user_id"], read["upto"]) == (users["defendant"].pk, msg["seq"])
        # a card for the defendant only, posted by another workflow through the journal
        await sync_to_async(journal_append)(case=space_case, kind=entries.CARD_WANTED, actor=users["judge"], payload={
            "card": "delivery", "title": "送达：传票", "url": "/delivery/5/", "user_ids": [users["defendant"].pk]})
        card = await until(defendant, "card")
        assert {k: card[k] for k in ("card", "title", "url")} == {"card": "delivery", "title": "送达：传票",
                                                                 "url": "/delivery/5/"}
        assert card["id"] and card["at"]
        assert not [m for m in await drain(plaintiff) if m["type"] == "card"]
        await plaintiff.disconnect()
        await defendant.disconnect()

    async_to_sync(run)()
