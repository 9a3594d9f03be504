"""Signed tree heads: the exact bytes signed (RFC 6962 §3.5 TreeHeadSignature) and their Ed25519 check.

    version (1 byte = 0 = v1) ‖ signature_type (1 byte = 1 = tree_hash) ‖ timestamp (uint64 ms, big-endian)
    ‖ tree_size (uint64, big-endian) ‖ sha256_root_hash (32 bytes)
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

VERSION_V1 = 0
SIGNATURE_TYPE_TREE_HASH = 1


def tree_head_bytes(*, timestamp_ms: int, tree_size: int, root_hash: bytes) -> bytes:
    if len(root_hash) != 32:
        raise ValueError("root hash must be 32 bytes")
    return struct.pack(">BBQQ", VERSION_V1, SIGNATURE_TYPE_TREE_HASH, timestamp_ms, tree_size) + root_hash


@dataclass(frozen=True)
class SignedTreeHead:
    tree_size: int
    timestamp: int  # ms since the epoch, UTC
    root_hash: bytes
    signature: bytes

    def signed_bytes(self) -> bytes:
        return tree_head_bytes(timestamp_ms=self.timestamp, tree_size=self.tree_size, root_hash=self.root_hash)

    def as_json(self) -> dict:
        """The get-sth shape (RFC 6962 §4.3): binary values in base64."""
        return {
            "tree_size": self.tree_size,
            "timestamp": self.timestamp,
            "sha256_root_hash": base64.b64encode(self.root_hash).decode(),
            "tree_head_signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_json(cls, data: dict) -> SignedTreeHead:
        try:
            return cls(
                tree_size=int(data["tree_size"]), timestamp=int(data["timestamp"]),
                root_hash=base64.b64decode(data["sha256_root_hash"], validate=True),
                signature=base64.b64decode(data["tree_head_signature"], validate=True),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed tree head: {exc}") from exc

    def verify(self, public_key: Ed25519PublicKey | bytes | str) -> bool:
        return verify_tree_head(self, public_key)


def sign_tree_head(key: Ed25519PrivateKey, *, timestamp_ms: int, tree_size: int, root_hash: bytes) -> SignedTreeHead:
    sig = key.sign(tree_head_bytes(timestamp_ms=timestamp_ms, tree_size=tree_size, root_hash=root_hash))
    return SignedTreeHead(tree_size=tree_size, timestamp=timestamp_ms, root_hash=root_hash, signature=sig)


def load_public_key(value: Ed25519PublicKey | bytes | str) -> Ed25519PublicKey:
    if isinstance(value, Ed25519PublicKey):
        return value
    if isinstance(value, str):
        value = value.encode()
    key = load_pem_public_key(value)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify_tree_head(sth: SignedTreeHead, public_key: Ed25519PublicKey | bytes | str) -> bool:
    try:
        load_public_key(public_key).verify(sth.signature, sth.signed_bytes())
        return True
    except (InvalidSignature, ValueError):
        return False
