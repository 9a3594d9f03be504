"""Display names for codes the core stores as plain strings (journal entry kinds, read-log actions).

Unknown codes are shown as they are: a workflow can add entry kinds before it adds a label here.
"""

from functools import lru_cache

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def choice_label(obj, field_name: str) -> str:
    """obj.get_<field>_display(), from a table built once per model field and language: Django's rebuilds a
    dict of every choice, translating each label, on every call (20 rows × 3 columns on the workbench)."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name, get_language()).get(value, "" if value is None else str(value))


@lru_cache(maxsize=512)
def _choice_labels(model, field_name: str, _language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}

ENTRY_KIND_LABELS = {
    "case.registered": _("Case registered"),
    "case.participant_added": _("Participant added"),
    "case.status_changed": _("Status changed"),
    "filing.submitted": _("Filing submitted"),
    "filing.accepted": _("Filing accepted"),
    "filing.rejected": _("Filing rejected"),
    "filing.correction_requested": _("Correction requested"),
    "filing.draft_saved": _("Draft started"),
    "filing.supplement_requested": _("Supplement requested"),
    "filing.resubmitted": _("Resubmitted"),
    "filing.notice_issued": _("Acceptance notice issued"),
    "filing.notice_failed": _("Acceptance notice failed"),
    "efile.document_added": _("Document added to the e-file"),
    "evidence.submitted": _("Evidence submitted"),
    "service.sent": _("Document served"),
    "service.delivered": _("Service delivered"),
    "mediation.failed": _("Mediation failed"),
    "mediation.succeeded": _("Mediation succeeded"),
    "hearing.scheduled": _("Hearing scheduled"),
    "hearing.held": _("Hearing held"),
    "judgment.issued": _("Judgment issued"),
    "efile.document_submitted": _("Document submitted"),
    "notice.issued": _("Notice issued"),
    "hearing.transcript_signed": _("Hearing transcript signed"),
    "deliberation.recorded": _("Deliberation recorded"),
    "decision.issued": _("Decision issued"),
    "papers.issued": _("Court paper issued"),
    "papers.signed": _("Court paper signed"),
    "papers.sealed": _("Court seal applied"),
    "papers.handsigned": _("Signed by hand"),
    # clocks (issue 10)
    "case.suspended": _("Case suspended"),
    "case.resumed": _("Case resumed"),
    "case.period_excluded": _("Interval not counted in the trial period"),
    "case.extension_requested": _("Trial period extension requested"),
    "case.extension_decided": _("Trial period extension decided"),
    "service.completed": _("Service completed"),
    "case.assigned": _("Case assigned"),
    "case.procedure_changed": _("Procedure changed"),
    "case.closed": _("Case closed"),
    "fee.notice_issued": _("Fee notice issued"),
    "fee.paid": _("Fee paid"),
    "fee.relief_requested": _("Fee relief applied for"),
    "fee.relief_decided": _("Fee relief decided"),
    "fee.refund_due": _("Fee refund due"),
    "fee.refunded": _("Fee refunded"),
    "fee.notice_cancelled": _("Fee no longer demanded"),
    # service (issue 11)
    "service.wanted": _("Service asked for"),
    "service.requested": _("Service requested"),
    "service.consented": _("Consent to electronic service"),
    "service.consent_withdrawn": _("Consent to electronic service withdrawn"),
    "service.attempted": _("Service attempt recorded"),
    "service.escalated": _("Service moved to the next channel"),
    "service.contact_repaired": _("Contacts repaired"),
    "service.failed": _("Service failed"),
    "service.reported": _("Service report filed"),
    "service.all_served": _("All recipients served"),
    "archive.archived": _("Case archived"),
    "archive.transfer_sent": _("File sent to the appellate court"),
    "archive.transfer_received": _("File received from the first-instance court"),
    "deliveries.sent": _("Document delivered in the case space"),
    "deliveries.opened": _("Delivered document opened"),
    "deliveries.signed": _("Delivery receipt signed"),
    "casespace.card_wanted": _("Card posted to the case space"),
    "payouts.opened": _("Payout form opened"),
    "payouts.confirmed": _("Payout amount and account confirmed"),
    "payouts.signed": _("Payout record signed"),
    "payouts.approved": _("Payout approved and sealed"),
    "payouts.cancelled": _("Payout cancelled"),
    "broadcasts.opened": _("Live Q&A session opened"),
    "broadcasts.ended": _("Live Q&A session ended"),
}

READ_ACTION_LABELS = {
    "case.view": _("Viewed case"),
    "efile.view": _("Viewed e-file"),
    "efile.download": _("Downloaded whole e-file"),
    "document.read": _("Read document"),
    "party.personal_data": _("Viewed party personal data"),
    "readlog.view": _("Viewed read log"),
    "fees.view": _("Viewed case fees"),
    "service.contact_unmasked": _("Viewed unmasked contact data"),
    "service.status": _("Viewed service status"),
    "service.task": _("Viewed service task"),
    "service.document_read": pgettext_lazy("service web", "Opened a served document"),
    "document.download_watermarked": _("Downloaded document with watermark"),
    "archive.view": _("Viewed archive page"),
    "archive.desk": _("Viewed archiving desk"),
    "archive.package_download": _("Downloaded archive package"),
    "archive.package_export": _("Exported archive package"),
    "archive.transfer": _("Sent the file to another court"),
}


def entry_kind_label(kind: str) -> str:
    return str(ENTRY_KIND_LABELS.get(kind, kind))


def read_action_label(action: str) -> str:
    return str(READ_ACTION_LABELS.get(action, action))
