"""The engines. Audio is 16-bit little-endian mono PCM at `sample_rate`, or a WAV file (its header wins)."""

from __future__ import annotations

import array
import io
import json
import wave
from dataclasses import dataclass
from pathlib import Path

from yunting.kernel.common.errors import Conflict, ValidationFailed


@dataclass(frozen=True)
class Segment:
    text: str
    start: float  # seconds from the start of the audio
    end: float


class AsrUnavailable(Conflict):
    """The configured engine cannot run: no model directory, an invalid model, or the engine not installed."""

    default_code = "asr_unavailable"


def pcm_from_audio(audio: bytes, sample_rate: int) -> tuple[bytes, int]:
    """(PCM s16le mono, rate): a WAV is unpacked (its own rate counts), anything else is taken as raw PCM."""
    if not audio:
        raise ValidationFailed("没有音频数据", code="asr_no_audio")
    if audio[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(audio)) as w:
                if w.getsampwidth() != 2 or w.getnchannels() != 1:
                    raise ValidationFailed("音频须为 16 位单声道 PCM", code="asr_bad_audio")
                return w.readframes(w.getnframes()), w.getframerate()
        except (wave.Error, EOFError):
            raise ValidationFailed("无法读取的 WAV 音频", code="asr_bad_audio") from None
    if sample_rate <= 0 or len(audio) % 2:
        raise ValidationFailed("音频须为 16 位单声道 PCM", code="asr_bad_audio")
    return audio, sample_rate


class AsrEngine:
    name = "base"

    def recognise(self, audio: bytes, sample_rate: int) -> list[Segment]:  # pragma: no cover - interface
        raise NotImplementedError


class ManualEngine(AsrEngine):
    """The default: the clerk types; nothing is recognised automatically."""

    name = "manual"

    def recognise(self, audio: bytes, sample_rate: int) -> list[Segment]:
        pcm_from_audio(audio, sample_rate)
        return []


def _model_dir(path: str | Path | None, engine: str) -> Path:
    if not path:
        raise AsrUnavailable(f"未配置语音识别模型目录（YUNTING_ASR_MODEL_DIR），{engine} 引擎无法使用；"
                             "请由管理员安装模型，或使用人工记录", code="asr_model_missing", data={"engine": engine})
    directory = Path(path)
    if not directory.is_dir():
        raise AsrUnavailable(f"语音识别模型目录不存在：{directory}；请由管理员安装 {engine} 模型，或使用人工记录",
                             code="asr_model_missing", data={"engine": engine, "dir": str(directory)})
    return directory


def _speech_regions(samples: array.array, rate: int, *, frame_s: float = 0.03, min_gap_s: float = 0.35,
                    threshold: int = 500) -> list[tuple[float, float]]:
    """Voiced stretches by short-time energy, split where silence lasts `min_gap_s`."""
    frame = max(1, int(rate * frame_s))
    regions: list[tuple[float, float]] = []
    start = last = None
    for i in range(0, len(samples), frame):
        chunk = samples[i:i + frame]
        loud = max((abs(s) for s in chunk), default=0) > threshold
        t = i / rate
        if loud:
            if start is None:
                start = t
            last = t + len(chunk) / rate
        elif start is not None and t - last >= min_gap_s:
            regions.append((start, last))
            start = last = None
    if start is not None:
        regions.append((start, last))
    return regions


class VoskEngine(AsrEngine):
    """Vosk (Kaldi) with a model the operator unpacked into the directory (e.g. vosk-model-small-cn-0.22)."""

    name = "vosk"

    def __init__(self, model_dir: str | Path | None):
        directory = _model_dir(model_dir, "Vosk")
        if not ((directory / "am" / "final.mdl").is_file() or (directory / "final.mdl").is_file()):
            raise AsrUnavailable(f"目录 {directory} 不是有效的 Vosk 模型（缺少 am/final.mdl）",
                                 code="asr_model_invalid", data={"engine": "vosk", "dir": str(directory)})
        try:
            import vosk
        except ImportError:
            raise AsrUnavailable("服务器未安装 Vosk 语音识别引擎（pip install vosk）", code="asr_engine_missing",
                                 data={"engine": "vosk"}) from None
        try:
            vosk.SetLogLevel(-1)
            self._vosk, self._model = vosk, vosk.Model(str(directory))
        except Exception:
            raise AsrUnavailable(f"Vosk 模型无法加载：{directory}", code="asr_model_invalid",
                                 data={"engine": "vosk", "dir": str(directory)}) from None

    def recognise(self, audio: bytes, sample_rate: int) -> list[Segment]:
        pcm, rate = pcm_from_audio(audio, sample_rate)
        rec = self._vosk.KaldiRecognizer(self._model, rate)
        rec.SetWords(True)
        results = []
        step = rate  # one second of 16-bit samples per feed
        for i in range(0, len(pcm), step * 2):
            if rec.AcceptWaveform(pcm[i:i + step * 2]):
                results.append(json.loads(rec.Result()))
        results.append(json.loads(rec.FinalResult()))
        out = []
        for r in results:
            words = r.get("result") or []
            text = (r.get("text") or "").replace(" ", "")
            if text and words:
                out.append(Segment(text, float(words[0]["start"]), float(words[-1]["end"])))
        return out


