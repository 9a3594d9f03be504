"""Speech recognition behind one small interface: `recognise(audio, sample_rate) -> list[Segment]`.

Manual typing is the default (no automatic text). An offline engine (Vosk or sherpa-onnx) is used only when the
operator installs its model in `YUNTING_ASR_MODEL_DIR`: no Chinese model can be downloaded by the platform, so
the engines check the directory first and say in Chinese what is missing. `FakeEngine` is the named fake for
tests. Knows nothing about cases or hearings.

Public surface: Segment, AsrEngine, ManualEngine, VoskEngine, SherpaOnnxEngine, FakeEngine, AsrUnavailable,
asr_engine, pcm_from_audio.
"""

from .engines import (
    AsrEngine,
    AsrUnavailable,
    FakeEngine,
    ManualEngine,
    Segment,
    SherpaOnnxEngine,
    VoskEngine,
    asr_engine,
    pcm_from_audio,
)

__all__ = ["AsrEngine", "AsrUnavailable", "FakeEngine", "ManualEngine", "Segment", "SherpaOnnxEngine", "VoskEngine",
           "asr_engine", "pcm_from_audio"]
