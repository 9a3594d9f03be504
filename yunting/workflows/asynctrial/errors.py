"""Asynctrial errors: stable codes; messages in English for gettext (Chinese in the .po file)."""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def not_open() -> Conflict:
    return Conflict(_("The asynchronous exchange is not open: every party must consent first, and a closed "
                      "exchange takes no more items."), code="asynctrial_not_open")


def no_exchange() -> NotFound:
    return NotFound(_("No asynchronous exchange has been proposed in this case."), code="asynctrial_none")


def pledge_required() -> PermissionDenied:
    return PermissionDenied(_("Sign the integrity pledge before taking part in the exchange."),
                            code="asynctrial_pledge_required")


def court_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge or the judge's assistant can do this."), code="asynctrial_court_only")


def parties_only() -> PermissionDenied:
    return PermissionDenied(_("Only a party or a party's lawyer can do this."), code="asynctrial_party_only")


def invalid(message, code: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)
