from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.pdf.make import simple_pdf


def add_document(case, actor, *, title="借条", kind="evidence.submitted", body="借款人李娜向张三借款五万元。"):
    """Append a journal entry that produced one real PDF; returns (entry, pdf bytes)."""
    pdf = simple_pdf(title=title, body=body)
    blob = blob_put_bytes(pdf)
    entry = journal_append(
        case=case, kind=kind, actor=actor,
        documents=[DocumentInput(sha256=blob.sha256, title=title, kind="evidence", filename="jietiao.pdf")],
    )
    return entry, pdf
