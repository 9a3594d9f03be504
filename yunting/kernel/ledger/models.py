"""The stored log. All four tables are append-only (database triggers, migration 0002).

Only *complete* subtrees are stored (level >= 1 in Node, level 0 is Leaf.leaf_hash), so storage is O(n) and
any root or proof for any tree size is a fold of O(log n) stored hashes (merkle.range_nodes).
"""

from django.db import models

NODE_LEVEL_SHIFT = 56  # Node.key = level << 56 | index: one integer primary key per (level, index)


def node_key(level: int, index: int) -> int:
    return level << NODE_LEVEL_SHIFT | index


class Leaf(models.Model):
    idx = models.BigIntegerField(primary_key=True, help_text="Leaf index, 0-based, contiguous.")
    leaf_hash = models.BinaryField(max_length=32, help_text="SHA-256(0x00 ‖ leaf_input).")
    leaf_input = models.BinaryField(help_text="The public commitment bytes (leaves.py).")
    record_id = models.BigIntegerField(
        null=True, blank=True, help_text="Id of the record this leaf commits to, in the app that appended it."
    )

    class Meta:
        db_table = "ledger_leaf"
        constraints = [models.UniqueConstraint(fields=["leaf_hash"], name="ledger_leaf_hash_unique")]
        indexes = [models.Index(fields=["record_id"], name="ledger_leaf_record")]


class Node(models.Model):
    key = models.BigIntegerField(primary_key=True, help_text="level << 56 | index of a complete subtree, level >= 1.")
    hash = models.BinaryField(max_length=32, help_text="MTH of leaves [index·2^level, (index+1)·2^level).")

    class Meta:
        db_table = "ledger_node"


class DocumentIndex(models.Model):
    """Which leaf mentions a document's SHA-256: lets a verifier holding only the bytes find its proof."""

    id = models.BigAutoField(primary_key=True)
    sha256 = models.BinaryField(max_length=32, help_text="Raw SHA-256 of the document.")
    leaf_index = models.BigIntegerField(help_text="Leaf whose leaf_input lists the document.")

    class Meta:
        db_table = "ledger_document"
        indexes = [models.Index(fields=["sha256", "leaf_index"], name="ledger_document_sha")]


class TreeHead(models.Model):
    id = models.BigAutoField(primary_key=True)
    tree_size = models.BigIntegerField(help_text="Leaves covered.")
    timestamp = models.BigIntegerField(help_text="Milliseconds since the epoch (UTC), as signed.")
    root_hash = models.BinaryField(max_length=32, help_text="MTH of the first tree_size leaves.")
    signature = models.BinaryField(max_length=64, help_text="Ed25519 over the RFC 6962 TreeHeadSignature bytes.")
    key_id = models.CharField(max_length=64, help_text="SHA-256 of the signing public key (DER), hex.")
    seq = models.BigIntegerField(null=True, blank=True, unique=True,
                                 help_text="1, 2, 3 … with no gap: a deleted tree head leaves a hole.")
    prev_hash = models.CharField(max_length=64, blank=True,
                                 help_text="SHA-256 of the previous tree head's signature, hex: the heads form a chain.")

    class Meta:
        db_table = "ledger_treehead"
        indexes = [models.Index(fields=["tree_size"], name="ledger_sth_size")]

    def as_sth(self):
        from .sth import SignedTreeHead

        return SignedTreeHead(
            tree_size=self.tree_size, timestamp=self.timestamp, root_hash=bytes(self.root_hash),
            signature=bytes(self.signature),
        )


class QueuedLeaf(models.Model):
    """A leaf committed by its record's transaction but not yet given an index (queue-then-integrate).

    The sequencer moves rows from here into Leaf in id order, deleting them in the same transaction, so each
    queued leaf becomes exactly one leaf whatever process dies when (docs/LEDGER.md §3a)."""

    id = models.BigAutoField(primary_key=True)
    leaf_input = models.BinaryField(help_text="The public commitment bytes (leaves.py).")
    record_id = models.BigIntegerField(null=True, blank=True, help_text="Id of the record this leaf commits to.")
    documents = models.TextField(blank=True, help_text="Hex SHA-256 of each document the leaf lists, space-separated.")
    queued_ms = models.BigIntegerField(help_text="When the leaf was queued, ms since the epoch (UTC).")

    class Meta:
        db_table = "ledger_queue"
