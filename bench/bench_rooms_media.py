"""Rooms media: 3-person rooms through a real Janus with aiortc peers sending real media (each person publishes a
640×360 VP8 camera at 15 fps and an Opus microphone and subscribes to the two others): join-to-first-frame and
CPU per stream (Janus's own CPU time, read from /proc, per published and per relayed stream); discipline-patrol
throughput (minutes of recording analysed per minute, one process and two in parallel on the 2 cores); and the
Janus control plane (room create + token grant + destroy). Prints markdown for docs/PERFORMANCE.md."""

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
STEADY_S = 20


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _self_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


async def _one_room(url: str, r: int, steady_at: float) -> dict:
    """One room of 3 in this process: everyone publishes, then everyone subscribes to the two others; frames
    counted over [steady_at, steady_at + STEADY_S] (wall clock shared with the parent)."""
    import asyncio

    from yunting.core.rooms.media.sfu.janus import JanusSfu
    from yunting.core.rooms.media.sfu.janus_peer import Publisher, Subscriber

    sfu = JanusSfu(url=url)
    room = sfu.room_create(name=f"bench room {r}", max_publishers=3)
    pubs, subs, join_to_first, publish_s = [], [], [], []
    for p in range(3):
        t = time.monotonic()
        pubs.append(await Publisher(url, int(room.sfu_id), sfu.grant(room=room, identity=f"p{p}", display=f"p{p}").token,
                                    f"p{p}", seed=r * 3 + p).start())
        publish_s.append(time.monotonic() - t)
    for p in range(3):
        others = [x.id for i, x in enumerate(pubs) if i != p]
        subs.append(await Subscriber(url, int(room.sfu_id),
                                     sfu.grant(room=room, identity=f"s{p}", display=f"s{p}").token).start(others))
    for sub in subs:
        await sub.wait_video(1, timeout=60)
        if sub.first_video_at is not None:
            join_to_first.append(sub.first_video_at - sub.joined_at)
    await asyncio.sleep(max(0.0, steady_at - time.time()))
    s0, f0 = _self_cpu_s(), sum(s.video_frames() for s in subs)
    await asyncio.sleep(STEADY_S)
    s1, f1 = _self_cpu_s(), sum(s.video_frames() for s in subs)
    for x in subs + pubs:
        await x.stop()
    sfu.room_destroy(room=room)
    return {"join_to_first": join_to_first, "publish_s": publish_s, "cpu_s": s1 - s0, "frames": f1 - f0,
            "cameras": 2 * len(subs)}


def _room_process(args) -> dict:
    import asyncio

    url, r, steady_at = args
    return asyncio.run(_one_room(url, r, steady_at))


def _rooms(url: str, n_rooms: int, janus_pid: int) -> dict:
    """n_rooms rooms of 3, each room's peers in their own process (aiortc encodes and decodes in Python; one
    process for all would measure the GIL, not Janus)."""
    import multiprocessing

    steady_at = time.time() + 20 + 8 * n_rooms  # everyone has joined by then
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(n_rooms) as pool:
        pending = pool.map_async(_room_process, [(url, r, steady_at) for r in range(n_rooms)])
        time.sleep(max(0.0, steady_at - time.time()))
        j0 = _cpu_s(janus_pid)
        time.sleep(STEADY_S)
        j1 = _cpu_s(janus_pid)
        results = pending.get(timeout=300)
    jf = sorted(x for res in results for x in res["join_to_first"])
    published = 2 * 3 * n_rooms  # audio + video per person
    relayed = 2 * 2 * 3 * n_rooms  # each person receives two people's audio + video
    janus_pct = 100 * (j1 - j0) / STEADY_S
    return {"rooms": n_rooms, "people": 3 * n_rooms, "join_to_first": jf,
            "publish_s": [x for res in results for x in res["publish_s"]],
            "janus_pct": janus_pct, "janus_per_published": janus_pct / published,
            "janus_per_relayed": janus_pct / relayed,
            "peers_pct": 100 * sum(res["cpu_s"] for res in results) / STEADY_S / n_rooms,
            "fps_per_sub_video": sum(res["frames"] for res in results) / STEADY_S
            / sum(res["cameras"] for res in results)}


def media_rows(rooms_list=(1, 2)) -> list[tuple[str, str]]:
    from yunting.core.rooms.media.sfu.janus_local import LocalJanus

    rows = []
    for n in rooms_list:
        with LocalJanus() as j:
            res = _rooms(j.url, n, j.proc.pid)
        jf = res["join_to_first"]
        p95 = jf[min(len(jf) - 1, int(len(jf) * 0.95))] if jf else float("nan")
        rows += [
            (f"{n} room(s) of 3 ({res['people']} people): join (subscribe) to first decoded frame, s p50 / max",
             f"{statistics.median(jf):.2f} / {p95:.2f}" if jf else "no frames"),
            ("… publish (join + offer/answer + ICE/DTLS up), s p50", f"{statistics.median(res['publish_s']):.2f}"),
            ("… Janus CPU, % of one core (total)", f"{res['janus_pct']:.1f}"),
            ("… Janus CPU per published stream (audio or video in), % of a core", f"{res['janus_per_published']:.2f}"),
            ("… Janus CPU per relayed stream (audio or video out), % of a core", f"{res['janus_per_relayed']:.2f}"),
            ("… video fps decoded per relayed camera (sent at 15)", f"{res['fps_per_sub_video']:.1f}"),
            ("… the aiortc peers (VP8 encode + decode in Python), % of a core per room", f"{res['peers_pct']:.0f}"),
        ]
    return rows


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
        try:
            rows += media_rows()
        except ImportError:
            rows.append(("aiortc peers", "not measured: aiortc (dev dependency) is not installed"))
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
    print(f"\nMedia: each room's three aiortc peers in their own process, {STEADY_S} s steady state after everyone "
          "joined; Janus and the peers share the machine's 2 cores with the other work on it.")


if __name__ == "__main__":
    import django

    django.setup()
    main()
