"""Offline proof bundles: everything needed to check one document against the log without asking it again.

{"version": 1, "sha256": hex of the document, "leaf_index", "leaf_input": b64, "audit_path": [b64…],
 "sth": {get-sth shape}, "public_key": PEM}
A verifier should trust the public key it got from the court out of band (`--public-key`), not the bundle's.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from . import merkle
from .leaves import leaf_mentions_document
from .sth import SignedTreeHead, verify_tree_head

BUNDLE_VERSION = 1


def make_bundle(*, sha256_hex: str, leaf_index: int, leaf_input: bytes, audit_path, sth: SignedTreeHead,
                public_key_pem: str) -> dict:
    return {
        "version": BUNDLE_VERSION,
        "sha256": sha256_hex.lower(),
        "leaf_index": leaf_index,
        "leaf_input": base64.b64encode(leaf_input).decode(),
        "audit_path": [base64.b64encode(p).decode() for p in audit_path],
        "sth": sth.as_json(),
        "public_key": public_key_pem,
    }


@dataclass
class BundleCheck:
    ok: bool = True
    steps: list[str] = field(default_factory=list)

    def step(self, passed: bool, text: str) -> bool:
        self.steps.append(("✔ " if passed else "✘ ") + text)
        self.ok = self.ok and passed
        return passed


def verify_bundle(file_sha256_hex: str, bundle: dict, *, public_key_pem: str | None = None) -> BundleCheck:
    check = BundleCheck()
    try:
        sth = SignedTreeHead.from_json(bundle["sth"])
        leaf_input = base64.b64decode(bundle["leaf_input"], validate=True)
        path = [base64.b64decode(p, validate=True) for p in bundle["audit_path"]]
        index = int(bundle["leaf_index"])
    except (KeyError, TypeError, ValueError) as exc:
        check.step(False, f"the proof file is malformed: {exc}")
        return check
    key = public_key_pem or bundle.get("public_key", "")
    check.step(
        verify_tree_head(sth, key),
        f"tree head (size {sth.tree_size}, timestamp {sth.timestamp}) is signed by the "
        + ("given public key" if public_key_pem else "public key in the proof file (trust it only if you know it)"),
    )
    check.step(
        leaf_mentions_document(leaf_input, file_sha256_hex),
        f"leaf {index} lists the document's SHA-256 {file_sha256_hex}",
    )
    leaf = merkle.leaf_hash(leaf_input)
    check.step(True, f"leaf hash SHA-256(0x00 ‖ leaf_input) = {leaf.hex()}")
    try:
        root = merkle.root_from_inclusion_proof(leaf, index, sth.tree_size, path)
    except merkle.ProofError as exc:
        check.step(False, f"audit path does not fit a tree of size {sth.tree_size}: {exc}")
        return check
    check.step(
        root == sth.root_hash,
        f"audit path of {len(path)} hashes leads to root {root.hex()}, signed root is {sth.root_hash.hex()}",
    )
    return check
