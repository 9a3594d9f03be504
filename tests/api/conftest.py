import pytest
from django.test import Client


@pytest.fixture
def bearer(users):
    """bearer("judge") → a Client that sends a fresh token of that user."""
    from yunting.interfaces.api.models import ApiToken

    def make(username: str) -> Client:
        _, raw = ApiToken.issue(user=users[username], name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture
def add_document(users):
    """add_document(case, kind="complaint", title="起诉状") → the filed Document (through the journal)."""
    from yunting.core.efile.models import Document
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    def add(case, *, kind="complaint", title="起诉状", body="原告张伟诉被告李娜民间借贷纠纷一案。", actor="lawyer"):
        blob = blob_put_bytes(simple_pdf(title=title, body=body))
        entry = journal_append(
            case=case, kind="filing.submitted", actor=users[actor],
            documents=[DocumentInput(sha256=blob.sha256, title=title, kind=kind)],
        )
        return Document.objects.get(entry=entry)

    return add
