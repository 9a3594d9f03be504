"""Scanning errors: stable codes; messages in English for gettext (Chinese in the .po file)."""

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yunting.workflows.scanning.i18n import _


def not_station() -> PermissionDenied:
    return PermissionDenied(_("Only the court's scanning staff, clerks and archivists can use the scanning station."),
                            code="scan_not_station")


def batch_not_found() -> NotFound:
    return NotFound(_("No such scan batch."), code="scan_batch_not_found")


def document_not_found() -> NotFound:
    return NotFound(_("No such scanned document."), code="scan_document_not_found")


def not_pending() -> Conflict:
    return Conflict(_("This scanned document has already been filed or returned."), code="scan_not_pending")


def invalid(message, code: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)


def original_not_found() -> NotFound:
    return NotFound(_("No such paper original in your reach."), code="original_not_found")
