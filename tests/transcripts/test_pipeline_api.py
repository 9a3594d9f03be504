"""Speech synthesised in Mandarin (espeak-ng -v cmn) → the fake engine → suggestions the clerk accepts into the
transcript; and the API under /api/v1/hearings/{id}/transcript… with the same access as the pages."""

from __future__ import annotations

import base64

import pytest

from tests.transcripts.test_asr import needs_espeak, speech
from yunting.workflows.transcripts import services as s
from yunting.workflows.transcripts.models import Suggestion, Transcript
from yunting.workflows.transcripts.selectors import access_transcript_for

pytestmark = pytest.mark.django_db


@needs_espeak
def test_recognised_speech_is_suggested_and_enters_only_when_accepted(hearing, users):
    from yunting.kernel.asr import FakeEngine

    clerk = users["clerk"]
    s.transcript_open(ta=access_transcript_for(clerk, hearing.pk), actor=clerk)
    audio = speech("原告请陈述诉讼请求。", "被告借款十万元至今未还。")
    made = s.transcript_recognise(ta=access_transcript_for(clerk, hearing.pk), actor=clerk, audio=audio,
                                  sample_rate=0, engine=FakeEngine(["请陈述诉讼请求", "借款十万元至今未还"]))
    assert [m.text for m in made] == ["请陈述诉讼请求", "借款十万元至今未还"]
    assert made[0].end < made[1].start and made[0].engine == "fake"
    assert Transcript.objects.get(hearing=hearing).text == ""  # nothing enters by itself
    s.suggestion_decide(ta=access_transcript_for(clerk, hearing.pk), actor=clerk, suggestion_id=made[0].pk,
                        accept=True, speaker="审判员")
    s.suggestion_decide(ta=access_transcript_for(clerk, hearing.pk), actor=clerk, suggestion_id=made[1].pk,
                        accept=False)
    t = Transcript.objects.get(hearing=hearing)
    assert t.text == "审判员：请陈述诉讼请求\n" and t.revision == 1
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"accepted", "dismissed"}


def test_the_default_engine_suggests_nothing(hearing, users, settings):
    settings.YUNTING_ASR_ENGINE = "manual"
    clerk = users["clerk"]
    s.transcript_open(ta=access_transcript_for(clerk, hearing.pk), actor=clerk)
    assert s.transcript_recognise(ta=access_transcript_for(clerk, hearing.pk), actor=clerk,
                                  audio=b"\x00\x00" * 8000, sample_rate=16000) == []


def test_api_a_missing_model_is_a_clear_error(hearing, users, bearer, settings, tmp_path):
    settings.YUNTING_ASR_ENGINE, settings.YUNTING_ASR_MODEL_DIR = "sherpa_onnx", str(tmp_path / "none")
    api = bearer("clerk")
    assert api.post(f"/api/v1/hearings/{hearing.pk}/transcript", {}, content_type="application/json").status_code == 201
    res = api.post(f"/api/v1/hearings/{hearing.pk}/transcript/recognise",
                   {"audio_base64": base64.b64encode(b"\x00\x00" * 800).decode(), "sample_rate": 16000},
                   content_type="application/json")
    assert res.status_code == 409 and res.json()["code"] == "asr_model_missing"
    assert "模型目录不存在" in res.json()["message"]


def test_api_follows_the_room(hearing, users, bearer, admitted):
    from yunting.kernel.security.models import ReadLog

    url = f"/api/v1/hearings/{hearing.pk}/transcript"
    clerk, party, outsider = bearer("clerk"), bearer("plaintiff"), bearer("lawyer")
    assert party.post(url, {}, content_type="application/json").status_code == 404  # not the court's
    assert clerk.post(url, {"from_report": False}, content_type="application/json").status_code == 201
    saved = clerk.put(url, {"text": "审判员：现在开庭。", "base_revision": 0}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    stale = clerk.put(url, {"text": "旧窗口", "base_revision": 0}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "transcript_stale"
    assert party.get(url).status_code == 404  # seated but not admitted: same answer as no hearing at all
    admitted(users["plaintiff"])
    body = party.get(url).json()
    assert body["text"] == "审判员：现在开庭。" and body["court"] is False and "suggestions" not in body
    assert ReadLog.objects.filter(user_id=users["plaintiff"].pk, object_type="transcript").exists()
    assert outsider.get(url).status_code == 404
    assert party.put(url, {"text": "改", "base_revision": 1}, content_type="application/json").status_code == 404
    assert bearer("clerk").get("/api/v1/hearings/999999/transcript").status_code == 404
