"""Signalling under load: 50 concurrent three-person rooms (150 WebSockets) on one uvicorn process, against a
bare `websockets` echo server as the floor. `python bench/bench_rooms.py [sqlite|postgres]` prints one JSON line.

Set-up (not measured): 50 hearing rooms through room_open, every seat's rules acknowledged; identity marked
verified directly (the one-time-code path is rate-limited per phone and is not what is measured here).
Measured, from a client process (the `websockets` client) talking to the server in its own process:
- join latency: socket open → first message (`welcome` for the judge, `lobby` for the parties); the server
  authenticates the bearer token, finds the seat and appends `room.joined` (journal + ledger) on the way;
- admit latency: the judge's `admit` control → the party's `welcome` (service, entry, listener, groups);
- ping round trip over the room socket under the same 150 connections, beside the echo server's;
- chat fan-out: every participant sends 50 chats; messages delivered per second (each chat reaches 3 sockets);
- server memory (RSS) per connection.
Joins are measured twice: arriving spread over 3 s (50 per second: people arriving for 50 hearings) and all
150 at once (a burst).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, pg_available, setup_django  # noqa: E402

ROOMS = 50
CHATS = 50
ORIGIN = "http://127.0.0.1"


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


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far: what it costs, whatever else the machine is doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def _setup():
    from django.utils import timezone

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.rooms.models import Participant
    from yunting.core.rooms.services import room_open
    from yunting.interfaces.api.models import ApiToken
    from yunting.interfaces.cli.cast import cast_ensure

    orgs, users = cast_ensure(password="bench-pass-123")
    judge, plaintiff, defendant = users["judge"], users["plaintiff"], users["defendant"]
    rooms = []
    for _ in range(ROOMS):
        case = case_open(data=CaseInput(
            court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
            parties=[PartyInput(role="plaintiff", kind="natural", name=plaintiff.real_name, user=plaintiff),
                     PartyInput(role="defendant", kind="natural", name=defendant.real_name, user=defendant)],
            participants=[(judge, "judge")]), actor=users["filing_officer"])
        room = room_open(case, "hearing", judge, [(plaintiff, "plaintiff"), (defendant, "defendant")])
        seats = {p.user.username: p.pk for p in room.participants.select_related("user")}
        rooms.append({"id": room.pk, **seats})
    now = timezone.now()
    Participant.objects.update(rules_acknowledged_at=now, verified_at=now, verification_method="bench")
    tokens = {u: ApiToken.issue(user=users[u], name="bench")[1] for u in ("judge", "plaintiff", "defendant")}
    return rooms, tokens


async def _recv(ws, kind, timeout=30):
    while True:
        msg = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if msg.get("type") == kind:
            return msg


async def _join(url, expect, delay):
    import websockets

    await asyncio.sleep(delay)
    t0 = time.perf_counter()
    ws = await websockets.connect(url, origin=ORIGIN, max_size=2**20, ping_interval=None, open_timeout=120)
    first = json.loads(await asyncio.wait_for(ws.recv(), 30))
    assert first["type"] == expect, first
    return ws, (time.perf_counter() - t0) * 1000


async def _rooms_run(port, rooms, tokens, spread_s, *, traffic=True):
    base = f"ws://127.0.0.1:{port}/ws/rooms"
    jobs = []
    for i, r in enumerate(rooms):
        delay = spread_s * i / len(rooms)
        jobs.append(_join(f"{base}/{r['id']}/?token={tokens['judge']}", "welcome", delay))
        jobs.append(_join(f"{base}/{r['id']}/?token={tokens['plaintiff']}", "lobby", delay + 0.005))
        jobs.append(_join(f"{base}/{r['id']}/?token={tokens['defendant']}", "lobby", delay + 0.01))
    joined = await asyncio.gather(*jobs)
    sockets = [ws for ws, _ in joined]
    join_ms = [ms for _, ms in joined]

    async def admit(i, r):
        judge, party, other = sockets[3 * i: 3 * i + 3]
        out = []
        for pid, ws in ((r["plaintiff"], party), (r["defendant"], other)):
            t0 = time.perf_counter()
            await judge.send(json.dumps({"type": "control", "action": "admit", "participant_id": pid}))
            await _recv(ws, "welcome")
            out.append((time.perf_counter() - t0) * 1000)
        return out

    if not traffic:
        return sockets, join_ms, [], 0.0, [], 0
    admit_ms = [ms for pair in await asyncio.gather(*(admit(i, r) for i, r in enumerate(rooms))) for ms in pair]
    await asyncio.sleep(1.0)  # let presence messages settle before timing chat
    ping_ms = await _pings(sockets, lambda: json.dumps({"type": "ping"}), "pong")
    last = {"t": 0.0}
    delivered = {"n": 0}

    async def drain(ws, n):
        # a flood beyond the channel layer's per-socket capacity is dropped, not queued without bound: count
        # what arrives until the line has been quiet for 5 s
        got = 0
        while got < n:
            try:
                msg = json.loads(await asyncio.wait_for(ws.recv(), 5))
            except TimeoutError:
                return
            if msg.get("type") == "chat":
                got += 1
                delivered["n"] += 1
                last["t"] = time.perf_counter()

    async def chat_room(i):
        trio = sockets[3 * i: 3 * i + 3]
        receivers = [asyncio.create_task(drain(ws, 3 * CHATS)) for ws in trio]
        for n in range(CHATS):
            for ws in trio:
                await ws.send(json.dumps({"type": "chat", "text": f"发言 {n}"}))
        await asyncio.gather(*receivers)

    t0 = time.perf_counter()
    await asyncio.gather(*(chat_room(i) for i in range(len(rooms))))
    chat_s = max(0.001, last["t"] - t0)
    return sockets, join_ms, admit_ms, chat_s, ping_ms, delivered["n"]


async def _pings(sockets, payload, answer, rounds=5):
    out = []

    async def one(ws):
        for _ in range(rounds):
            t0 = time.perf_counter()
            await ws.send(payload())
            while True:
                msg = await asyncio.wait_for(ws.recv(), 30)
                if answer is None or json.loads(msg).get("type") == answer:
                    break
            out.append((time.perf_counter() - t0) * 1000)

    await asyncio.gather(*(one(ws) for ws in sockets))
    return out


async def _echo_run(port, n, spread_s):
    import websockets

    url = f"ws://127.0.0.1:{port}/"

    async def join(delay):
        await asyncio.sleep(delay)
        t0 = time.perf_counter()
        ws = await websockets.connect(url, ping_interval=None, open_timeout=120)
        await ws.send("hello")
        await ws.recv()
        return ws, (time.perf_counter() - t0) * 1000

    joined = await asyncio.gather(*(join(spread_s * (i // 3) / (n // 3)) for i in range(n)))
    sockets = [ws for ws, _ in joined]
    ping_ms = await _pings(sockets, lambda: '{"type":"ping"}', None)

    async def flood(ws):
        for _ in range(CHATS * 3):
            await ws.send("x" * 80)
        for _ in range(CHATS * 3):
            await ws.recv()

    t0 = time.perf_counter()
    await asyncio.gather(*(flood(ws) for ws in sockets))
    echo_s = time.perf_counter() - t0
    for ws in sockets:
        await ws.close()
    return [ms for _, ms in joined], ping_ms, echo_s


ECHO_SERVER = """
import asyncio, sys, websockets
async def echo(ws):
    async for m in ws:
        await ws.send(m)
