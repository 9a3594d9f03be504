"""`yunting ledger watch` (fork alarms), `yunting ledger proof` + `yunting verify FILE` (offline check)."""

import hashlib
import io
import json
import time

import pytest
from django.core.management import call_command

from yunting.interfaces.cli.management.commands.ledger import Command as LedgerCommand
from yunting.kernel import ledger
from yunting.kernel.ledger import keys, merkle
from yunting.kernel.ledger.monitor import LedgerMonitor, LogFork, MonitorAlarm
from yunting.kernel.ledger.sth import sign_tree_head

from .helpers import add_document

pytestmark = pytest.mark.django_db
BASE = "http://testserver/api/v1/ledger/"


@pytest.fixture
def fetch(client):
    def get(url):
        r = client.get(url.removeprefix("http://testserver"))
        if r.status_code != 200:
            raise OSError(f"HTTP {r.status_code}: {r.content[:200]!r}")
        return r.content

    return get


def test_watch_follows_a_growing_log(fetch, append_leaves, tmp_path, settings):
    settings.LEDGER_STH_MAX_AGE_S = 0
    monitor = LedgerMonitor(BASE, state_path=tmp_path / "w.json", fetch=fetch)
    append_leaves(3)
    assert monitor.check_once().sth.tree_size == 3
    append_leaves(9, start=3)
    obs = monitor.check_once()
    assert obs.sth.tree_size == 12 and obs.grew_by == 9 and obs.consistency_path_len > 0
    assert json.loads((tmp_path / "w.json").read_text())["sth"]["tree_size"] == 12


def _forked_state(path, leaves_count, log_key_signs=True):
    """A tree head the log signed for a different history of the same size (an equivocating log)."""
    fork = [merkle.leaf_hash(f"fork {i}".encode()) for i in range(leaves_count)]
    key = keys.load_signing_key()
    sth = sign_tree_head(key, timestamp_ms=int(time.time() * 1000) - 60_000, tree_size=leaves_count,
                         root_hash=merkle.mth(fork))
    path.write_text(json.dumps({"public_key": keys.public_key_pem(), "sth": sth.as_json()}))


def test_watch_alarms_on_a_fork(fetch, append_leaves, tmp_path, settings):
    settings.LEDGER_STH_MAX_AGE_S = 0
    append_leaves(10)
    _forked_state(tmp_path / "w.json", 6)
    with pytest.raises(LogFork, match="not an extension"):
        LedgerMonitor(BASE, state_path=tmp_path / "w.json", fetch=fetch).check_once()
    # the evidence is kept: the state still holds the forked head
    assert json.loads((tmp_path / "w.json").read_text())["sth"]["tree_size"] == 6


def test_watch_alarms_on_a_different_root_for_the_same_size_and_on_shrinking(fetch, append_leaves, tmp_path, settings):
    settings.LEDGER_STH_MAX_AGE_S = 0
    append_leaves(5)
    _forked_state(tmp_path / "same.json", 5)
    with pytest.raises(LogFork, match="two different roots"):
        LedgerMonitor(BASE, state_path=tmp_path / "same.json", fetch=fetch).check_once()
    _forked_state(tmp_path / "big.json", 50)
    with pytest.raises(LogFork, match="shrank"):
        LedgerMonitor(BASE, state_path=tmp_path / "big.json", fetch=fetch).check_once()


def test_watch_refuses_tree_heads_signed_by_another_key(fetch, append_leaves, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    append_leaves(2)
    with pytest.raises(MonitorAlarm, match="bad signature"):
        LedgerMonitor(BASE, state_path=tmp_path / "w.json", fetch=fetch, public_key_pem=other).check_once()


def test_watch_command_alarms_loudly_and_exits_2(fetch, append_leaves, tmp_path, settings):
    settings.LEDGER_STH_MAX_AGE_S = 0
    append_leaves(8)
    state = tmp_path / "w.json"
    cmd = LedgerCommand()
    cmd.fetch = fetch
    out, err = io.StringIO(), io.StringIO()
    call_command(cmd, "watch", BASE, "--state", str(state), "--once", stdout=out, stderr=err)
    assert "ok: size 8" in out.getvalue()
    _forked_state(state, 4)
    with pytest.raises(SystemExit) as exit_:
        call_command(cmd, "watch", BASE, "--state", str(state), "--once", stdout=out, stderr=err)
    assert exit_.value.code == 2 and "LEDGER ALARM: FORK" in err.getvalue()


def test_proof_then_offline_verify(make_case, users, tmp_path):
    case = make_case()
    _, pdf = add_document(case, users["lawyer"], body="离线核验")
    doc = tmp_path / "judgment.pdf"
    doc.write_bytes(pdf)
    proof = tmp_path / "proof.json"
    call_command("ledger", "proof", str(doc), "-o", str(proof), stdout=io.StringIO())
    pem = tmp_path / "ledger.pem"
    pem.write_text(keys.public_key_pem())
    out = io.StringIO()
    call_command("verify", str(doc), "--proof", str(proof), "--public-key", str(pem), stdout=out)
    assert "VERIFIED" in out.getvalue() and hashlib.sha256(pdf).hexdigest() in out.getvalue()
    # one changed byte in the file → not verified
    doc.write_bytes(pdf[:-5] + b"XXXXX")
    with pytest.raises(SystemExit) as exit_:
        call_command("verify", str(doc), "--proof", str(proof), "--public-key", str(pem),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_.value.code == 1


def test_offline_verify_rejects_an_altered_proof_or_tree_head(make_case, users, tmp_path):
    from yunting.kernel.ledger.bundle import verify_bundle

    case = make_case()
    for i in range(5):
        _, pdf = add_document(case, users["lawyer"], body=f"第{i}份")
    doc = tmp_path / "d.pdf"
    doc.write_bytes(pdf)
    proof = tmp_path / "p.json"
    call_command("ledger", "proof", str(doc), "-o", str(proof), stdout=io.StringIO())
    bundle = json.loads(proof.read_text())
    sha = hashlib.sha256(pdf).hexdigest()
    pem = keys.public_key_pem()
    assert verify_bundle(sha, bundle, public_key_pem=pem).ok
    for mutate in (
        lambda b: b["audit_path"].reverse(),
        lambda b: b.update(leaf_index=b["leaf_index"] - 1),
        lambda b: b["sth"].update(tree_size=b["sth"]["tree_size"] + 1),
        lambda b: b["sth"].update(timestamp=b["sth"]["timestamp"] + 1),
        lambda b: b.update(audit_path=b["audit_path"][:-1]),
    ):
        bad = json.loads(json.dumps(bundle))
        mutate(bad)
        assert not verify_bundle(sha, bad, public_key_pem=pem).ok


def test_sth_and_status_commands(append_leaves):
    append_leaves(3)
    out = io.StringIO()
    call_command("ledger", "sth", stdout=out)
    call_command("ledger", "status", stdout=out)
    assert "size 3" in out.getvalue() and "leaves: 3" in out.getvalue()
    assert ledger.ledger_sth_latest().tree_size == 3
