"""Case spaces under load (issue 20). `python bench/bench_space.py [sqlite|postgres]` prints one JSON line.

Measured from a client process (the `websockets` client) against real servers in their own processes:
- fan-out: 100 members of one space connected; one member at a time sends a message over /ws/spaces/{id}/ and
  every member's socket (the sender's too) receives it. Latency = send → arrival, per delivery; the server stores
  the item (word filter, thread, journal entry + ledger leaf) before the journal listener fans it out.
  (a) one uvicorn process, the in-memory channel layer;
  (b) two uvicorn processes on the Redis channel layer, members split half and half between them;
  (c) the floor: a bare `websockets` server broadcasting each message to the same 100 clients.
- 1,000 spaces active at once: one socket in each of 1,000 spaces on one process, each sends one message
  (all at once) and waits for its own copy; latency p50/p99 and messages stored / s;
- memory per connection: the server's RSS growth over those 1,000 connections.
Quick settings: SPACE_BENCH_SPACES (default 1000), SPACE_BENCH_MESSAGES (default 40).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, pg_available, setup_django  # noqa: E402

MEMBERS = 100
SPACES = int(os.environ.get("SPACE_BENCH_SPACES", "1000"))
MESSAGES = int(os.environ.get("SPACE_BENCH_MESSAGES", "40"))
REDIS_URL = os.environ.get("SPACE_BENCH_REDIS", "redis://127.0.0.1:6379/5")
ORIGIN = "http://127.0.0.1"


def _raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _pct(values, p):
    values = sorted(values)
    if not values:
        return None
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _setup():
    """One space of 100 members (judge, clerk, 98 parties), and SPACES small spaces (judge, plaintiff, defendant)."""
    from yunting.core.cases.models import CaseType, Cause, Participation
    from yunting.core.cases.services import CaseInput, PartyInput, case_open, case_open_many
    from yunting.core.people.models import User
    from yunting.interfaces.api.models import ApiToken
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.workflows.casespace.services import space_ensure

    orgs, users = cast_ensure(password="bench-pass-123")
    judge, plaintiff, defendant = users["judge"], users["plaintiff"], users["defendant"]
    ctype, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")

    def case_input():
        return CaseInput(court=orgs["court"], case_type=ctype, cause=cause,
                         parties=[PartyInput(role="plaintiff", kind="natural", name=plaintiff.real_name, user=plaintiff),
                                  PartyInput(role="defendant", kind="natural", name=defendant.real_name, user=defendant)],
                         participants=[(judge, "judge")])

    big = case_open(data=case_input(), actor=users["filing_officer"])
    buyers = [User(username=f"buyer{i:03d}", real_name=f"业主{i:03d}") for i in range(MEMBERS - 4)]
    User.objects.bulk_create(buyers)
    buyers = list(User.objects.filter(username__startswith="buyer").order_by("username"))
    Participation.objects.bulk_create([Participation(case=big, user=u, role="party") for u in buyers]
                                      + [Participation(case=big, user=users["clerk"], role="clerk")])
    space = space_ensure(case=big, actor=judge)
    members = [judge, users["clerk"], plaintiff, defendant, *buyers][:MEMBERS]
    tokens = [ApiToken.issue(user=u, name="bench")[1] for u in members]
    t0 = time.perf_counter()
    cases = case_open_many(items=[case_input() for _ in range(SPACES)], actor=users["filing_officer"])
    spaces = [space_ensure(case=c, actor=judge).pk for c in cases]
    setup_s = time.perf_counter() - t0
    return space.pk, tokens, spaces, tokens[2], setup_s


def _start_server(port: int, env_extra: dict) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **env_extra}
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
                             "--log-level", "warning", "--lifespan", "off", "--ws-ping-interval", "300",
                             "--ws-ping-timeout", "300", "--ws-max-queue", "1024"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_raise_fd_limit)


def _wait_port(port, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode()[-2000:] if proc.stderr else "server died")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


async def _connect(url, *, welcome=True):
    import websockets

    ws = await websockets.connect(url, origin=ORIGIN, max_size=2**20, ping_interval=None, open_timeout=300,
                                  max_queue=4096)
    if welcome:
        first = json.loads(await asyncio.wait_for(ws.recv(), 120))
        assert first["type"] == "welcome", first
    return ws


async def _fanout(sockets, make_payload, is_it, messages: int):
    """Send `messages` messages one after another from rotating senders; every socket must receive each.
    Returns (per-delivery latencies in ms, latency of the last arrival per message in ms)."""
    arrivals: dict[str, list[float]] = {}
    done: dict[str, asyncio.Event] = {}
    expected = len(sockets)

    async def reader(ws):
        async for raw in ws:
            tag = is_it(raw)
            if tag is None or tag not in arrivals:
                continue
            arrivals[tag].append(time.perf_counter())
            if len(arrivals[tag]) == expected:
                done[tag].set()

    readers = [asyncio.create_task(reader(ws)) for ws in sockets]
    per, last = [], []
    try:
        for n in range(messages + 3):
            tag = f"m{n}-{time.time_ns()}"
            arrivals[tag], done[tag] = [], asyncio.Event()
            sender = sockets[(n * 37) % len(sockets)]
            t0 = time.perf_counter()
            await sender.send(make_payload(tag))
            await asyncio.wait_for(done[tag].wait(), 60)
            if n >= 3:  # the first three warm the path
                per += [(t - t0) * 1000 for t in arrivals[tag]]
                last.append((max(arrivals[tag]) - t0) * 1000)
            await asyncio.sleep(0.02)
    finally:
        for r in readers:
            r.cancel()
    return per, last


def _space_tag(raw):
    msg = json.loads(raw)
    if msg.get("type") == "message":
        return msg["text"]
    return None


async def _space_fanout(urls):
    sockets = []
    for url in urls:
        sockets.append(await _connect(url))
    await asyncio.sleep(0.5)
    per, last = await _fanout(sockets, lambda tag: json.dumps({"type": "message", "text": tag}), _space_tag, MESSAGES)
    for ws in sockets:
        await ws.close()
    return per, last


async def _many_spaces(port, spaces, token):
    """One socket in each space (the plaintiff is in all), all connected, each sends one message at once."""
    sockets = []
    for i in range(0, len(spaces), 100):  # connect in waves of 100
        sockets += await asyncio.gather(*(_connect(f"ws://127.0.0.1:{port}/ws/spaces/{s}/?token={token}")
                                          for s in spaces[i:i + 100]))
    return sockets


async def _many_send(sockets):
    lat = []

    async def one(ws, i):
        tag = f"s{i}"
        t0 = time.perf_counter()
        await ws.send(json.dumps({"type": "message", "text": tag}))
        while True:
            msg = json.loads(await asyncio.wait_for(ws.recv(), 300))
            if msg.get("type") == "message" and msg.get("text") == tag:
                lat.append((time.perf_counter() - t0) * 1000)
                return
            if msg.get("type") == "error":
                raise RuntimeError(msg)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(ws, i) for i, ws in enumerate(sockets)))
    return lat, time.perf_counter() - t0


BROADCAST_SERVER = """
import asyncio, sys, websockets
CLIENTS = set()
async def handler(ws):
    CLIENTS.add(ws)
    try:
        async for m in ws:
            websockets.broadcast(CLIENTS, m)
    finally:
        CLIENTS.discard(ws)
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1])):
        await asyncio.Future()
