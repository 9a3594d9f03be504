"""The log's Ed25519 signing key: a PEM file outside the database (settings.LEDGER_SIGNING_KEY_PATH, mode 0600)."""

from __future__ import annotations

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

log = logging.getLogger(__name__)


def _path(path: Path | str | None) -> Path:
    if path is not None:
        return Path(path)
    from django.conf import settings

    return Path(settings.LEDGER_SIGNING_KEY_PATH)


def ensure_signing_key(path: Path | str | None = None) -> Path:
    """Create the signing key (PKCS#8 PEM, 0600) if the file does not exist; never overwrite one. Returns the path.

    Called by `yunting init`. Losing this file does not break old proofs (they verify with the published public
    key) but a new key means monitors must be told of it.
    """
    p = _path(path)
    if p.exists():
        return p
    p.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # a concurrent process made it first: keep theirs
        return p
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    log.warning("created a new ledger signing key at %s", p)
    _load.cache_clear()
    return p


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def load_signing_key(path: Path | str | None = None) -> Ed25519PrivateKey:
    p = ensure_signing_key(path)
    return _load(str(p), p.stat().st_mtime_ns)



def public_key(path: Path | str | None = None) -> Ed25519PublicKey:
    return load_signing_key(path).public_key()


def public_key_pem(path: Path | str | None = None) -> str:
    return public_key(path).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """Hex SHA-256 of the DER SubjectPublicKeyInfo (the RFC 6962 log ID)."""
    key = key or public_key()
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()
