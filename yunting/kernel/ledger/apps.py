from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "yunting.kernel.ledger"
    label = "ledger"

    def ready(self):
        from django.conf import settings

        from yunting.kernel.common.periodic import register_periodic

        from .services import ledger_sth_current

        # `yunting serve` issues a fresh signed tree head every few seconds while the log grows
        register_periodic("ledger-sth", getattr(settings, "LEDGER_STH_MAX_AGE_S", 5), ledger_sth_current)
        # the sequencer's periodic backstop (the after-commit nudge does the work; this catches a lost nudge)
        from .sequencer import mmd_s, sequence_tick

        register_periodic("ledger-sequence", mmd_s() / 2, sequence_tick)

        from yunting.kernel.blobs.references import register_blob_reference

        # every document a journal entry produced is listed here (raw SHA-256): never delete its bytes
        register_blob_reference("ledger.DocumentIndex", "sha256", encoding="raw")
