from django.apps import AppConfig


class SharedCourtConfig(AppConfig):
    """共享法庭: service points where people who cannot go online alone take part with the help of point staff."""

    name = "yunting.workflows.sharedcourt"
    label = "sharedcourt"
    verbose_name = "共享法庭"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        # the ID photo taken with the document camera, and the strokes signed on the point's signature pad
        register_blob_reference("sharedcourt.Attendance", "photo_sha256")
        register_blob_reference("sharedcourt.AssistedSignature", "strokes_sha256")
