from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "yunting.kernel.ledger"
    label = "ledger"