asyncio.run(main())
"""


async def _floor(port):
    import websockets

    sockets = [await websockets.connect(f"ws://127.0.0.1:{port}/", ping_interval=None, open_timeout=60)
               for _ in range(MEMBERS)]
    await asyncio.sleep(0.3)
    per, last = await _fanout(sockets, lambda tag: json.dumps({"type": "message", "text": tag}), _space_tag, MESSAGES)
    for ws in sockets:
        await ws.close()
    return per, last


def main() -> None:
    _raise_fd_limit()
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    url = None
    if backend == "postgres":
        if not pg_available():
            print(json.dumps({"database": "postgresql", "skipped": "PostgreSQL not reachable"}))
            return
        url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yt_space_bench")
    vendor = setup_django(url)
    big, tokens, spaces, plaintiff_token, setup_s = _setup()
    result = {"database": vendor, "members": MEMBERS, "messages": MESSAGES, "spaces": SPACES,
              "spaces_opened_s": round(setup_s, 1)}
    load0 = os.getloadavg()[0]

    # (a) one process, in-memory layer
    port = _free_port()
    server = _start_server(port, {})
    try:
        _wait_port(port, server)
        per, last = asyncio.run(_space_fanout([f"ws://127.0.0.1:{port}/ws/spaces/{big}/?token={t}" for t in tokens]))
        result.update({"one_process_delivery_ms_p50": _pct(per, 50), "one_process_delivery_ms_p99": _pct(per, 99),
                       "one_process_last_arrival_ms_p99": _pct(last, 99)})
        # 1,000 spaces at once, memory per connection
        rss0 = _rss_kb(server.pid)

        async def many():
            sockets = await _many_spaces(port, spaces, plaintiff_token)
            rss1 = _rss_kb(server.pid)
            lat, secs = await _many_send(sockets)
            for ws in sockets:
                await ws.close()
            return rss1, lat, secs

        rss1, lat, secs = asyncio.run(many())
        result.update({"many_spaces_message_ms_p50": _pct(lat, 50), "many_spaces_message_ms_p99": _pct(lat, 99),
                       "many_spaces_messages_per_s": round(len(spaces) / secs, 1),
                       "server_kb_per_connection": round((rss1 - rss0) / max(1, len(spaces)), 1),
                       "server_rss_mb": round(rss0 / 1024, 1)})
    finally:
        _stop(server)

    # (b) two processes on Redis
    if _redis_up():
        ports = [_free_port(), _free_port()]
        servers = [_start_server(p, {"REDIS_URL": REDIS_URL, "YUNTING_TASKS_IMMEDIATE": "1"}) for p in ports]
        try:
            for p, s in zip(ports, servers, strict=True):
                _wait_port(p, s)
            urls = [f"ws://127.0.0.1:{ports[i % 2]}/ws/spaces/{big}/?token={t}" for i, t in enumerate(tokens)]
            per, last = asyncio.run(_space_fanout(urls))
            result.update({"redis_two_processes_delivery_ms_p50": _pct(per, 50),
                           "redis_two_processes_delivery_ms_p99": _pct(per, 99),
                           "redis_two_processes_last_arrival_ms_p99": _pct(last, 99)})
        finally:
            for s in servers:
                _stop(s)
    else:
        result["redis_two_processes_delivery_ms_p99"] = "Redis not reachable: skipped"

    # (c) the floor
    fport = _free_port()
    floor = subprocess.Popen([sys.executable, "-c", BROADCAST_SERVER, str(fport)], stderr=subprocess.PIPE)
    try:
        _wait_port(fport, floor)
        per, last = asyncio.run(_floor(fport))
        result.update({"floor_delivery_ms_p50": _pct(per, 50), "floor_delivery_ms_p99": _pct(per, 99),
                       "floor_last_arrival_ms_p99": _pct(last, 99), "floor_server_rss_mb": round(_rss_kb(floor.pid) / 1024, 1)})
    finally:
        _stop(floor)
    result["machine"] = machine()
    result["load_average_1min_start"] = round(load0, 2)
    result["load_average_1min_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
