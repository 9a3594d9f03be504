"""Rooms media: discipline-patrol throughput (minutes of recording analysed per minute, one process and two
in parallel on the 2 cores) and the Janus control plane (room create + token grant + destroy, real Janus).
Prints a markdown table for docs/PERFORMANCE.md."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CLIP_S = 120


def _analyse(path: str) -> float:
    from yunting.core.rooms.media import patrol

    t = time.perf_counter()
    patrol.analyse(path, patrol.Thresholds())
    return time.perf_counter() - t


def main() -> None:
    from yunting.core.rooms.media.synth import Script, write_clip

    tmp = tempfile.mkdtemp(prefix="yt-bench-media-")
    clip = write_clip(os.path.join(tmp, "clip.webm"), Script(duration=CLIP_S, away=[(20, 40)], loud=[(60, 62)],
                                                              second_face=[(80, 90)]))
    one = _analyse(clip)
    with ProcessPoolExecutor(2) as pool:
        t = time.perf_counter()
        list(pool.map(_analyse, [clip] * 4))
        two = time.perf_counter() - t
    rows = [("patrol, one process: minutes of recording analysed per minute", f"{CLIP_S / one:.1f}"),
            ("patrol, 2 processes on 2 cores: minutes analysed per minute", f"{4 * CLIP_S / two:.1f}")]
    from yunting.core.rooms.media.sfu.janus import JanusSfu
    from yunting.core.rooms.media.sfu.janus_local import LocalJanus, janus_available

    if not janus_available():
        with LocalJanus() as j:
            sfu = JanusSfu(url=j.url)
            times = []
            for i in range(50):
                t = time.perf_counter()
                room = sfu.room_create(name=f"bench {i}")
                for p in range(3):
                    sfu.grant(room=room, identity=f"p{p}", display=f"p{p}")
                sfu.room_destroy(room=room)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            rows += [("Janus: open a room + 3 tokens + destroy, ms p50", f"{statistics.median(times):.1f}"),
                     ("… p95", f"{times[int(len(times) * 0.95) - 1]:.1f}")]
    print(f"Synthetic {CLIP_S} s WebM (640×360 VP8 + Opus), faces looked for at 2 frames/s.\n")
    print("| measure | value |\n| --- | --- |")
    for k, v in rows:
        print(f"| {k} | {v} |")
    print("\nNot measured yet: aiortc peers sending real media through Janus (CPU per stream, join-to-first-frame).")


if __name__ == "__main__":
    import django

    django.setup()
    main()
