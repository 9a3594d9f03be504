"""The live transcript (its own socket): a witness waiting in the lobby gets "waiting" and not a word of it, and —
being outside the case — does not get it while testifying or after being sent back to the lobby either."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from tests.transcripts.test_live import socket, token
from yunting.workflows.witnesses import services

from .conftest import strokes, verify_again

pytestmark = pytest.mark.django_db(transaction=True)


def test_transcript_never_reaches_the_witness(seated, hearing_room, users, room_case, court,
                                                              access_for, witness_user):
    from yunting.core.rooms.services import participant_join
    from yunting.workflows.hearings.models import Hearing
    from yunting.workflows.transcripts import services as transcripts
    from yunting.workflows.transcripts.selectors import access_transcript_for

    hearing = Hearing.objects.create(case=room_case, court=court, judge=users["judge"], room=hearing_room,
                                     state="confirmed", requested_by=users["judge"])
    app, wp = seated
    wp = participant_join(participant=wp)
    clerk = users["clerk"]
    transcripts.transcript_open(ta=access_transcript_for(clerk, hearing.pk), actor=clerk)
    judge = {"access": access_for(users["judge"], room_case), "actor": users["judge"]}

    def save(text):
        ta = access_transcript_for(clerk, hearing.pk)
        transcripts.transcript_save(ta=ta, actor=clerk, text=text, base_revision=ta.transcript.revision)

    def to_testify(application):
        application = services.witness_call(**judge, application=application)
        verify_again(wp)
        if application.oath_signed_at is None:
            services.witness_oath_sign(participant=wp, strokes_png=strokes())
        return services.witness_admit(**judge, application=application)

    raw = token(witness_user)

    async def run():
        ws = socket(hearing, raw)
        assert (await ws.connect())[0]
        assert await ws.receive_json_from(timeout=5) == {"type": "waiting"}
        await sync_to_async(save)("审判员：现在进行法庭调查。原告陈述借款经过。\n")
        assert await ws.receive_nothing(timeout=0.5)  # the lobby hears nothing
        testifying = await sync_to_async(to_testify)(app)
        await sync_to_async(save)("审判员：现在进行法庭调查。原告陈述借款经过。\n审判员：请证人陈述。\n")
        await sync_to_async(services.witness_stop)(**judge, application=testifying, reason="left_frame")
        await sync_to_async(save)("审判员：现在进行法庭调查。原告陈述借款经过。\n审判员：请证人陈述。\n被告质证：证人所述不实。\n")
        received = []
        while not await ws.receive_nothing(timeout=0.5):
            received.append(await ws.receive_json_from(timeout=1))
        assert received and all(m["type"] == "waiting" for m in received)  # rechecked, and still only waiting
        await ws.disconnect()

    async_to_sync(run)()
