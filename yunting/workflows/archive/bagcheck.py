"""Offline check of an archive package (one BagIt directory, RFC 8493): no database, no network.

A package holds `bagit.txt`, `bag-info.txt`, `manifest-sha256.txt` (every payload file under `data/`),
`yunting-manifest.json` (the case metadata, the court's signed tree head, and each document's path and SHA-256,
signed as a whole with the court's ledger key), `proofs/NNNN.json` (each document's RFC 9162 inclusion proof under
that one tree head, in the offline bundle format of `yunting verify FILE --proof`) and `tagmanifest-sha256.txt`.

Checks, in this order, stopping at the first failure, which is named: the bag declaration; every payload file's
SHA-256 against `manifest-sha256.txt` (and no file left out); the manifest's signature; the tree head's
signature; every document's proof (its leaf lists the file's hash, its audit path reaches the signed root);
the tag manifest.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from yunting.kernel.common.canonical import canonical_json
from yunting.kernel.ledger.bundle import verify_bundle
from yunting.kernel.ledger.sth import SignedTreeHead, load_public_key, verify_tree_head

MANIFEST = "yunting-manifest.json"
FORMAT = "yunting-archive/1"


@dataclass
class PackageCheck:
    ok: bool = True
    problem: str = ""  # the first problem, naming the file, the proof or the signature
    steps: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    def passed(self, text: str) -> None:
        self.steps.append("✔ " + text)

    def fail(self, text: str) -> PackageCheck:
        self.ok, self.problem = False, text
        self.steps.append("✘ " + text)
        return self


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest_file(path: Path) -> dict[str, str]:
    """{relative path: hex sha256} of a BagIt manifest (`<hash> <path>`, paths percent-encoded for CR, LF, %)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, _sep, name = line.strip().partition(" ")
        name = name.strip().replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
        out[name] = digest.lower()
    return out


def manifest_signing_bytes(manifest: dict) -> bytes:
    """What the court signs: the canonical JSON of the manifest without its `signature`."""
    return canonical_json({k: v for k, v in manifest.items() if k != "signature"})


def verify_manifest_signature(manifest: dict, public_key_pem: str) -> bool:
    try:
        signature = base64.b64decode(manifest["signature"], validate=True)
        load_public_key(public_key_pem).verify(signature, manifest_signing_bytes(manifest))
        return True
    except Exception:  # noqa: BLE001 - any malformed key, signature or manifest is simply "does not verify"
        return False


def verify_package(root: Path | str, *, public_key_pem: str | None = None) -> PackageCheck:
    """Check one volume's package offline. `public_key_pem`: the court's ledger key obtained independently; without
    it the key inside the package is used and the steps say so."""
    root = Path(root)
    check = PackageCheck()
    declaration = root / "bagit.txt"
    if not declaration.is_file() or "BagIt-Version" not in declaration.read_text(encoding="utf-8", errors="replace"):
        return check.fail("bagit.txt is missing or is not a BagIt declaration")
    payload_manifest = root / "manifest-sha256.txt"
    if not payload_manifest.is_file():
        return check.fail("manifest-sha256.txt is missing")
    listed = _read_manifest_file(payload_manifest)
    on_disk = {p.relative_to(root).as_posix() for p in (root / "data").rglob("*") if p.is_file()}
    for name in sorted(on_disk - set(listed)):
        return check.fail(f"payload file {name} is not listed in manifest-sha256.txt")
    for name, digest in sorted(listed.items()):
        path = root / name
        if not name.startswith("data/") or ".." in Path(name).parts or not path.is_file():
            return check.fail(f"payload file {name} listed in manifest-sha256.txt is missing")
        if sha256_file(path) != digest:
            return check.fail(f"payload file {name}: its SHA-256 does not match manifest-sha256.txt (altered)")
    check.passed(f"{len(listed)} payload files match manifest-sha256.txt")

    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"format is not {FORMAT}")
    except (OSError, ValueError) as exc:
        return check.fail(f"manifest signature: {MANIFEST} cannot be read ({exc})")
    check.manifest = manifest
    key = public_key_pem or manifest.get("public_key", "")
    if not verify_manifest_signature(manifest, key):
        return check.fail(f"manifest signature: {MANIFEST} is not signed by the court's key (altered or foreign)")
    check.passed(f"{MANIFEST} is signed by the " + ("given public key" if public_key_pem
                                                      else "court key inside the package (trust it only if you know it)"))

    try:
        head = SignedTreeHead.from_json(manifest["tree_head"])
    except (KeyError, ValueError) as exc:
        return check.fail(f"tree head signature: malformed tree head ({exc})")
    if not verify_tree_head(head, key):
        return check.fail("tree head signature: the signed tree head does not verify")
    check.passed(f"tree head of size {head.tree_size} (root {head.root_hash.hex()}) is signed by the court's ledger key")

    documents = manifest.get("documents") or []
    for doc in documents:
        name, proof_name = doc.get("path", ""), doc.get("proof", "")
        if listed.get(name) != doc.get("sha256"):
            return check.fail(f"payload file {name}: not the document the manifest names (SHA-256 differs)")
        try:
            bundle = json.loads((root / proof_name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return check.fail(f"proof {proof_name} ({name}): cannot be read ({exc})")
        if bundle.get("sth") != manifest["tree_head"]:
            return check.fail(f"proof {proof_name} ({name}): not under the package's signed tree head")
        result = verify_bundle(doc["sha256"], bundle, public_key_pem=key)
        if not result.ok:
            failed = next((s[2:] for s in result.steps if s.startswith("✘")), "does not verify")
            return check.fail(f"proof {proof_name} ({name}): {failed}")
    check.passed(f"{len(documents)} inclusion proofs reach the signed root")

    tags = root / "tagmanifest-sha256.txt"
    if not tags.is_file():
        return check.fail("tagmanifest-sha256.txt is missing")
    for name, digest in sorted(_read_manifest_file(tags).items()):
        path = root / name
        if ".." in Path(name).parts or not path.is_file() or sha256_file(path) != digest:
            return check.fail(f"tag file {name}: its SHA-256 does not match tagmanifest-sha256.txt (altered)")
    check.passed("tag files match tagmanifest-sha256.txt")
    return check
