from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "yunting.core.fees"
    label = "fees"
    verbose_name = "诉讼费用"

    def ready(self):
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.blobs.references import register_blob_reference

        # the 受理通知书 demands the acceptance fee: a fee notice with its own payment deadline follows it
        subscribe("filing.notice_issued", "yunting.core.fees.subscriptions.on_acceptance_notice")
        # a case closed by mediation or withdrawal pays half the acceptance fee: the rest is refunded
        subscribe("case.closed", "yunting.core.fees.subscriptions.on_case_closed")
        # 简易→普通: the other half of the acceptance fee is owed (CPLI art 199)
        subscribe("case.procedure_changed", "yunting.core.fees.subscriptions.on_procedure_changed")
        # once service exists, the 7 days run from the notice's service, not from its issue
        subscribe("service.completed", "yunting.core.fees.subscriptions.on_service_completed")
        register_blob_reference("fees.BankImport", "sha256")
