"""Space delivery errors: stable codes; English msgids (Chinese in the .po file).

ApplicationError
├── NotFound: delivery_none
├── PermissionDenied: delivery_court_only
├── Conflict: delivery_not_opened, delivery_signed
└── ValidationFailed: delivery_invalid (data.field names the input)
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def none() -> NotFound:
    return NotFound(_("No such delivery."), code="delivery_none")


def court_only() -> PermissionDenied:
    return PermissionDenied(_("Only court staff of the case can deliver documents."), code="delivery_court_only")


def not_opened() -> Conflict:
    return Conflict(_("Open the document before signing the receipt."), code="delivery_not_opened")


def already_signed() -> Conflict:
    return Conflict(_("The receipt is already signed."), code="delivery_signed")


def invalid(message, field: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code="delivery_invalid", data={"field": field, **data})
