"""庭审智能巡查 (discipline patrol): find suspected breaches of hearing discipline in one participant's recording.

Pure analysis, no database: decode the recording (PyAV), sample video frames and look for faces with OpenCV's
frontal-face Haar cascade (shipped in the opencv-python wheel), measure the sound in short windows with numpy,
and turn runs that last longer than the court's thresholds into suspected events with time codes. Liangjiang's
system flagged 1,189 suspicions of which staff found none real: these are suspicions for a person to confirm or
dismiss, never findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

OUT_OF_FRAME, EXTRA_PERSON, CAMERA_COVERED = "out_of_frame", "extra_person", "camera_covered"
LOUD_NOISE, SILENCE = "loud_noise", "silence"
KINDS = (OUT_OF_FRAME, EXTRA_PERSON, CAMERA_COVERED, LOUD_NOISE, SILENCE)
AUDIO_RATE, WINDOW_S = 48000, 0.1


@dataclass(frozen=True)
class Thresholds:
    """A court's patrol settings (PatrolSettings holds them per court); seconds and dBFS."""

    out_of_frame_s: float = 10.0
    extra_person_s: float = 2.0
    covered_s: float = 3.0
    covered_luma: float = 18.0  # mean brightness (0–255) below which the camera counts as covered or black
    loud_s: float = 1.0
    loud_dbfs: float = -12.0
    silence_s: float = 30.0
    silence_dbfs: float = -60.0
    sample_fps: float = 2.0  # video frames looked at per second

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Suspicion:
    kind: str
    start_s: float
    end_s: float
    detail: dict = field(default_factory=dict)


@dataclass
class Analysis:
    duration_s: float
    suspicions: list[Suspicion]
    frames_looked_at: int
    has_video: bool
    has_audio: bool


_cascade = None


def _faces(gray: np.ndarray) -> int:
    global _cascade
    import cv2

    if _cascade is None:
        _cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    found = _cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(36, 36))
    return len(found)


def runs(times: list[float], flags: list[bool], *, step: float, min_len: float, tolerance: int = 1):
    """(start, end) of runs where `flags` holds for at least `min_len` s; a gap of up to `tolerance` samples
    (a missed detection) does not break a run."""
    out, start, last, gap = [], None, None, 0
    for t, f in zip(times, flags, strict=True):
        if f:
            if start is None:
                start = t
            last, gap = t, 0
        elif start is not None:
            gap += 1
            if gap > tolerance:
                if last + step - start >= min_len:
                    out.append((start, last + step))
                start, gap = None, 0
    if start is not None and last + step - start >= min_len:
        out.append((start, last + step))
    return out


def classify(img: np.ndarray, th: Thresholds) -> tuple[int, bool]:
    """One sampled frame: (faces seen, camera covered or black)."""
    import cv2

    gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    if gray.shape[1] > 640:
        gray = cv2.resize(gray, (640, int(gray.shape[0] * 640 / gray.shape[1])))
    is_dark = float(gray.mean()) < th.covered_luma
    return (0 if is_dark else _faces(gray)), is_dark


def video_suspicions(times, faces, dark, th: Thresholds) -> list[Suspicion]:
    step = 1.0 / th.sample_fps
    out = [Suspicion(CAMERA_COVERED, float(a), float(b)) for a, b in runs(times, dark, step=step, min_len=th.covered_s)]
    away = [f == 0 and not d for f, d in zip(faces, dark, strict=True)]
    out += [Suspicion(OUT_OF_FRAME, float(a), float(b)) for a, b in runs(times, away, step=step, min_len=th.out_of_frame_s)]
    many = [f >= 2 for f in faces]
    for a, b in runs(times, many, step=step, min_len=th.extra_person_s):
        peak = max(f for t, f in zip(times, faces, strict=True) if a <= t < b)
        out.append(Suspicion(EXTRA_PERSON, float(a), float(b), {"faces": int(peak)}))
    return out


def analyse_video(frames, th: Thresholds) -> tuple[list[Suspicion], int]:
    """`frames`: (time s, BGR or gray ndarray) already sampled at `th.sample_fps`."""
    times, faces, dark = [], [], []
    for t, img in frames:
        f, d = classify(img, th)
        times.append(t)
        faces.append(f)
        dark.append(d)
    return video_suspicions(times, faces, dark, th), len(times)


