"""kernel.asr: the engines' loading errors are clear and Chinese; the fake engine finds real speech."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from yunting.kernel import asr
from yunting.kernel.asr import (
    AsrUnavailable,
    FakeEngine,
    ManualEngine,
    SherpaOnnxEngine,
    VoskEngine,
    asr_engine,
)


def test_public_surface():
    assert asr.__all__ == sorted(["AsrEngine", "AsrUnavailable", "FakeEngine", "ManualEngine", "Segment",
                                  "SherpaOnnxEngine", "VoskEngine", "asr_engine", "pcm_from_audio"])


def test_manual_is_the_default_and_recognises_nothing(settings):
    settings.YUNTING_ASR_ENGINE = "manual"
    engine = asr_engine()
    assert isinstance(engine, ManualEngine)
    assert engine.recognise(b"\x00\x00" * 16000, 16000) == []


@pytest.mark.parametrize("engine", ["vosk", "sherpa_onnx"])
def test_no_model_directory_configured_is_a_clear_error(settings, engine):
    settings.YUNTING_ASR_ENGINE, settings.YUNTING_ASR_MODEL_DIR = engine, ""
    with pytest.raises(AsrUnavailable) as err:
        asr_engine()
    assert err.value.code == "asr_model_missing"
    assert "YUNTING_ASR_MODEL_DIR" in err.value.message and "人工记录" in err.value.message


@pytest.mark.parametrize("cls", [VoskEngine, SherpaOnnxEngine])
def test_a_missing_directory_is_named(tmp_path, cls):
    gone = tmp_path / "no-such-model"
    with pytest.raises(AsrUnavailable) as err:
        cls(gone)
    assert err.value.code == "asr_model_missing" and str(gone) in err.value.message
    assert "不存在" in err.value.message


def test_a_directory_without_a_model_is_invalid(tmp_path):
    (tmp_path / "README").write_text("not a model")
    with pytest.raises(AsrUnavailable) as err:
        VoskEngine(tmp_path)
    assert err.value.code == "asr_model_invalid" and "am/final.mdl" in err.value.message
    with pytest.raises(AsrUnavailable) as err:
        SherpaOnnxEngine(tmp_path)
    assert err.value.code == "asr_model_invalid" and "tokens.txt" in err.value.message


def test_a_broken_model_is_refused_not_crashed(tmp_path):
    """A directory shaped like a model but holding garbage: the engine's own load fails (or the engine is not
    installed): either way a clear refusal, never a traceback."""
    (tmp_path / "model.onnx").write_bytes(b"garbage")
    (tmp_path / "tokens.txt").write_text("a 0\n")
    with pytest.raises(AsrUnavailable) as err:
        SherpaOnnxEngine(tmp_path)
    assert err.value.code in ("asr_model_invalid", "asr_engine_missing")


def test_unknown_engine(settings):
    with pytest.raises(AsrUnavailable) as err:
        asr_engine("whisper-cloud")
    assert err.value.code == "asr_engine_unknown"


def test_bad_audio_is_refused():
    from yunting.kernel.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        FakeEngine(["x"]).recognise(b"", 16000)
    with pytest.raises(ValidationFailed):
        FakeEngine(["x"]).recognise(b"RIFF....not a wav", 16000)


def speech(*sentences: str, gap_ms: int = 800) -> bytes:
    """Mandarin speech from espeak-ng (-v cmn): the sentences with silence between them, as one WAV."""
    import io
    import wave

    frames, rate = b"", 22050
    for i, text in enumerate(sentences):
        wav = subprocess.run(["espeak-ng", "-v", "cmn", "--stdout", text], check=True, capture_output=True).stdout
        with wave.open(io.BytesIO(wav)) as w:
            rate = w.getframerate()
            frames += (b"\x00\x00" * int(rate * gap_ms / 1000) if i else b"") + w.readframes(w.getnframes())
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng missing (bash scripts/system_deps.sh)")


@needs_espeak
def test_fake_engine_times_real_speech():
    audio = speech("原告请陈述诉讼请求。", "被告借款十万元至今未还。")
    segments = FakeEngine(["第一句", "第二句", "不存在的第三句"]).recognise(audio, 0)
    assert [s.text for s in segments] == ["第一句", "第二句"]  # two utterances heard, so two segments
    first, second = segments
    assert 0 <= first.start < first.end < second.start < second.end
    assert second.start - first.end >= 0.5  # the 0.8 s pause between them is found
