from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """扫描与纸质原件: cover sheets, the scanning station (split, straighten, OCR, classify, quality-check), paper
    originals in the intermediate store (人卷分离), and full-text search across the e-files a reader may see."""

    name = "yunting.workflows.scanning"
    label = "scanning"
    verbose_name = "扫描与原件"

    def ready(self):
        from yunting.core.efile.intake import register_upload_handler
        from yunting.kernel.blobs.references import register_blob_reference
        from yunting.kernel.common.periodic import register_periodic

        from .services import scan_pages_catch_up, scan_upload_accepted

        register_upload_handler("scan", scan_upload_accepted)
        register_blob_reference("scanning.ScanDocument", "blob")
        register_periodic("scanning.pages", 600, scan_pages_catch_up)
