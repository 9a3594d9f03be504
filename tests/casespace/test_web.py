"""The space pages: members only (404 otherwise, 403 with the reason for a removed member), moderation forms,
the transcript on demand, voice messages and files through the checked intake (≤ 60 s)."""

import io
import math
import struct
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.efile.models import Document, Upload
from yunting.core.threads.models import Item
from yunting.kernel.security.models import ReadLog
from yunting.workflows.casespace.models import Attachment, Member

pytestmark = pytest.mark.django_db


def wav(seconds: float, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(int(seconds * rate))))
    return buf.getvalue()


def test_the_page_is_for_members_only(space, space_case, users, client):
    client.force_login(users["plaintiff"])
    res = client.get(f"/spaces/{space.pk}/")
    assert res.status_code == 200
    page = res.content.decode()
    assert 'id="space-config"' in page and "space.js" in page and space.title in page
    assert 'data-testid="mute-' not in page  # no moderation controls for a party
    assert ReadLog.objects.filter(user_id=users["plaintiff"].pk, action="casespace.view", channel="web").exists()
    for who in ("court_admin", "filing_officer", "mediator"):
        client.force_login(users[who])
        assert client.get(f"/spaces/{space.pk}/").status_code == 404
        assert client.get(f"/spaces/case/{space_case.pk}/").status_code == 404
    assert client.get("/spaces/999999/").status_code == 404


def test_the_case_link_opens_the_space_with_a_post_never_a_get(space_case, users, client):
    """Opening a space is an act on the record: following the link (a crawler, a preview) only offers the button."""
    from yunting.core.journal.models import JournalEntry
    from yunting.workflows.casespace.models import Space

    client.force_login(users["defendant"])
    entries = JournalEntry.objects.filter(case=space_case).count()
    res = client.get(f"/spaces/case/{space_case.pk}/")
    assert res.status_code == 200 and 'data-testid="space-open-button"' in res.content.decode()
    assert "开通案件空间" in res.content.decode()
    assert not Space.objects.exists() and JournalEntry.objects.filter(case=space_case).count() == entries
    res = client.post(f"/spaces/case/{space_case.pk}/")
    assert res.status_code == 302
    assert client.get(res["Location"]).status_code == 200
    assert client.get(f"/spaces/case/{space_case.pk}/")["Location"] == res["Location"]  # a member: straight in
    client.force_login(users["plaintiff"])  # joined by the opening, like everyone taking part
    assert client.get(f"/spaces/case/{space_case.pk}/").status_code == 302


def test_case_tabs_show_the_space_and_witnesses_only_to_those_they_open_for(space_case, users, client):
    from yunting.core.cases.services import case_add_participant

    case_add_participant(case=space_case, user=users["mediator"], role="mediator")
    for who, space, witnesses in (("judge", True, True), ("lawyer", True, True), ("defendant", True, True),
                                  ("mediator", False, False), ("court_admin", False, True)):
        client.force_login(users[who])
        page = client.get(f"/cases/{space_case.pk}/").content.decode()
        assert ('data-testid="space-link"' in page) is space, who
        assert ('data-testid="witnesses-link"' in page) is witnesses, who
        for shown, url in ((space, f"/spaces/case/{space_case.pk}/"), (witnesses, f"/witnesses/cases/{space_case.pk}/")):
            if shown:
                assert client.get(url).status_code in (200, 302), (who, url)


def test_the_judge_mutes_removes_and_files_the_transcript_from_the_page(space, users, client):
    client.force_login(users["judge"])
    page = client.get(f"/spaces/{space.pk}/").content.decode()
    assert f'data-testid="mute-{users["defendant"].pk}"' in page
    assert f'data-testid="mute-{users["clerk"].pk}"' not in page  # the court side is not muted
    url = f"/spaces/{space.pk}/moderate/"
    client.post(url, {"action": "mute", "user_id": users["defendant"].pk, "minutes": "60", "reason": "刷屏"})
    assert Member.objects.get(space=space, user=users["defendant"]).muted_until is not None
    res = client.post(url, {"action": "mute", "user_id": users["plaintiff"].pk, "minutes": "60", "reason": ""},
                      follow=True)
    assert "alert-danger" in res.content.decode()
    client.post(url, {"action": "remove", "user_id": users["lawyer"].pk, "reason": "辱骂"})
    client.post(url, {"action": "export"})
    assert Document.objects.filter(case=space.lead_case, kind="space_transcript").count() == 1
    client.force_login(users["lawyer"])
    res = client.get(f"/spaces/{space.pk}/")
    assert res.status_code == 403 and "辱骂" in res.content.decode()
    assert client.get("/spaces/").status_code == 200


def test_a_party_cannot_moderate_or_export(space, users, client):
    client.force_login(users["plaintiff"])
    url = f"/spaces/{space.pk}/moderate/"
    client.post(url, {"action": "mute", "user_id": users["defendant"].pk, "minutes": "60", "reason": "x"})
    client.post(url, {"action": "export"})
    assert Member.objects.get(space=space, user=users["defendant"]).muted_until is None
    assert not Document.objects.filter(kind="space_transcript").exists()


def test_a_voice_message_goes_through_the_intake_and_plays_inline(space, users, client):
    client.force_login(users["plaintiff"])
    res = client.post(f"/spaces/{space.pk}/upload/", {"kind": "voice", "file": SimpleUploadedFile("v.wav", wav(2.2))},
                      HTTP_ACCEPT="application/json")
    assert res.status_code == 201 and res.json()["status"] == "accepted", res.content
    att = Attachment.objects.get(space=space)
    assert att.kind == "voice" and att.duration_s == 2 and att.item.kind == "voice"
    page = client.get(f"/spaces/{space.pk}/").content.decode()
    assert f"/spaces/{space.pk}/attachments/{att.pk}/" in page
    audio = client.get(f"/spaces/{space.pk}/attachments/{att.pk}/")
    assert audio.status_code == 200 and audio["Content-Type"].startswith("audio/")
    assert b"".join(audio.streaming_content).startswith(b"RIFF")
    client.force_login(users["court_admin"])
    assert client.get(f"/spaces/{space.pk}/attachments/{att.pk}/").status_code == 404


def test_a_voice_message_over_60_seconds_is_refused_keeping_nothing(space, users, client):
    client.force_login(users["plaintiff"])
    items = Item.objects.filter(thread=space.thread).count()
    res = client.post(f"/spaces/{space.pk}/upload/", {"kind": "voice", "file": SimpleUploadedFile("v.wav", wav(61))},
                      HTTP_ACCEPT="application/json")
    assert res.json()["status"] == "refused"
    assert [p["code"] for p in res.json()["problems"]] == ["space_voice_too_long"]
    assert not Attachment.objects.exists() and Item.objects.filter(thread=space.thread).count() == items


def test_a_muted_member_cannot_send_files(space, users, client):
    from yunting.workflows.casespace.services import space_mute

    space_mute(space=space, actor=users["judge"], user_id=users["defendant"].pk, minutes=5, reason="刷屏")
    client.force_login(users["defendant"])
    res = client.post(f"/spaces/{space.pk}/upload/", {"kind": "file", "file": SimpleUploadedFile("a.wav", wav(1))},
                      HTTP_ACCEPT="application/json")
    assert res.status_code == 403 and res.json()["code"] == "muted"
    assert not Upload.objects.filter(purpose="casespace").exists()
