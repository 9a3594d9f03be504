"""The discipline patrol on generated recordings: the face detector works on the drawn face, every scripted
event is found with its time code, and a calm recording raises nothing."""

import numpy as np

from yunting.core.rooms.media import patrol
from yunting.core.rooms.media.synth import H, W, face_image

from .conftest import SCRIPT

TH = patrol.Thresholds(out_of_frame_s=4, silence_s=5)


def test_the_drawn_face_is_a_face_to_opencv():
    frame = np.full((H, W), 100, np.uint8)
    assert patrol._faces(frame) == 0
    frame[90:260, 140:310] = face_image()[:, :, 1]
    assert patrol._faces(frame) == 1
    frame[150:300, 440:590] = face_image(150)[:, :, 1]
    assert patrol._faces(frame) == 2


def test_precision_and_recall_on_a_scripted_recording(scripted_clip):
    found = patrol.analyse(scripted_clip, TH)
    precision, recall = patrol.score(found.suspicions, SCRIPT.truth())
    assert (precision, recall) == (1.0, 1.0), found.suspicions
    by_kind = {s.kind: s for s in found.suspicions}
    assert set(by_kind) == set(patrol.KINDS)
    loud = by_kind["loud_noise"]
    assert abs(loud.start_s - 22) <= 0.5 and abs(loud.end_s - 24.5) <= 0.5  # the tone's known second
    assert abs(by_kind["extra_person"].start_s - 15) <= 1 and by_kind["extra_person"].detail["faces"] == 2
    away = [s for s in found.suspicions if s.kind == "out_of_frame"]
    assert [round(s.start_s) for s in away] == [5, 40]  # left and came back, twice


def test_a_calm_recording_raises_nothing(calm_clip):
    assert patrol.analyse(calm_clip, TH).suspicions == []


def test_thresholds_decide_what_is_flagged(scripted_clip):
    lenient = patrol.Thresholds(out_of_frame_s=8, silence_s=10, loud_s=3, extra_person_s=5, covered_s=6)
    kinds = {s.kind for s in patrol.analyse(scripted_clip, lenient).suspicions}
    assert kinds == set()  # every scripted event is shorter than these settings


def test_runs_tolerate_one_missed_detection():
    times = [i * 0.5 for i in range(20)]
    flags = [False] * 4 + [True] * 5 + [False] + [True] * 5 + [False] * 5
    assert patrol.runs(times, flags, step=0.5, min_len=3) == [(2.0, 7.5)]
    assert patrol.runs(times, flags, step=0.5, min_len=3, tolerance=0) == []


def test_an_analysis_cut_into_slices_finds_what_one_pass_finds(scripted_clip):
    """A long hearing is analysed by several background jobs, each stopping at its time budget and the next
    resuming from the saved measurements (JSON, as stored on the run)."""
    import json
    import time

    whole = patrol.analyse(scripted_clip, TH)
    progress, slices = None, 0
    while progress is None or not progress.done:
        progress = patrol.analyse_slice(scripted_clip, TH, progress, deadline=time.monotonic() + 0.4)
        progress = patrol.Progress.from_dict(json.loads(json.dumps(progress.as_dict())))
        slices += 1
        assert slices < 500
    assert slices > 1
    sliced = patrol.finish(progress, TH)
    assert [s.kind for s in sliced.suspicions] == [s.kind for s in whole.suspicions]
    for a, b in zip(sliced.suspicions, whole.suspicions, strict=True):
        assert abs(a.start_s - b.start_s) <= 0.6 and abs(a.end_s - b.end_s) <= 0.6
    assert abs(sliced.frames_looked_at - whole.frames_looked_at) <= 2


def test_memory_stays_bounded_on_a_long_recording(scripted_clip):
    """The recording is streamed: frames are looked at and dropped, sound is reduced to a number per 0.1 s.
    Holding a minute's sampled frames (640×360) and sound would take over 35 MB."""
    import tracemalloc

    tracemalloc.start()
    try:
        found = patrol.analyse(scripted_clip, TH)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found.frames_looked_at >= 110
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
