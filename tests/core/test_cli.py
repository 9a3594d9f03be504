"""The `yunting` console script as an operator uses it: init, check, demo (idempotent), serve (HTTP + WebSocket)."""

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from yunting.core.cases.models import Case
from yunting.interfaces.cli.demo import DEMO_CASES


def _yunting(*args, data_dir: Path, timeout=300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "YUNTING_TASKS_IMMEDIATE")}
    env["YUNTING_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(Path(sys.executable).parent / "yunting"), *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_check_reports_every_line_and_passes(db):
    out = io.StringIO()
    call_command("selfcheck", stdout=out)
    text = out.getvalue()
    for name in ("database", "migrations", "field encryption", "blob storage", "journal hash chains"):
        assert f"✓ {name}" in text
    assert "all checks passed" in text


def test_demo_is_idempotent_and_prints_every_login(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    first = io.StringIO()
    call_command("demo", "--quiet", "--password", "demo-pass-123", stdout=first)
    # DEMO_CASES counts the mediation demo's cases too (issue 14: 8 民诉前调, 1 民特, 1 民初 from a conversion)
    assert Case.objects.count() == DEMO_CASES
    for username in ("judge", "assistant", "clerk", "filing_officer", "service_officer", "archivist", "court_admin",
                     "plaintiff", "defendant", "lawyer", "mediator", "prison_officer", "procurator", "appraiser",
                     "point_staff", "coordinator", "mediator2", "applicant", "pointstaff", "villager"):
        assert username in first.getvalue()
    entries = sum(c.journal_length for c in Case.objects.all())
    call_command("demo", "--quiet", "--password", "demo-pass-123", stdout=io.StringIO())
    assert Case.objects.count() == DEMO_CASES
    assert sum(c.journal_length for c in Case.objects.all()) == entries
    assert all(c.documents.exists() for c in Case.objects.all())  # every case has real PDFs in its e-file


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(port: int, username: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header value of the session."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/login/", data=data,
                                     headers={"Referer": f"http://127.0.0.1:{port}/login/"})
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _first_case_of_judge(data_dir: Path) -> int:
    import sqlite3

    with sqlite3.connect(data_dir / "yunting.sqlite3") as db:
        return db.execute(
            "SELECT p.case_id FROM cases_participation p JOIN people_user u ON u.id = p.user_id"
            " WHERE u.username = 'judge' ORDER BY p.case_id LIMIT 1"
        ).fetchone()[0]


@pytest.mark.slow
def test_init_then_serve_answers_http_and_websocket_on_one_port(tmp_path):
    init = _yunting("init", "--no-input", "--password", "first-admin-pw", data_dir=tmp_path)
    assert init.returncode == 0, init.stderr
    assert "administrator 'admin' created" in init.stdout
    assert (tmp_path / "keys" / "ledger_ed25519.pem").exists()
    assert (tmp_path / "yunting.sqlite3").exists()  # all state in the one data directory
    demo = _yunting("demo", "--quiet", data_dir=tmp_path, timeout=900)  # a guard, not a speed test: many demos
    assert demo.returncode == 0, demo.stderr

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "YUNTING_TASKS_IMMEDIATE")}
    env["YUNTING_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen([str(Path(sys.executable).parent / "yunting"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        import urllib.request

        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ledger/get-sth", timeout=2) as r:
                    sth = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not answer")
        assert {"tree_size", "timestamp", "sha256_root_hash", "tree_head_signature"} <= set(sth)

        cookie = _login(port, "judge", "yunting-demo")
        case_id = _first_case_of_judge(tmp_path)

        import asyncio

        import websockets

        async def open_feed(headers):
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws/cases/{case_id}/", origin=f"http://127.0.0.1:{port}",
                                          additional_headers=headers) as ws:
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(ws.recv(), timeout=0.5)  # accepted and held open: a live case feed
                return True

        assert asyncio.run(open_feed({"Cookie": cookie}))
        with pytest.raises(websockets.InvalidStatus):  # an anonymous reader is refused at the handshake
            asyncio.run(open_feed({}))
    finally:
        server.terminate()
        server.wait(timeout=20)
