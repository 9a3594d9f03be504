import pytest


@pytest.fixture
def append_leaves(db):
    """Append n synthetic leaves (valid leaf format); returns their leaf_inputs."""
    import hashlib

    from yunting.kernel.ledger import NewLeaf, ledger_append_many
    from yunting.kernel.ledger.leaves import leaf_input_for

    def append(n, *, start=0, documents=lambda i: ()):
        items = []
        for i in range(start, start + n):
            docs = list(documents(i))
            li = leaf_input_for(
                kind="test.appended", time="2026-01-01T00:00:00.000000Z",
                commitment_hex=hashlib.sha256(f"leaf {i}".encode()).hexdigest(), documents=docs,
            )
            items.append(NewLeaf(li, None, tuple(docs)))
        ledger_append_many(items)
        return [x.leaf_input for x in items]

    return append
