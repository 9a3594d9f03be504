from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "yunting.core.service"
    label = "service"
    verbose_name = "集约送达"

    def ready(self):
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.blobs.references import register_blob_reference
        from yunting.kernel.common.periodic import register_periodic

        from .services import service_escalate_due, service_reports_pending

        # the sealed service report, a call recording and a signature drawn on the tablet are stored bytes
        register_blob_reference("service.ServiceTask", "report_sha256")
        register_blob_reference("service.ServiceAttempt", "recording_sha256")
        register_blob_reference("service.ServiceAttempt", "signature_sha256")
        # a workflow asks for service by appending service.wanted; the tasks are created after its commit
        subscribe("service.wanted", "yunting.core.service.subscriptions.on_service_wanted")
        # the ruling after sealing: a sealed judgment, ruling or mediation statement is served on every party
        subscribe("papers.sealed", "yunting.core.service.subscriptions.on_paper_sealed")
        # a finished task's sealed report is rendered after the act, not inside it (a PDF takes a moment)
        subscribe("service.completed", "yunting.core.service.subscriptions.on_service_finished")
        subscribe("service.failed", "yunting.core.service.subscriptions.on_service_finished")
        # channels that timed out move on to the next channel of their plan
        register_periodic("service.escalate", 300, service_escalate_due)
        register_periodic("service.reports", 600, service_reports_pending)