async def main():
    async with websockets.serve(echo, "127.0.0.1", int(sys.argv[1])):
        await asyncio.Future()
asyncio.run(main())
"""


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


def _reset_rooms():
    """Back to the lobby-free starting point between runs: seats invited again, nobody connected."""
    from yunting.core.rooms.models import Participant

    Participant.objects.update(state="invited", admitted_at=None)


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    url = None
    if backend == "postgres":
        if not pg_available():
            print(json.dumps({"database": "postgresql", "skipped": "PostgreSQL not reachable"}))
            return
        url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yt_rooms_bench")
    vendor = setup_django(url)
    rooms, tokens = _setup()
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
                               "--log-level", "warning", "--lifespan", "off", "--ws-ping-interval", "120", "--ws-ping-timeout", "120"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result = {"database": vendor, "rooms": ROOMS, "connections": ROOMS * 3}
    try:
        _wait_port(port, server)
        # warm the server (imports, first queries) with one room, then reset
        async def warm():
            import websockets

            ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws/rooms/{rooms[0]['id']}/?token={tokens['judge']}",
                                          origin=ORIGIN, ping_interval=None, open_timeout=120)
            await ws.recv()
            await ws.close()
        asyncio.run(warm())
        time.sleep(0.5)
        _reset_rooms()
        rss_before = _rss_kb(server.pid)

        async def spread_then_burst():
            sockets, join_ms, admit_ms, chat_s, ping_ms, delivered = await _rooms_run(port, rooms, tokens, 3.0)
            rss_connected = _rss_kb(server.pid)
            for ws in sockets:
                await ws.close()
            await asyncio.sleep(2.0)  # drops are journaled
            return join_ms, admit_ms, chat_s, ping_ms, rss_connected, delivered

        join_ms, admit_ms, chat_s, ping_ms, rss_connected, delivered = asyncio.run(spread_then_burst())
        _reset_rooms()

        async def burst():
            sockets, join_ms2, *_ = await _rooms_run(port, rooms, tokens, 0.0, traffic=False)
            for ws in sockets:
                await ws.close()
            await asyncio.sleep(2.0)
            return join_ms2

        burst_ms = asyncio.run(burst())
        _reset_rooms()

        async def one_at_a_time():
            # the intrinsic cost of a join, nobody queueing ahead of it: the judge enters 30 rooms in turn
            out = []
            for r in rooms[:30]:
                ws, ms = await _join(f"ws://127.0.0.1:{port}/ws/rooms/{r['id']}/?token={tokens['judge']}", "welcome", 0)
                out.append(ms)
                await ws.close()
            return out

        cpu0 = _cpu_s(server.pid)
        single_ms = asyncio.run(one_at_a_time())
        cpu_join = (_cpu_s(server.pid) - cpu0) / 30 * 1000  # a join and a drop (the socket closes)
        result.update({"join_alone_ms_p50": _pct(single_ms, 50), "join_alone_ms_p95": _pct(single_ms, 95),
                       "server_cpu_ms_per_join_and_drop": round(cpu_join, 1)})
        deliveries = ROOMS * 3 * CHATS * 3
        result["chat_delivered_share"] = round(delivered / deliveries, 3)
        result.update({
            "join_ms_p50": _pct(join_ms, 50), "join_ms_p95": _pct(join_ms, 95), "join_ms_max": _pct(join_ms, 100),
            "join_burst_ms_p50": _pct(burst_ms, 50), "join_burst_ms_p95": _pct(burst_ms, 95),
            "admit_ms_p50": _pct(admit_ms, 50), "admit_ms_p95": _pct(admit_ms, 95),
            "ping_ms_p50": _pct(ping_ms, 50), "ping_ms_p95": _pct(ping_ms, 95),
            "chat_sent_per_s": round(ROOMS * 3 * CHATS / chat_s), "chat_delivered_per_s": round(delivered / chat_s),
            "server_rss_mb_idle": round(rss_before / 1024, 1),
            "server_kb_per_connection": round((rss_connected - rss_before) / (ROOMS * 3), 1),
        })
    finally:
        server.terminate()
        server.wait(10)
    echo_port = _free_port()
    echo = subprocess.Popen([sys.executable, "-c", ECHO_SERVER, str(echo_port)], stderr=subprocess.PIPE)
    try:
        _wait_port(echo_port, echo)
        rss_before = _rss_kb(echo.pid)
        echo_join, echo_ping, echo_s = asyncio.run(_echo_run(echo_port, ROOMS * 3, 3.0))
        result.update({
            "echo_connect_ms_p50": _pct(echo_join, 50), "echo_connect_ms_p95": _pct(echo_join, 95),
            "echo_ping_ms_p50": _pct(echo_ping, 50), "echo_ping_ms_p95": _pct(echo_ping, 95),
            "echo_messages_per_s": round(ROOMS * 3 * CHATS * 3 / echo_s),
            "echo_server_rss_mb": round(rss_before / 1024, 1),
        })
    finally:
        echo.terminate()
        echo.wait(10)
    result["machine"] = machine()
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
