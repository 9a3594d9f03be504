"""Issue 9 §2: no upload stalls the court. The real `yunting serve` (uvicorn, the in-process job worker, the
sandboxed checkers) takes a decompression bomb; meanwhile /login/ keeps answering within a second, and the bomb
ends refused, naming the limit it hit."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.intake import hostile

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as res:
        return res.status, res.read()


def _post_file(url: str, headers: dict, name: str, data: bytes) -> dict:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        **headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as res:
        return json.loads(res.read())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "YUNTING_TASKS_IMMEDIATE")}
    env.update(YUNTING_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings",
               YUNTING_SCAN_MEMORY_MB="1024", PYTHONUNBUFFERED="1")
    subprocess.run([str(BIN / "yunting"), "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)
    token = subprocess.run([str(BIN / "python"), "-c", (
        "import django; django.setup()\n"
        "from yunting.core.people.models import User\n"
        "from yunting.interfaces.api.models import ApiToken\n"
        "u = User.objects.create_user(username='filer', password='pw-for-tests-123', real_name='张伟')\n"
        "print(ApiToken.issue(user=u, name='t')[1])")], cwd=ROOT, env=env, check=True, capture_output=True,
        text=True, timeout=300).stdout.strip().splitlines()[-1]
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([str(BIN / "yunting"), "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if _get(f"{base}/login/")[0] == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        else:
            raise AssertionError((tmp_path / "serve.log").read_text()[-3000:])
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.slow
def test_a_bomb_upload_never_delays_login(server):
    base, token = server
    headers = {"Authorization": f"Bearer {token}"}
    bomb = hostile.pdf_bomb(inflated_mb=512)
    answer: dict = {}

    def upload():
        started = time.monotonic()
        answer.update(_post_file(f"{base}/api/v1/filings/uploads", headers, "evidence.pdf", bomb),
                      seconds=time.monotonic() - started)

    thread = threading.Thread(target=upload)
    thread.start()
    latencies, state, deadline = [], "checking", time.monotonic() + 180
    while time.monotonic() < deadline:
        started = time.monotonic()
        assert _get(f"{base}/login/")[0] == 200
        latencies.append(time.monotonic() - started)
        if not thread.is_alive() and "upload_id" in answer:
            state = json.loads(_get(f"{base}/api/v1/filings/uploads/{answer['upload_id']}", headers)[1])["status"]
            if state != "checking" and len(latencies) >= 5:  # the pre-scan may refuse the bomb within a second
                break
        time.sleep(0.2)
    thread.join()
    assert answer["status"] == "checking" and answer["seconds"] < 5  # stored and answered at once
    assert state == "refused"
    assert len(latencies) >= 5 and max(latencies) < 1.0, latencies
