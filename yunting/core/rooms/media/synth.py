"""Synthetic recordings with known events, for the patrol's precision/recall tests, the bench and the demo.

A drawn face (which OpenCV's frontal-face Haar cascade detects reliably: dark brows and eyes over a lighter
face, a shaded nose and mouth) sits in a participant's frame; a script says when it leaves, when a second face
joins, when the camera is covered and when a loud tone or silence is on the sound track. The clip is written as
WebM (VP8 + Opus), what browsers' MediaRecorder and janus-pp-rec produce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

W, H = 640, 360
RATE = 48000


def face_image(size: int = 170, tone: tuple[int, int, int] = (150, 170, 210)) -> np.ndarray:
    import cv2

    img = np.full((size, size, 3), 200, np.uint8)
    c = size // 2
    cv2.ellipse(img, (c, c + 5), (int(size * 0.32), int(size * 0.42)), 0, 0, 360, tone, -1)
    for dx in (-1, 1):
        cv2.ellipse(img, (c + dx * int(size * 0.13), int(size * 0.34)), (int(size * 0.08), int(size * 0.025)),
                    0, 0, 360, (40, 40, 50), -1)
        cv2.ellipse(img, (c + dx * int(size * 0.13), int(size * 0.41)), (int(size * 0.06), int(size * 0.03)),
                    0, 0, 360, (30, 30, 30), -1)
    cv2.line(img, (c, int(size * 0.45)), (c - 6, int(size * 0.58)), (110, 120, 160), 3)
    cv2.ellipse(img, (c, int(size * 0.70)), (int(size * 0.10), int(size * 0.03)), 0, 0, 360, (60, 60, 120), -1)
    return cv2.GaussianBlur(img, (5, 5), 0)


@dataclass
class Script:
    """What happens when, in seconds from the start. Each list holds (start, end) intervals."""

    duration: float = 30.0
    away: list[tuple[float, float]] = field(default_factory=list)  # the participant out of frame
    second_face: list[tuple[float, float]] = field(default_factory=list)
    covered: list[tuple[float, float]] = field(default_factory=list)  # camera black
    loud: list[tuple[float, float]] = field(default_factory=list)  # a loud tone (shouting, an alarm)
    silent: list[tuple[float, float]] = field(default_factory=list)  # no sound at all (a drop)

    def truth(self) -> list[tuple[str, float, float]]:
        kinds = {"out_of_frame": self.away, "extra_person": self.second_face, "camera_covered": self.covered,
                 "loud_noise": self.loud, "silence": self.silent}
        return sorted((k, a, b) for k, spans in kinds.items() for a, b in spans)


def _inside(t: float, spans) -> bool:
    return any(a <= t < b for a, b in spans)


_FACE = None


def frame_at(script: Script, t: float, rng: np.random.Generator) -> np.ndarray:
    """One video frame: a grey wall with a little sensor noise, the participant's face swaying gently."""
    global _FACE
    if _FACE is None:
        _FACE = (face_image(), face_image(150, (130, 160, 200)))
    if _inside(t, script.covered):
        return np.full((H, W, 3), 4, np.uint8)
    frame = np.full((H, W, 3), (95, 100, 105), np.uint8)
    frame = cv2_add_noise(frame, rng)
    if not _inside(t, script.away):
        face = _FACE[0]
        x = 140 + int(12 * np.sin(t * 1.3))
        frame[90:90 + face.shape[0], x:x + face.shape[1]] = face
    if _inside(t, script.second_face):
        face = _FACE[1]
        frame[150:150 + face.shape[0], 440:440 + face.shape[1]] = face
    return frame


def cv2_add_noise(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noise = rng.integers(-4, 5, size=frame.shape, dtype=np.int16)
    return np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def audio_at(script: Script, start: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` mono float32 samples from sample `start`: quiet speech-like noise, a loud 880 Hz tone where scripted,
    digital silence where scripted."""
    t = (start + np.arange(n)) / RATE
    out = (rng.standard_normal(n) * 0.02 * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    for a, b in script.loud:
        mask = (t >= a) & (t < b)
        out[mask] = 0.8 * np.sin(2 * np.pi * 880 * t[mask])
    for a, b in script.silent:
        out[(t >= a) & (t < b)] = 0.0
    return out


def write_clip(path: str, script: Script, *, fps: int = 10, seed: int = 7) -> str:
    """Write the scripted recording as WebM (VP8 video, Opus audio)."""
    import av

    rng = np.random.default_rng(seed)
    with av.open(path, "w", format="webm") as out:
        v = out.add_stream("libvpx", rate=fps)
        v.width, v.height, v.pix_fmt = W, H, "yuv420p"
        # "good" with a fixed speed, not "realtime": a realtime encoder drops quality when the machine is busy, so
        # the same script would give different pictures (and patrol results) from run to run
        v.options = {"deadline": "good", "cpu-used": "5", "b": "400k"}
        a = out.add_stream("libopus", rate=RATE)
        a.layout = "mono"
        frames = int(script.duration * fps)
        samples_per_frame = RATE // fps
        apts = 0
        for i in range(frames):
            t = i / fps
            vf = av.VideoFrame.from_ndarray(frame_at(script, t, rng), format="bgr24")
            vf.pts, vf.time_base = i, Fraction(1, fps)
            for packet in v.encode(vf):
                out.mux(packet)
            samples = audio_at(script, apts, samples_per_frame, rng)
            af = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
            af.sample_rate, af.pts, af.time_base = RATE, apts, Fraction(1, RATE)
            apts += samples_per_frame
            for packet in a.encode(af):
                out.mux(packet)
        for packet in v.encode():
            out.mux(packet)
        for packet in a.encode():
            out.mux(packet)
    return path
