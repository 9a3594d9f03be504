from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "yunting.workflows.filing"
    label = "filing"
    verbose_name = "网上立案"

    def ready(self):
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.common.periodic import register_periodic

        from .acceptance import filing_batch_accepts_resume, filing_notices_retry
        from .batches import batch_resume_all
        from .webhooks import webhook_deliver_due

        # retries of institutions' callbacks (the first attempt is sent right after the decision commits)
        register_periodic("filing.webhooks", 30, webhook_deliver_due)
        # batches whose worker died (lease expired) or whose task was lost, and notices that failed or got stuck
        register_periodic("filing.batches", 60, batch_resume_all)
        register_periodic("filing.notices", 120, filing_notices_retry)
        register_periodic("filing.bulk_accepts", 120, filing_batch_accepts_resume)
        # a sealed 不予受理裁定 is served on the filer (filing page + SMS)
        subscribe("papers.sealed", "yunting.workflows.filing.services.filing_ruling_deliver")

        from yunting.core.efile.intake import register_upload_handler
        from yunting.kernel.blobs.references import register_blob_reference

        from .services import filing_upload_accepted

        register_upload_handler("filing", filing_upload_accepted)
        register_blob_reference("filing.FilingDocument", "blob")
        register_blob_reference("filing.FilingDocument", "source_blob")
        register_blob_reference("filing.FilingBatch", "sha256")
