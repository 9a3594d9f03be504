"""A log monitor: remember the last signed tree head, check every new one is consistent with it.

The HTTP fetch is a parameter, so a monitor can watch any deployment (and tests can drive it in-process).
A fork — a new tree head that does not extend the one remembered, a shrinking log, a bad signature — raises
`LogFork` / `MonitorAlarm`; the caller alarms loudly.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import merkle
from .sth import SignedTreeHead, verify_tree_head

Fetch = Callable[[str], bytes]


class MonitorAlarm(Exception):
    """The log misbehaved (bad signature, time going backwards)."""


class LogFork(MonitorAlarm):
    """Two tree heads signed by the log cannot both be true: the log was rewritten or shows different views."""


def http_fetch(url: str, *, timeout: float = 20) -> bytes:
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "yunting-ledger-watch"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 — operator-given URL
        return resp.read()


@dataclass
class Observation:
    sth: SignedTreeHead
    grew_by: int
    consistency_path_len: int


class LedgerMonitor:
    def __init__(self, base_url: str, *, state_path: Path, fetch: Fetch = http_fetch, public_key_pem: str | None = None):
        self.base = base_url.rstrip("/") + "/"
        self.state_path = Path(state_path)
        self.fetch = fetch
        self.state = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
        if public_key_pem:
            if self.state.get("public_key") and self.state["public_key"] != public_key_pem:
                raise MonitorAlarm("the given public key differs from the one pinned in the state file")
            self.state["public_key"] = public_key_pem

    def _get(self, path: str, **params) -> bytes:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        return self.fetch(url)

    def _save(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=2))
        tmp.replace(self.state_path)

    def check_once(self) -> Observation:
        if not self.state.get("public_key"):
            self.state["public_key"] = self._get("public-key").decode()  # trust on first use, then pinned
        new = SignedTreeHead.from_json(json.loads(self._get("get-sth")))
        if not verify_tree_head(new, self.state["public_key"]):
            raise MonitorAlarm(f"tree head of size {new.tree_size} has a bad signature")
        old = SignedTreeHead.from_json(self.state["sth"]) if self.state.get("sth") else None
        path_len = 0
        if old is not None:
            if new.timestamp < old.timestamp:
                raise MonitorAlarm(f"tree head timestamp went backwards ({old.timestamp} → {new.timestamp})")
            if new.tree_size < old.tree_size:
                raise LogFork(f"log shrank from {old.tree_size} to {new.tree_size} leaves")
            if new.tree_size == old.tree_size:
                if new.root_hash != old.root_hash:
                    raise LogFork(f"two different roots for tree size {new.tree_size}")
            else:
                data = json.loads(self._get("get-sth-consistency", first=old.tree_size, second=new.tree_size))
                path = [base64.b64decode(p) for p in data["consistency"]]
                path_len = len(path)
                if not merkle.verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, path):
                    raise LogFork(
                        f"tree head of size {new.tree_size} (root {new.root_hash.hex()}) is not an extension of "
                        f"size {old.tree_size} (root {old.root_hash.hex()})"
                    )
        grew = new.tree_size - (old.tree_size if old else 0)
        self.state["sth"] = new.as_json()
        self._save()
        return Observation(new, grew, path_len)
