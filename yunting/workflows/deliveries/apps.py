from django.apps import AppConfig


class DeliveriesConfig(AppConfig):
    """案件空间送达: the court delivers a court-issued document to one member of the case space, who opens it on the
    phone and signs a receipt; with consent to electronic service the receipt serves (core/service)."""

    name = "yunting.workflows.deliveries"
    label = "deliveries"
    verbose_name = "空间送达"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        register_blob_reference("deliveries.SpaceDelivery", "signature_sha256")