class SherpaOnnxEngine(AsrEngine):
    """sherpa-onnx offline Paraformer/SenseVoice: `model.onnx` (or `model.int8.onnx`) and `tokens.txt`."""

    name = "sherpa_onnx"

    def __init__(self, model_dir: str | Path | None):
        directory = _model_dir(model_dir, "sherpa-onnx")
        model = next((directory / n for n in ("model.int8.onnx", "model.onnx") if (directory / n).is_file()), None)
        tokens = directory / "tokens.txt"
        if model is None or not tokens.is_file():
            raise AsrUnavailable(f"目录 {directory} 不是有效的 sherpa-onnx 模型（需要 model.onnx 和 tokens.txt）",
                                 code="asr_model_invalid", data={"engine": "sherpa_onnx", "dir": str(directory)})
        try:
            import sherpa_onnx
        except ImportError:
            raise AsrUnavailable("服务器未安装 sherpa-onnx 语音识别引擎（pip install sherpa-onnx）",
                                 code="asr_engine_missing", data={"engine": "sherpa_onnx"}) from None
        try:
            if "sense" in directory.name.lower():
                self._rec = sherpa_onnx.OfflineRecognizer.from_sense_voice(model=str(model), tokens=str(tokens),
                                                                          language="zh", use_itn=True)
            else:
                self._rec = sherpa_onnx.OfflineRecognizer.from_paraformer(paraformer=str(model), tokens=str(tokens))
        except Exception:
            raise AsrUnavailable(f"sherpa-onnx 模型无法加载：{directory}", code="asr_model_invalid",
                                 data={"engine": "sherpa_onnx", "dir": str(directory)}) from None

    def recognise(self, audio: bytes, sample_rate: int) -> list[Segment]:
        pcm, rate = pcm_from_audio(audio, sample_rate)
        samples = array.array("h", pcm)
        out = []
        for start, end in _speech_regions(samples, rate):  # one decode per utterance keeps timings useful
            chunk = samples[int(start * rate):int(end * rate)]
            stream = self._rec.create_stream()
            stream.accept_waveform(rate, [s / 32768.0 for s in chunk])
            self._rec.decode_stream(stream)
            text = stream.result.text.strip()
            if text:
                out.append(Segment(text, round(start, 2), round(end, 2)))
        return out


class FakeEngine(AsrEngine):
    """FAKE (tests and demos only): finds the spoken stretches in real audio by their energy and "recognises" the
    i-th one as `script[i]`. So the pipeline around it (audio in, timed segments out, suggestions to the clerk)
    runs on real speech while the words are known in advance."""

    name = "fake"

    def __init__(self, script: list[str] | tuple[str, ...] = ()):
        self.script = list(script)

    def recognise(self, audio: bytes, sample_rate: int) -> list[Segment]:
        pcm, rate = pcm_from_audio(audio, sample_rate)
        regions = _speech_regions(array.array("h", pcm), rate)
        return [Segment(text, round(start, 2), round(end, 2))
                for text, (start, end) in zip(self.script, regions, strict=False)]


def asr_engine(name: str | None = None, *, model_dir: str | None = None) -> AsrEngine:
    """The engine settings name (`YUNTING_ASR_ENGINE`: manual | vosk | sherpa_onnx), loading its model from
    `YUNTING_ASR_MODEL_DIR`. Raises AsrUnavailable (a clear Chinese message) when the model is not usable."""
    from django.conf import settings

    name = name if name is not None else getattr(settings, "YUNTING_ASR_ENGINE", "manual")
    model_dir = model_dir if model_dir is not None else getattr(settings, "YUNTING_ASR_MODEL_DIR", "")
    if name in ("", "manual"):
        return ManualEngine()
    if name == "vosk":
        return VoskEngine(model_dir)
    if name in ("sherpa_onnx", "sherpa-onnx"):
        return SherpaOnnxEngine(model_dir)
    raise AsrUnavailable(f"未知的语音识别引擎：{name}（可选 manual、vosk、sherpa_onnx）", code="asr_engine_unknown",
                         data={"engine": name})
