"""RapidOCR behind one function. The engine (ONNX models from the wheel) is loaded once per process; each call
uses one thread, so a worker per core keeps every core busy (bench/bench_ocr.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image


@dataclass
class OcrLine:
    text: str
    box: list[list[float]]  # four corners, pixels, clockwise from top-left
    score: float


@dataclass
class OcrPage:
    lines: list[OcrLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        """Legibility score 0..1: mean recognition confidence weighted by characters (0 when nothing was read)."""
        chars = sum(len(line.text) for line in self.lines)
        if not chars:
            return 0.0
        return round(sum(line.score * len(line.text) for line in self.lines) / chars, 4)


@lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error", "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1})


def ocr_image(image: Image.Image) -> OcrPage:
    result = _engine()(np.asarray(image.convert("RGB")))
    if result.txts is None or result.boxes is None:
        return OcrPage()
    return OcrPage(lines=[OcrLine(text=str(t), box=[[float(x), float(y)] for x, y in box], score=float(s))
                          for t, box, s in zip(result.txts, result.boxes, result.scores, strict=False) if t])
