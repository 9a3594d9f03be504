from django.apps import AppConfig


class BlobsConfig(AppConfig):
    name = "yunting.kernel.blobs"
    label = "blobs"

    def ready(self):
        from yunting.kernel.common.periodic import register_periodic

        from .references import blob_sweep

        # bytes stored more than a day ago that nothing references (refused uploads, crashed requests)
        register_periodic("blobs.sweep", 3600, blob_sweep)
