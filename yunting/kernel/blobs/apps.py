from django.apps import AppConfig


class BlobsConfig(AppConfig):
    name = "yunting.kernel.blobs"
    label = "blobs"
