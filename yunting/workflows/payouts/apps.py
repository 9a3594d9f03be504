from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    """案款发还: payout forms, recipients' confirmation with a checked bank account, signed and sealed records."""

    name = "yunting.workflows.payouts"
    label = "payouts"
    verbose_name = "案款发还"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        register_blob_reference("payouts.PayoutShare", "signature_sha256")
        register_blob_reference("payouts.PayoutShare", "record_sha256")
