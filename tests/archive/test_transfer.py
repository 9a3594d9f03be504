"""One-click appeal transfer (一键移送): the 正卷 goes to the appellate court, which verifies it against the
sender's ledger before opening the 民终 case with the file attached; refused when anything was altered. Between
two courts of one deployment, and between two running deployments (two `yunting serve` processes, two databases).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest

from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry
from yunting.workflows.archive.errors import ArchiveError

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture
def appellate_court(db):
    from yunting.core.people.models import Organisation

    return Organisation.objects.create(name="深圳市中级人民法院", kind="court", court_code="粤03", level="intermediate")


@pytest.mark.django_db
def test_transfer_between_two_courts_of_one_deployment(closed_case, appellate_court, users):
    from yunting.workflows.archive.services import archive_transfer_local

    transfer = archive_transfer_local(case=closed_case, to_court=appellate_court, actor=users["clerk"],
                                      appellants=["李娜"])
    appeal = Case.objects.get(pk=transfer.detail["answer"]["case_id"])
    assert appeal.case_type_id == "民终" and appeal.court == appellate_court
    assert "粤03民终" in appeal.number
    roles = {p.name: p.role for p in appeal.parties.all()}
    assert roles == {"张伟": "appellee", "李娜": "appellant"}
    titles = sorted(appeal.documents.values_list("title", flat=True))
    assert titles == ["借条（证据一）（一审）", "民事判决书（一审）", "民事起诉状（一审）"]  # never the 审理报告 (副卷)
    received = JournalEntry.objects.get(case=appeal, kind="archive.transfer_received")
    assert received.payload["from_case_number"] == closed_case.number
    sent = JournalEntry.objects.get(case=closed_case, kind="archive.transfer_sent")
    assert sent.payload["appeal_case_number"] == appeal.number


@pytest.mark.django_db
def test_a_tampered_package_is_refused_and_nothing_is_kept(closed_case, appellate_court, users, tmp_path):
    from yunting.workflows.archive.models import TransferKey
    from yunting.workflows.archive.services import (
        archive_build_packages,
        archive_transfer_receive,
        archive_zip,
    )

    built = archive_build_packages(case=closed_case, out=tmp_path, retention="permanent",
                                   security_level="internal", volumes=("main",))[0]
    target = built.path / "data" / "documents" / "0002.pdf"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    buf = io.BytesIO()
    archive_zip(built.path, buf)
    buf.seek(0)
    cases = Case.objects.count()
    with pytest.raises(ArchiveError) as exc:
        archive_transfer_receive(key=TransferKey(court=appellate_court, sender_name="宝安"), package=buf)
    assert exc.value.code == "transfer_unverified"
    assert "data/documents/0002.pdf" in exc.value.data["problem"]
    assert Case.objects.count() == cases


@pytest.mark.django_db
def test_the_secondary_volume_is_never_transferred(closed_case, appellate_court, tmp_path):
    from yunting.workflows.archive.models import TransferKey
    from yunting.workflows.archive.services import (
        archive_build_packages,
        archive_transfer_receive,
        archive_zip,
    )

    built = archive_build_packages(case=closed_case, out=tmp_path, retention="permanent",
                                   security_level="internal", volumes=("secondary",))[0]
    buf = io.BytesIO()
    archive_zip(built.path, buf)
    buf.seek(0)
    with pytest.raises(ArchiveError) as exc:
        archive_transfer_receive(key=TransferKey(court=appellate_court, sender_name="宝安"), package=buf)
    assert exc.value.code == "transfer_package"


# --- two running deployments ------------------------------------------------------------------------------------
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "YUNTING_TASKS_IMMEDIATE")}
    env.update(YUNTING_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings", PYTHONUNBUFFERED="1",
               YUNTING_EGRESS_ALLOW_PRIVATE="1")
    return env


def _run(env, *args, timeout=600) -> str:
    res = subprocess.run([str(BIN / "yunting"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    return res.stdout


def _python(env, code: str) -> str:
    res = subprocess.run([str(BIN / "python"), "-c", "import django; django.setup()\n" + code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""


def _serve(env, log_path: Path):
    port = _free_port()
    proc = subprocess.Popen([str(BIN / "yunting"), "serve", "--port", str(port), "--no-worker"], cwd=ROOT, env=env,
                            stdout=log_path.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{base}/api/v1/ledger/public-key", timeout=5) as res:
                if res.status == 200:
                    return proc, base
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    proc.terminate()
    raise AssertionError(log_path.read_text()[-3000:])


@pytest.fixture
def two_courts(tmp_path):
    """Court A (宝安, first instance) and court B (深圳中院) as two deployments, each serving on its own port with
    its own SQLite database and data directory; B has issued A a court-to-court key."""
    envs = {name: _env(tmp_path / name) for name in ("a", "b")}
    migrations = {name: subprocess.Popen([str(BIN / "yunting"), "migrate", "--noinput", "-v0"], cwd=ROOT, env=env)
                  for name, env in envs.items()}
    assert all(p.wait(timeout=900) == 0 for p in migrations.values())
    case_id = _python(envs["a"], "from tests.archive.instance_setup import sender; sender()")
    _python(envs["b"], "from tests.archive.instance_setup import appellate; appellate()")
    procs = []
    try:
        proc_a, base_a = _serve(envs["a"], tmp_path / "a.log")
        procs.append(proc_a)
        proc_b, base_b = _serve(envs["b"], tmp_path / "b.log")
        procs.append(proc_b)
        key = _run(envs["b"], "archive", "transfer-key", "create", "--court", "粤03", "--sender-name",
                   "深圳市宝安区人民法院", "--sender-url", f"{base_a}/api/v1/ledger/").strip().splitlines()[-1]
        yield {"env_a": envs["a"], "env_b": envs["b"], "base_a": base_a, "base_b": base_b, "key": key,
               "case_id": case_id, "db_a": tmp_path / "a" / "yunting.sqlite3", "db_b": tmp_path / "b" / "yunting.sqlite3",
               "tmp": tmp_path}
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)


def _db(path: Path, sql: str):
    found = list(path.parent.glob("*.sqlite3"))
    with sqlite3.connect(found[0] if found else path) as conn:
        return conn.execute(sql).fetchall()


def _post_package(url: str, key: str, data: bytes) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="package"; filename="p.zip"\r\n'
            "Content-Type: application/zip\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"Bearer {key}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.slow
def test_transfer_between_two_running_deployments(two_courts):
    c = two_courts
    said = _run(c["env_a"], "archive", "transfer", c["case_id"], "--to", c["base_b"], "--key", c["key"],
                "--appellant", "李娜")
    assert "delivered and verified" in said and "粤03民终" in said
    # B opened the appeal case with the first-instance 正卷 attached, and journaled the receipt
    rows = _db(c["db_b"], "select c.number, count(d.id) from cases_case c join efile_document d on d.case_id = c.id "
                          "where c.case_type_id = '民终' group by c.number")
    assert len(rows) == 1 and rows[0][1] == 3
    kinds = [k for (k,) in _db(c["db_b"], "select kind from journal_journalentry order by id")]
    assert "archive.transfer_received" in kinds
    # A journaled the sending, with B's case number
    sent = _db(c["db_a"], "select payload from journal_journalentry where kind = 'archive.transfer_sent'")
    assert json.loads(sent[0][0])["appeal_case_number"] == rows[0][0]

    # a package altered on the way is refused by B, naming the file, and B opens nothing
    out = c["tmp"] / "pkg"
    _run(c["env_a"], "archive", "build", c["case_id"], "--out", str(out), "--package-only")
    (out / "main" / "data" / "documents" / "0001.pdf").write_bytes(
        (out / "main" / "data" / "documents" / "0001.pdf").read_bytes().replace(b"%%EOF", b"%%EOF\n%x"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted((out / "main").rglob("*")):
            if p.is_file():
                zf.write(p, f"main/{p.relative_to(out / 'main').as_posix()}")
    status, answer = _post_package(f"{c['base_b']}/api/v1/transfers", c["key"], buf.getvalue())
    assert status == 400 and answer["code"] == "transfer_unverified", answer
    assert "data/documents/0001.pdf" in answer["message"]
    assert len(_db(c["db_b"], "select id from cases_case where case_type_id = '民终'")) == 1

    # a wrong key is refused before anything is read
    status, _answer = _post_package(f"{c['base_b']}/api/v1/transfers", "ytt_not-a-key", buf.getvalue())
    assert status == 401


@pytest.mark.django_db
def test_the_api_opens_the_appeal_case_for_a_verified_package(client, closed_case, appellate_court, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yunting.workflows.archive.services import archive_build_packages, archive_zip, transfer_key_create

    _key, raw = transfer_key_create(court=appellate_court, sender_name=closed_case.court.name)
    built = archive_build_packages(case=closed_case, out=tmp_path, retention="permanent",
                                   security_level="internal", volumes=("main",),
                                   extra={"appellants": ["李娜"]})[0]
    buf = io.BytesIO()
    archive_zip(built.path, buf)
    res = client.post("/api/v1/transfers", {"package": SimpleUploadedFile("p.zip", buf.getvalue())},
                      headers={"Authorization": f"Bearer {raw}"})
    assert res.status_code == 201, res.content
    appeal = Case.objects.get(pk=res.json()["case_id"])
    assert appeal.number == res.json()["case_number"] and res.json()["documents"] == 3
    assert client.post("/api/v1/transfers", {"package": SimpleUploadedFile("p.zip", buf.getvalue())},
                       headers={"Authorization": "Bearer ytt_wrong"}).status_code == 401
