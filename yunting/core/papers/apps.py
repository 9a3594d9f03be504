from django.apps import AppConfig


class Config(AppConfig):
    name = "yunting.core.papers"
    label = "papers"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        register_blob_reference("papers.Paper", "pdf_sha256")
        register_blob_reference("papers.PaperSignature", "pdf_sha256")
        # the strokes of a signature on screen are named only in the journal entry that records it
        register_blob_reference("journal.JournalEntry", "payload", json_key="strokes_sha256",
                                where={"kind": "papers.handsigned"})