def window_db(samples: np.ndarray, n: int) -> np.ndarray:
    """dBFS of the RMS of each whole window of `n` samples."""
    frames = samples[: samples.size // n * n].reshape(-1, n).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9))


def audio_suspicions(db, th: Thresholds, *, window_s: float = WINDOW_S) -> list[Suspicion]:
    db = np.asarray(db, dtype=np.float64)
    times = list(np.arange(len(db)) * window_s)
    out = []
    for a, b in runs(times, list(db > th.loud_dbfs), step=window_s, min_len=th.loud_s, tolerance=2):
        peak = float(db[int(round(a / window_s)): int(round(b / window_s))].max())
        out.append(Suspicion(LOUD_NOISE, round(float(a), 2), round(float(b), 2), {"peak_dbfs": round(peak, 1)}))
    for a, b in runs(times, list(db < th.silence_dbfs), step=window_s, min_len=th.silence_s, tolerance=2):
        out.append(Suspicion(SILENCE, round(float(a), 2), round(float(b), 2)))
    return out


def analyse_audio(samples: np.ndarray, rate: int, th: Thresholds, *, window_s: float = WINDOW_S) -> list[Suspicion]:
    """Loudness in `window_s` windows (dBFS of the RMS): sustained loud sound, long silence."""
    n = int(rate * window_s)
    if samples.size < n:
        return []
    return audio_suspicions(window_db(samples, n), th, window_s=window_s)


@dataclass
class Progress:
    """Where a (possibly sliced) analysis has got to: only the per-sample measurements, never frames or sound,
    so memory stays bounded by the recording's length in seconds (a few numbers per second), and a slice that
    ran out of time can be resumed by the next background job. JSON-serialisable (PatrolRun.progress)."""

    times: list = field(default_factory=list)  # video sample times (s)
    faces: list = field(default_factory=list)
    dark: list = field(default_factory=list)
    db: list = field(default_factory=list)  # audio loudness per WINDOW_S window, from 0 s
    next_vt: float = 0.0  # next video sample due at this time
    video_upto: float = -1.0  # last video frame decoded (s)
    duration: float = 0.0
    has_video: bool = False
    has_audio: bool = False
    done: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> Progress:
        return cls(**(d or {}))


def _ptime(packet) -> float:
    if packet.pts is None or packet.time_base is None:
        return -1.0
    return float(packet.pts * packet.time_base)


def analyse_slice(path, th: Thresholds, progress: Progress | None = None, *, deadline: float | None = None) -> Progress:
    """One pass over the recording that streams it: packets are demuxed in order, video frames decoded and looked
    at `th.sample_fps` times a second and dropped at once, sound reduced to one loudness number per window. With
    `deadline` (time.monotonic()), stops when it is reached and returns the progress to resume from; a resumed
    pass demuxes (cheap) up to where the last one stopped and decodes only from the key frame before it."""
    import time

    import av

    pr = progress or Progress()
    n = int(AUDIO_RATE * WINDOW_S)
    resume_audio_at = len(pr.db) * WINDOW_S
    resuming_video = pr.video_upto >= 0
    pending: list = []  # video packets since the last key frame, while skipping to where we stopped
    residual = np.zeros(0, np.float32)
    step = 1.0 / th.sample_fps

    def look(frame) -> None:
        t = float(frame.time or 0.0)
        pr.duration = max(pr.duration, t)
        if t <= pr.video_upto:
            return
        pr.video_upto = t
        if t + 1e-6 >= pr.next_vt:
            f, d = classify(frame.to_ndarray(format="gray"), th)
            pr.times.append(round(t, 3))
            pr.faces.append(int(f))
            pr.dark.append(bool(d))
            pr.next_vt += step
            while pr.next_vt <= t:
                pr.next_vt += step

    with av.open(path) as box:
        vs = box.streams.video[0] if box.streams.video else None
        aus = box.streams.audio[0] if box.streams.audio else None
        pr.has_video, pr.has_audio = pr.has_video or vs is not None, pr.has_audio or aus is not None
        if vs is not None:
            vs.thread_type = "AUTO"
        resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE) if aus is not None else None
        wanted = [s for s in (vs, aus) if s is not None]
        for packet in box.demux(*wanted) if wanted else ():
            if deadline is not None and time.monotonic() > deadline:
                return pr  # not done: the next slice goes on from here
            pt = _ptime(packet)
            if packet.stream is vs:
                if resuming_video and pt <= pr.video_upto and packet.size:
                    if packet.is_keyframe:
                        pending = []
                    pending.append(packet)
                    if len(pending) > 3000:  # no key frame for minutes: give up on the frames before
                        pending = []
                    continue
                if pending:
                    for old in pending:
                        for frame in old.decode():
                            look(frame)
                    pending, resuming_video = [], False
                for frame in packet.decode():
                    look(frame)
            else:
                if pt >= 0 and pt + 0.001 < resume_audio_at:
                    continue
                for frame in packet.decode():
                    for out in resampler.resample(frame):
                        residual = np.concatenate([residual, out.to_ndarray().reshape(-1)])
                    if residual.size >= n:
                        whole = residual.size // n * n
                        pr.db.extend(round(float(x), 2) for x in window_db(residual[:whole], n))
                        residual = residual[whole:]
        if resampler is not None:
            for out in resampler.resample(None):
                residual = np.concatenate([residual, out.to_ndarray().reshape(-1)])
            if residual.size >= n:
                pr.db.extend(round(float(x), 2) for x in window_db(residual, n))
    pr.duration = max(pr.duration, len(pr.db) * WINDOW_S)
    pr.done = True
    return pr


def finish(pr: Progress, th: Thresholds) -> Analysis:
    found = video_suspicions(pr.times, pr.faces, pr.dark, th) if pr.times else []
    found += audio_suspicions(pr.db, th) if pr.db else []
    found = sorted(found, key=lambda s: (s.start_s, s.kind))
    return Analysis(duration_s=round(pr.duration, 2), suspicions=found, frames_looked_at=len(pr.times),
                    has_video=bool(pr.times), has_audio=bool(pr.db))


def analyse(path, th: Thresholds | None = None) -> Analysis:
    """`path`: a file name or a seekable binary file. Streams the recording (memory does not grow with its
    length beyond a few numbers per second)."""
    th = th or Thresholds()
    return finish(analyse_slice(path, th), th)


def score(found: list[Suspicion], truth: list[tuple[str, float, float]], *, slack: float = 1.5):
    """Precision and recall of suspicions against scripted events: a suspicion matches a true event of its kind
    when their spans overlap (with `slack` s either side)."""
    matched_truth, true_pos = set(), 0
    for s in found:
        hit = next((i for i, (k, a, b) in enumerate(truth)
                    if k == s.kind and s.start_s < b + slack and s.end_s > a - slack), None)
        if hit is not None:
            true_pos += 1
            matched_truth.add(hit)
    precision = true_pos / len(found) if found else 1.0
    recall = len(matched_truth) / len(truth) if truth else 1.0
    return precision, recall
