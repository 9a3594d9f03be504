from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """归档: BagIt packages per volume with ledger proofs, appeal transfer between courts, remote reading."""

    name = "yunting.workflows.archive"
    label = "archive"
    verbose_name = "归档与移送"
